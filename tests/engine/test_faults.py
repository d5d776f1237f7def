"""Provider failures through the common send method: what is retried, when, and never twice to a client."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
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


@pytest.mark.parametrize(
    ("fault", "gaps"),
    [
        ("timeout", [0, 20]),  # the connect timeout costs the adapter's 10 s, then the 10 s wait
        ("connection_refused", [0, 10]),
        ("connection_reset", [0, 10]),
        ("lost_answer", [0, 20]),  # read timeout 10 s, then 10 s: the repeat carries the same crmMessageId
    ],
)
def test_wazzup_retries_inside_its_window_and_the_client_gets_one_message(
    world: World, fault: str, gaps: list[int]
) -> None:
    deal_id = _send_one(world, "wazzup", (fault, {}))
    assert world.client.dialogs(deal_id)[0].status == "retrying"
    world.clock.advance(dt.timedelta(seconds=20))
    sends = world.sends("wazzup")
    assert [int((s.time - sends[0].time).total_seconds()) for s in sends] == gaps
    assert len(world.fakes.wazzup.outbox) == 1, f"{fault}: the client must get the message exactly once"
    assert world.statuses(deal_id) == [SENT]


@pytest.mark.parametrize(
    ("fault", "gaps"),
    [("timeout", [0, 20]), ("connection_refused", [0, 10]), ("connection_reset", [0, 10])],
)
def test_default_retries_what_provably_did_not_arrive(world: World, fault: str, gaps: list[int]) -> None:
    """A reset is asked about first (Default says it never saw the key), then sent again with the same key."""
    deal_id = _send_one(world, "default", (fault, {}))
    world.clock.advance(dt.timedelta(seconds=20))
    sends = world.sends("default")
    assert [int((s.time - sends[0].time).total_seconds()) for s in sends] == gaps
    assert len({s.header("Idempotency-Key") for s in sends}) == 1
    assert len(world.fakes.default.outbox) == 1
    assert world.statuses(deal_id) == [SENT]


@pytest.mark.parametrize("provider", ["wazzup", "i2crm", "default"])
def test_a_slow_answer_costs_its_delay_on_the_scenario_clock(world: World, provider: str) -> None:
    deal_id = _send_one(world, provider, ("slow", {"seconds": 8}))
    [send] = world.sends(provider)
    assert world.clock.now() - send.time == dt.timedelta(seconds=8)
    assert world.statuses(deal_id) == [SENT]


def test_default_lost_answer_is_resolved_by_asking_default(world: World) -> None:
    deal_id = _send_one(world, "default", ("lost_answer", {}))
    [send] = world.sends("default")
    lookups = [e for e in world.fakes.default.journal if e.method == "GET" and e.path == "/messages"]
    assert [e.query for e in lookups] == [{"idempotency_key": send.header("Idempotency-Key")}]
    assert world.statuses(deal_id) == [SENT], "asked, Default says it has it: sent once"
    assert len(world.fakes.default.outbox) == 1


def test_default_unreachable_for_the_whole_horizon_is_unknown(world: World) -> None:
    world.process("default")
    world.fakes.default.fail_next("lost_answer", method="POST", path="/messages")
    deal_id = world.deal()
    world.fakes.default.fail_always("timeout")
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(hours=10))
    assert len(world.sends("default")) == 1, "never resent without asking first"
    assert world.statuses(deal_id) == [UNKNOWN]
    assert len(world.fakes.default.outbox) == 1


def test_default_unreachable_for_a_while_then_back_is_sent_once(world: World) -> None:
    """The converse of the whole horizon: look-ups fail for a while, one gets through, Default has it."""
    world.process("default")
    world.fakes.default.fail_next("lost_answer", method="POST", path="/messages")
    deal_id = world.deal()
    world.fakes.default.fail_next("timeout", times=3)  # whatever the CRM asks or sends next
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(hours=2))
    posts = [e for e in world.fakes.default.journal if e.method == "POST" and e.path == "/messages"]
    lookups = [e for e in world.fakes.default.journal if e.method == "GET" and e.path == "/messages"]
    assert len(posts) == 1, "never sent again while Default could not say whether it has the message"
    assert len(lookups) == 4, "three look-ups timed out, the fourth was answered"
    assert world.statuses(deal_id) == [SENT]
    assert len(world.fakes.default.outbox) == 1


def test_default_request_in_progress_is_answered_409_and_settles_once(world: World) -> None:
    deal_id = _send_one(world, "default", ("processing", {"seconds": 40, "method": "POST", "path": "/messages"}))
    world.clock.advance(dt.timedelta(minutes=2))
    statuses = [s.status for s in world.sends("default")]
    assert statuses[0] is not None and 409 in statuses and statuses[-1] == 202, statuses
    assert world.sends("default")[-1].response_headers.get("Idempotent-Replayed") == "true"
    assert len(world.fakes.default.outbox) == 1
    assert world.statuses(deal_id) == [SENT]


def test_default_keys_are_random_and_made_once_per_message(world: World) -> None:
    _send_one(world, "default", ("connection_refused", {}))
    world.clock.advance(dt.timedelta(seconds=10))
    keys = [s.header("Idempotency-Key") for s in world.sends("default")]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert uuid.UUID(str(keys[0])).version == 4


def test_wazzup_gives_up_rather_than_resend_after_its_60_s_window(world: World) -> None:
    """The window is counted from the first attempt's start: after 20 s the second try, then never again."""
    deal_id = _send_one(world, "wazzup", *[("lost_answer", {})] * 3)
    world.clock.advance(dt.timedelta(minutes=10))
    times = [s.time for s in world.sends("wazzup")]
    assert [int((t - times[0]).total_seconds()) for t in times] == [0, 20]
    assert world.statuses(deal_id) == [UNKNOWN]
    assert len(world.fakes.wazzup.outbox) == 1, "the provider got it once; a resend after 60 s would duplicate"


@pytest.mark.parametrize(("late_by", "sends", "status"), [(54, 2, SENT), (57, 1, UNKNOWN)])
def test_wazzup_resends_only_before_its_window_minus_the_5_s_margin(
    world: World, late_by: int, sends: int, status: str
) -> None:
    """The retry after a lost answer runs late (the CRM was busy or stopped): 54 s after the first start it
    may still go (Wazzup answers the repeat as a repeat), 57 s after it must not (within 60 s, but the resend's
    transit could carry it past Wazzup's window, which Wazzup counts from its own receipt)."""
    deal_id = _send_one(world, "wazzup", ("lost_answer", {}))
    first = world.sends("wazzup")[0].time
    world.clock.jump(first + dt.timedelta(seconds=late_by) - world.clock.now())
    world.clock.run_due()
    times = [int((s.time - first).total_seconds()) for s in world.sends("wazzup")]
    assert times == [0, late_by][:sends]
    assert world.statuses(deal_id) == [status]
    assert len(world.fakes.wazzup.outbox) == 1


@pytest.mark.parametrize("spelling", ["REPEATED_CRM_MESSAGE_ID", "repeatedCrmMessageId"])
def test_wazzup_repeated_id_in_either_spelling_counts_as_sent(world: World, spelling: str) -> None:
    world.process("wazzup")
    body = {"error": spelling, "description": "You have already sent message with the same crmMessageId"}
    world.fakes.wazzup.fail_next("status", status=400, body=body, method="POST", path="/message")
    deal_id = world.deal()
    world.enter(deal_id)
    assert world.statuses(deal_id) == [SENT]


def test_wazzup_phone_unavailable_is_retried_until_the_channel_is_back(world: World) -> None:
    world.process("wazzup")
    world.fakes.wazzup.set_channel_state("+7(937)000-00-01", "phoneUnavailable")
    deal_id = world.deal()
    world.enter(deal_id)
    [status] = world.statuses(deal_id)
    assert status.startswith("Статус: Повторная отправка") and "канал временно недоступен" in status
    world.fakes.wazzup.set_channel_state("+7(937)000-00-01", "active")
    world.clock.advance(dt.timedelta(seconds=10))
    assert world.statuses(deal_id) == [SENT]
    assert len(world.fakes.wazzup.outbox) == 1


def test_wazzup_2xx_without_message_id_is_never_sent(world: World) -> None:
    world.process("wazzup")
    world.fakes.wazzup.fail_always("status", status=201, body={}, method="POST", path="/message")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(minutes=5))
    assert world.statuses(deal_id) == [UNKNOWN]


def test_default_2xx_without_id_is_never_sent(world: World) -> None:
    world.process("default")
    world.fakes.default.fail_always("status", status=202, body={"status": "queued"}, method="POST", path="/messages")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(seconds=5))
    assert "Отправлено" not in world.statuses(deal_id)[0]


def test_wazzup_2xx_with_an_error_is_never_sent(world: World) -> None:
    world.process("wazzup")
    body = {"error": "MESSAGES_IS_SPAM", "description": "spam", "messageId": str(uuid.uuid4())}
    world.fakes.wazzup.fail_always("status", status=201, body=body, method="POST", path="/message")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(minutes=5))
    [status] = world.statuses(deal_id)
    assert status.startswith("Статус: Ошибка"), status


def test_default_2xx_with_a_problem_in_it_is_never_sent(world: World) -> None:
    """Not the contract's answer: the CRM asks Default by the key instead of believing the id."""
    world.process("default")
    body = {"id": str(uuid.uuid4()), "status": "queued", "code": "NOT_ON_WHATSAPP", "detail": "not on WhatsApp"}
    world.fakes.default.fail_always("status", status=202, body=body, method="POST", path="/messages")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(seconds=5))
    assert "Отправлено" not in world.statuses(deal_id)[0]
    lookups = [e for e in world.fakes.default.journal if e.method == "GET" and e.path == "/messages"]
    assert len(lookups) == 1, "the CRM asked Default what became of the message"


def test_i2crm_ok_without_message_id_is_never_sent(world: World) -> None:
    world.process("i2crm")
    body = {"error": False, "data": {"queued": False, "external_ids": []}}
    world.fakes.i2crm.fail_next("status", status=200, body=body, method="POST", path="/target/feedback")
    deal_id = world.deal()
    world.enter(deal_id)
    assert world.statuses(deal_id) == [UNKNOWN]


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
    world.fakes.default.fail_always("status", status=503, method="POST", path="/messages")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.advance(dt.timedelta(hours=9))
    times = [s.time for s in world.sends("default")]
    gaps = [int((b - a).total_seconds()) for a, b in itertools.pairwise(times)]
    assert gaps == [10, 30, 60, 120, 180, 240, 600, 3600, 7200, 18000]
    [status] = world.statuses(deal_id)
    last_id = world.sends("default")[-1].response["request_id"]
    assert status == f"Статус: Ошибка: Default ответил HTTP 503 SERVICE_UNAVAILABLE (запрос {last_id}) (попыток: 11)"


def test_rate_limit_honours_retry_after(world: World) -> None:
    _send_one(world, "default", ("rate_limit", {"retry_after": 45}))
    world.clock.advance(dt.timedelta(minutes=2))
    times = [s.time for s in world.sends("default")]
    assert int((times[1] - times[0]).total_seconds()) == 45


def _wazzup_says(fake: Any, code: str, data: dict[str, Any]) -> None:
    """Wazzup's documented error body (PROVIDERS.md): status, requestId, error, description, data."""
    body = {"status": 400, "requestId": str(uuid.uuid4()), "error": code, "description": code, "data": data}
    fake.fail_next("status", status=400, body=body, method="POST", path="/message")


@pytest.mark.parametrize(
    ("provider", "arrange", "reason"),
    [
        ("default", lambda f: f.mark_not_on_whatsapp("79998885522"), "номер не зарегистрирован в WhatsApp"),
        ("wazzup", lambda f: f.mark_not_on_whatsapp("79998885522"), "номер не зарегистрирован в WhatsApp"),
        ("default", lambda f: f.set_channel_state("+7(937)000-00-03", "blocked"), "канал неактивен"),
        ("wazzup", lambda f: f.set_channel_state("+7(937)000-00-01", "blocked"), "канал заблокирован"),
        ("wazzup", lambda f: _wazzup_says(f, "INVALID_MESSAGE_DATA", {"fields": ["chatId", "channelId"]}),
         "некорректные данные сообщения: chatId, channelId"),
        ("wazzup", lambda f: _wazzup_says(f, "MESSAGE_DOWNLOAD_CONTENT_ERROR", {}), "Wazzup не смог скачать файл"),
    ],
)  # fmt: skip
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
