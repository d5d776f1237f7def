"""Provider failures through the common send method: what is retried, when, and never twice to a client."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from emulator.api.deal_schemas import DealUpdate
from harness.world import World

SENT = "Статус: Отправлено"
UNKNOWN = "Статус: Ошибка: статус неизвестен"


def _send_one(world: World, provider: str, *faults: tuple[str, dict[str, Any]]) -> int:
    """A process on "В работе", the faults armed, then a deal enters the stage."""
    world.process(provider)
    for kind, params in faults:
        world.fakes.get(provider).fail_next(kind, **params)
    deal_id = world.deal()
    world.enter(deal_id)
    return deal_id


@pytest.mark.parametrize("provider", ["default", "wazzup"])
@pytest.mark.parametrize("fault", ["timeout", "connection_refused", "connection_reset", "lost_answer"])
def test_idempotent_providers_retry_after_10_s_and_the_client_gets_one_message(
    world: World, provider: str, fault: str
) -> None:
    deal_id = _send_one(world, provider, (fault, {}))
    assert world.client.dialogs(deal_id)[0].status == "retrying"
    first = world.sends(provider)[0].time
    world.clock.advance(dt.timedelta(seconds=10))
    sends = world.sends(provider)
    assert [int((s.time - first).total_seconds()) for s in sends] == [0, 10]
    assert len(world.fakes.get(provider).outbox) == 1, f"{fault}: the client must get the message exactly once"
    assert world.statuses(deal_id) == [SENT]


def test_default_retries_carry_the_same_idempotency_key(world: World) -> None:
    _send_one(world, "default", ("lost_answer", {}))
    world.clock.advance(dt.timedelta(seconds=10))
    keys = [s.header("Idempotency-Key") for s in world.sends("default")]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]


def test_wazzup_gives_up_rather_than_resend_after_its_60_s_window(world: World) -> None:
    deal_id = _send_one(world, "wazzup", *[("lost_answer", {})] * 3)
    world.clock.advance(dt.timedelta(minutes=10))
    times = [s.time for s in world.sends("wazzup")]
    assert [int((t - times[0]).total_seconds()) for t in times] == [0, 10, 40]
    assert world.statuses(deal_id) == [UNKNOWN]
    assert len(world.fakes.wazzup.outbox) == 1, "the provider got it once; a resend after 60 s would duplicate"


def test_i2crm_lost_answer_is_unknown_and_never_resent(world: World) -> None:
    deal_id = _send_one(world, "i2crm", ("lost_answer", {}))
    world.clock.advance(dt.timedelta(hours=6))
    assert len(world.sends("i2crm")) == 1, "i2crm has no idempotency key: no blind retry"
    assert len(world.fakes.i2crm.outbox) == 1
    assert world.statuses(deal_id) == [UNKNOWN]


def test_i2crm_connection_refused_is_retried(world: World) -> None:
    deal_id = _send_one(world, "i2crm", ("connection_refused", {}))
    world.clock.advance(dt.timedelta(seconds=10))
    assert len(world.fakes.i2crm.outbox) == 1
    assert world.statuses(deal_id) == [SENT]


def test_i2crm_error_in_a_200_body_is_an_error_not_sent(world: World) -> None:
    world.fakes.i2crm.mark_not_on_whatsapp("79998885522")
    deal_id = _send_one(world, "i2crm")
    assert world.sends("i2crm")[0].status == 200
    [status] = world.statuses(deal_id)
    assert status.startswith("Статус: Ошибка: "), status
    assert world.fakes.i2crm.outbox == []


def test_retry_schedule_then_error(world: World) -> None:
    world.process("default")
    world.fakes.default.fail_always("status", status=503, body={"error": {"code": "UNAVAILABLE", "message": "x"}})
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(hours=9))
    times = [s.time for s in world.sends("default")]
    gaps = [int((b - a).total_seconds()) for a, b in itertools.pairwise(times)]
    assert gaps == [10, 30, 60, 120, 180, 240, 600, 3600, 7200, 18000]
    assert world.statuses(deal_id) == ["Статус: Ошибка: Default ответил HTTP 503 (попыток: 11)"]


def test_rate_limit_honours_retry_after(world: World) -> None:
    _send_one(world, "default", ("rate_limit", {"retry_after": 45}))
    world.clock.advance(dt.timedelta(minutes=2))
    times = [s.time for s in world.sends("default")]
    assert int((times[1] - times[0]).total_seconds()) == 45


@pytest.mark.parametrize(
    ("provider", "arrange", "reason"),
    [
        ("default", lambda f: f.mark_not_on_whatsapp("79998885522"), "номер не зарегистрирован в WhatsApp"),
        ("wazzup", lambda f: f.mark_not_on_whatsapp("79998885522"), "номер не зарегистрирован в WhatsApp"),
        ("default", lambda f: f.set_channel_state("+7(937)000-00-03", "blocked"), "канал неактивен"),
        ("wazzup", lambda f: f.set_channel_state("+7(937)000-00-01", "blocked"), "канал заблокирован"),
    ],
)
def test_permanent_errors_fail_at_once(world: World, provider: str, arrange: object, reason: str) -> None:
    world.process(provider)
    arrange(world.fakes.get(provider))  # type: ignore[operator]
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(hours=1))
    assert len(world.sends(provider)) == 1, "a permanent error is not retried"
    assert world.statuses(deal_id) == [f"Статус: Ошибка: {reason}"]


def test_default_text_over_its_4096_limit_after_rendering_is_an_error(world: World) -> None:
    """4000 typed characters pass the editor; the client's long name pushes the text over 4096."""
    world.process("default", text="[Имя клиента#2001]" + "я" * 4000)
    deal_id = world.deal()
    world.client.update_deal(deal_id, DealUpdate(client_name="Ю" * 200))
    world.enter(deal_id)
    assert world.statuses(deal_id) == ["Статус: Ошибка: текст длиннее 4096 символов"]
    assert world.fakes.default.outbox == []
