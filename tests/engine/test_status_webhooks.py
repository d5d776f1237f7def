"""Provider status callbacks move the message and its log entry; forged ones change nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from emulator.client import ApiError
from emulator.models import Integration
from harness.world import World
from mocks.default import DefaultFake, problem
from mocks.i2crm import I2crmFake
from mocks.provider_fake import StatusOptions
from mocks.wazzup import WazzupFake


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


@pytest.mark.parametrize("provider", ["i2crm", "wazzup", "default"])
def test_forged_or_unauthenticated_webhooks_change_nothing(world: World, provider: str) -> None:
    deal_id, message_id = _sent(world, provider)
    fake = world.fakes.get(provider)
    assert fake.emit_status(message_id, "read", options=StatusOptions(forged=True)) == 401
    assert fake.emit_status(message_id, "read", options=StatusOptions(unsigned=True)) == 401
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_wazzup_webhooks_carry_no_authorization_and_are_known_by_the_registered_address(world: World) -> None:
    deal_id, message_id = _sent(world, "wazzup")
    assert world.fakes.wazzup.emit_status(message_id, "delivered") == 200
    delivery = world.fakes.wazzup.webhook_deliveries[-1]
    assert "Authorization" not in delivery.headers and "authorization" not in delivery.headers
    with world.database.session() as session:
        secret = session.scalar(select(Integration.webhook_secret).where(Integration.provider == "wazzup"))
    assert secret and delivery.url == f"{world.crm_url}/api/webhooks/wazzup/{secret}"
    assert world.statuses(deal_id) == ["Статус: Доставлено"]


def test_wazzup_subscription_is_made_on_connect_and_its_test_call_answered(world: World) -> None:
    world.local_fakes.wazzup.webhook_deliveries.clear()
    world.client.connect("wazzup", "demo-wazzup-key")
    subscription = world.local_fakes.of(WazzupFake).subscriptions
    assert subscription is not None and subscription["messagesAndStatuses"] is True
    [test] = world.fakes.wazzup.webhook_deliveries
    assert (test.body, test.status) == ('{"test":true}', 200)
    assert world.fakes.wazzup.webhook_url == test.url
    assert test.url.startswith(f"{world.crm_url}/api/webhooks/wazzup/") and len(test.url) <= 200


def test_refreshing_wazzup_channels_subscribes_again_after_wazzup_lost_the_subscription(world: World) -> None:
    """«Обновить каналы» registers the webhook again: Wazzup may have dropped it (the account was changed in
    its cabinet, say), and no status would reach the CRM until it is made again."""
    fake = world.local_fakes.of(WazzupFake)
    registered = fake.webhook_url
    fake.drop_subscription()
    assert fake.webhook_url is None
    world.client.sync_channels("wazzup")
    assert fake.webhook_url == registered and fake.subscriptions is not None
    deal_id, message_id = _sent(world, "wazzup")
    assert world.fakes.wazzup.emit_status(message_id, "delivered") == 200
    assert world.statuses(deal_id) == ["Статус: Доставлено"]


def test_wazzup_messages_and_statuses_in_one_post_and_edited_tolerated(world: World) -> None:
    deal_id, message_id = _sent(world, "wazzup")
    channel = world.local_fakes.wazzup.channel("79370000001").id
    incoming = {
        "messageId": "4a1e0c1e-0000-4000-8000-000000000001",
        "channelId": channel,
        "chatType": "whatsapp",
        "chatId": "79998885522",
        "isEcho": False,
        "text": "Спасибо",
    }
    payload = {
        "messages": [incoming],
        "statuses": [
            {"messageId": message_id, "timestamp": "2026-11-10T11:23:00.000Z", "status": "edited"},
            {"messageId": message_id, "timestamp": "2026-11-10T11:23:01.000Z", "status": "delivered"},
        ],
    }
    assert world.local_fakes.of(WazzupFake).emit_payload(payload) == 200
    assert world.statuses(deal_id) == ["Статус: Доставлено"]
    assert [(r.from_number, r.text) for r in world.client.replies(deal_id)] == [("79998885522", "Спасибо")]


def test_i2crm_webhooks_match_external_ids_never_data_id(world: World) -> None:
    deal_id, message_id = _sent(world, "i2crm")
    fake = world.local_fakes.of(I2crmFake)
    assert fake.external_id_of(message_id) != message_id
    assert fake.emit_status(message_id, "delivered") == 200
    assert world.statuses(deal_id) == ["Статус: Доставлено"]
    assert fake.webhook_deliveries[-1].headers["X-Auth-Token"] == fake.channel("79370000002").key


def test_i2crm_queued_send_gets_its_id_from_the_first_webhook(world: World) -> None:
    world.local_fakes.of(I2crmFake).queue_sends = True
    deal_id, message_id = _sent(world, "i2crm")
    assert world.sends("i2crm")[0].response["data"]["external_ids"] == []
    assert world.statuses(deal_id) == ["Статус: Отправлено"]
    assert world.fakes.i2crm.emit_status(message_id, "delivered") == 200
    assert world.fakes.i2crm.emit_status(message_id, "read") == 200
    assert world.statuses(deal_id) == ["Статус: Прочитано"]


def test_default_event_of_a_type_the_crm_does_not_know_is_acknowledged_and_changes_nothing(world: World) -> None:
    deal_id, message_id = _sent(world, "default")
    delivery = world.local_fakes.of(DefaultFake).emit_event("message.reaction", {"id": message_id, "status": "read"})
    assert delivery.status == 200 and json.loads(delivery.response_text)["updated"] == 0
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_i2crm_queued_message_in_two_parts_gets_each_parts_statuses(world: World) -> None:
    """Text with the first file, the second file alone: two sends, two messenger ids, both linked."""
    world.local_fakes.of(I2crmFake).queue_sends = True
    pdf, jpg = b"%PDF-1.4\n" + b"x" * 3000, b"\xff\xd8\xff\xe0" + b"y" * 5000
    files = [world.client.upload_file("прайс.pdf", pdf).id, world.client.upload_file("фото.jpg", jpg).id]
    world.process("i2crm", text="Прайс во вложении", file_ids=files)
    deal_id = world.deal()
    world.enter(deal_id)
    first, second = (m.id for m in world.fakes.i2crm.outbox)
    assert world.fakes.i2crm.emit_status(first, "delivered") == 200
    assert world.statuses(deal_id) == ["Статус: Доставлено"]
    assert world.fakes.i2crm.emit_status(second, "read") == 200
    assert world.statuses(deal_id) == ["Статус: Прочитано"], "the second part's id was never linked"
    assert [json.loads(d.response_text)["updated"] for d in world.fakes.i2crm.webhook_deliveries] == [1, 1]


def test_i2crm_two_queued_messages_to_one_client_are_never_mixed_up(world: World) -> None:
    """Two deals write to the same client from the same target; i2crm's webhooks name only the messenger id
    and the client, so while both wait for their ids no event can be told apart: none changes either deal,
    whatever order they come in. Once one is linked, the other's events are its own."""
    fake = world.local_fakes.of(I2crmFake)
    fake.queue_sends = True
    world.process("i2crm")
    first_deal, second_deal = world.deal(), world.deal()
    world.enter(first_deal)
    world.enter(second_deal)
    first, second = (m.id for m in world.fakes.i2crm.outbox)
    assert world.fakes.i2crm.emit_status(second, "read") == 200  # the later message's webhook comes first
    assert world.fakes.i2crm.emit_status(first, "delivered") == 200
    assert world.statuses(first_deal) == ["Статус: Отправлено"], "the second message's 'read' is not the first's"
    assert world.statuses(second_deal) == ["Статус: Отправлено"]


def test_i2crm_queued_message_after_a_linked_one_gets_its_own_statuses(world: World) -> None:
    world.local_fakes.of(I2crmFake).queue_sends = True
    world.process("i2crm")
    first_deal, second_deal = world.deal(), world.deal()
    world.enter(first_deal)
    [first] = (m.id for m in world.fakes.i2crm.outbox)
    assert world.fakes.i2crm.emit_status(first, "delivered") == 200
    world.enter(second_deal)
    second = world.fakes.i2crm.outbox[1].id
    assert world.fakes.i2crm.emit_status(second, "read") == 200
    assert world.fakes.i2crm.emit_status(first, "read") == 200
    assert world.statuses(first_deal) == ["Статус: Прочитано"]
    assert world.statuses(second_deal) == ["Статус: Прочитано"]
    assert world.fakes.i2crm.emit_status(second, "error") == 200
    assert world.statuses(first_deal) == ["Статус: Прочитано"]


def test_i2crm_edit_arrives_as_patch_and_is_answered_200_json(world: World) -> None:
    deal_id, message_id = _sent(world, "i2crm")
    assert world.local_fakes.of(I2crmFake).emit_edit(message_id) == 200
    delivery = world.fakes.i2crm.webhook_deliveries[-1]
    assert delivery.method == "PATCH" and delivery.answered_json
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_default_that_cannot_reach_the_crm_is_told_plainly_and_nothing_is_connected(world: World) -> None:
    """Default accepts the key but its ``webhook.test`` never reached the CRM: the user is told that, in Russian,
    without blaming the key or quoting Default's English, and the integration stays disconnected."""
    refusal = problem(422, "WEBHOOK_TEST_FAILED", "the webhook.test event was not acknowledged: answered 404")
    world.fakes.default.fail_next("status", status=422, body=refusal.json, method="PUT", path="/webhook")
    with pytest.raises(ApiError) as refused:
        world.client.connect("default", "demo-default-key")
    [error] = refused.value.errors
    request_id = refusal.json["request_id"]
    assert error["message"] == (
        "ключ принят, но не удалось подписаться на статусы сообщений: проверочное уведомление Default не дошло "
        f"до CRM (адрес CRM недоступен для Default) (запрос {request_id})"
    )
    assert world.client.integration("default").connected is False
