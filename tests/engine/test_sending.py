"""The common send method end to end, for each provider: immediate, delayed, recipients, stage check."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.model_enums import RecipientRule
from harness.world import World

PROVIDERS = ["i2crm", "wazzup", "default"]
SENT = "Статус: Отправлено"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_immediate_process_sends_once_when_the_deal_enters_the_stage(world: World, provider: str) -> None:
    process_id = world.process(provider)
    deal_id = world.deal()
    world.enter(deal_id)
    outbox = world.fakes.get(provider).outbox
    assert [(m.to, m.text) for m in outbox] == [("79998885522", "Здравствуйте!")]
    assert world.statuses(deal_id) == [SENT]
    message = world.client.dialogs(deal_id)[0]
    assert (message.process_id, message.process_version, message.status) == (process_id, 1, "sent")
    world.clock.advance(dt.timedelta(hours=6))
    assert len(world.fakes.get(provider).outbox) == 1, "a run must execute once"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_delayed_process_sends_at_the_exact_due_minute(world: World, provider: str) -> None:
    world.process(provider, timing="delayed", delay_value=3, delay_unit="days")
    deal_id = world.deal()
    world.enter(deal_id)
    runs = world.client.runs(deal_id)
    assert len(runs) == 1 and runs[0].due_at == world.clock.now() + dt.timedelta(days=3)
    world.clock.advance(dt.timedelta(days=3) - dt.timedelta(minutes=1))
    assert world.fakes.get(provider).outbox == [], "sent a minute early"
    world.clock.advance(dt.timedelta(minutes=1))
    assert len(world.fakes.get(provider).outbox) == 1
    assert world.client.runs(deal_id) == []


@pytest.mark.parametrize(("check", "expected"), [(True, 0), (False, 1)])
def test_stage_check_skips_a_deal_that_left_the_stage(world: World, check: bool, expected: int) -> None:
    world.process("default", timing="delayed", delay_value=10, delay_unit="minutes", check_stage=check)
    deal_id = world.deal()
    world.enter(deal_id)
    world.enter(deal_id, "Оплата")
    world.clock.advance(dt.timedelta(minutes=10))
    assert len(world.fakes.default.outbox) == expected
    if check:
        assert world.statuses(deal_id) == ["Статус: Не отправлено: сделка уже не на этапе «В работе» (сейчас «Оплата»)"]


def test_stage_check_sends_when_the_deal_left_and_came_back(world: World) -> None:
    world.process("default", timing="delayed", delay_value=1, delay_unit="hours", check_stage=True)
    deal_id = world.deal()
    world.enter(deal_id)
    world.enter(deal_id, "Оплата")
    world.enter(deal_id)  # back: a second run is scheduled too
    world.clock.advance(dt.timedelta(hours=1))
    assert len(world.fakes.default.outbox) == 2, "each entry into the stage runs the process once"


@pytest.mark.parametrize(
    ("rule", "numbers"),
    [
        (RecipientRule.ALL_CONTACTS_ALL_NUMBERS, {"79998885522", "79991112233", "79995558822"}),
        (RecipientRule.PRIMARY_ALL_NUMBERS, {"79998885522", "79991112233"}),
        (RecipientRule.PRIMARY_FIRST_NUMBER, {"79998885522"}),
        (RecipientRule.ALL_CONTACTS_FIRST_NUMBER, {"79998885522", "79995558822"}),
    ],
)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_each_recipient_rule_one_message_per_number(world: World, provider: str, rule: str, numbers: set[str]) -> None:
    world.process(provider, recipient_rule=rule)
    deal_id = world.deal(
        (True, ("+7(999)888-55-22", "8 999 111 22 33")),
        (False, ("+7(999)555-88-22", "+7(999)555-88-22")),
    )
    world.enter(deal_id)
    assert sorted(m.to for m in world.fakes.get(provider).outbox) == sorted(numbers)
    assert world.statuses(deal_id) == [SENT] * len(numbers)


def test_a_malformed_number_is_reported_and_the_rest_still_sent(world: World) -> None:
    world.process("default")
    deal_id = world.deal((True, ("12-34", "+7(999)888-55-22")))
    world.enter(deal_id)
    assert [m.to for m in world.fakes.default.outbox] == ["79998885522"]
    assert sorted(world.statuses(deal_id)) == sorted(["Статус: Не отправлено: некорректный номер «12-34»", SENT])


def test_nothing_is_sent_through_a_disconnected_integration(world: World) -> None:
    world.process("wazzup")
    world.client.disconnect("wazzup")
    deal_id = world.deal()
    world.enter(deal_id)
    assert world.sends("wazzup") == []
    assert world.statuses(deal_id) == ["Статус: Ошибка: интеграция Wazzup отключена"]


def test_a_deleted_deal_cancels_its_pending_run(world: World) -> None:
    world.process("default", timing="delayed", delay_value=5, delay_unit="minutes")
    deal_id = world.deal()
    world.enter(deal_id)
    world.client.delete_deal(deal_id)
    world.clock.advance(dt.timedelta(minutes=5))
    assert world.fakes.default.outbox == []
