"""Provider status callbacks move the message and its log entry; forged ones change nothing."""

from __future__ import annotations

import pytest

from harness.world import World


def _sent(world: World, provider: str) -> tuple[int, str]:
    world.process(provider)
    deal_id = world.deal()
    world.enter(deal_id)
    return deal_id, world.fakes.get(provider).outbox[0].id


@pytest.mark.parametrize("provider", ["i2crm", "wazzup", "default"])
def test_delivered_then_read(world: World, provider: str) -> None:
    deal_id, message_id = _sent(world, provider)
    fake = world.fakes.get(provider)
    assert fake.emit_status(message_id, "delivered") == 200
    assert world.statuses(deal_id) == ["Статус: Доставлено"]
    assert fake.emit_status(message_id, "read") == 200
    assert world.statuses(deal_id) == ["Статус: Прочитано"]
    assert fake.emit_status(message_id, "delivered") == 200
    assert world.statuses(deal_id) == ["Статус: Прочитано"], "a late 'delivered' must not undo 'read'"
    assert world.client.dialogs(deal_id)[0].status_label == "Прочитано"


@pytest.mark.parametrize(("provider", "status"), [("wazzup", "error"), ("default", "failed"), ("i2crm", "error")])
def test_provider_reported_failure(world: World, provider: str, status: str) -> None:
    deal_id, message_id = _sent(world, provider)
    error = {
        "wazzup": {"error": "BAD_CONTACT", "description": "номер не в WhatsApp"},
        "default": {"code": "NOT_ON_WHATSAPP", "message": "номер не в WhatsApp"},
        "i2crm": {"code": "1", "message": "номер не в WhatsApp"},
    }[provider]
    assert world.fakes.get(provider).emit_status(message_id, status, error=error) == 200
    assert world.statuses(deal_id) == ["Статус: Ошибка: номер не в WhatsApp"]


def test_default_webhook_with_a_bad_signature_is_refused(world: World) -> None:
    deal_id, message_id = _sent(world, "default")
    assert world.fakes.default.emit_status(message_id, "read", signature="sha256=" + "0" * 64) == 401
    assert world.fakes.default.emit_status(message_id, "read", unsigned=True) == 401
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_wazzup_webhook_with_a_wrong_crm_key_is_refused(world: World) -> None:
    deal_id, message_id = _sent(world, "wazzup")
    world.fakes.wazzup.webhook_secret = "not-the-crm-key"
    assert world.fakes.wazzup.emit_status(message_id, "read") == 401
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_wazzup_subscription_is_made_on_connect_and_its_test_call_answered(world: World) -> None:
    world.client.connect("wazzup", "demo-wazzup-key")
    subscription = world.local_fakes.wazzup.subscriptions
    assert subscription is not None and subscription["messagesAndStatuses"] is True
    assert world.fakes.wazzup.webhook_url == f"{world.crm_url}/api/webhooks/wazzup"
