"""Runs and sends survive a stopped emulator: pending work is found in the database after a restart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from emulator import clock
from emulator.automation import delivery
from emulator.automation.scheduler import Scheduler
from emulator.db import Database
from emulator.model_enums import MessageStatus
from emulator.models import OutgoingMessage
from harness.world import World


def test_a_delayed_run_pending_at_shutdown_executes_after_restart(world: World) -> None:
    world.process("default", timing="delayed", delay_value=2, delay_unit="hours")
    deal_id = world.deal()
    world.enter(deal_id)
    world.database.engine.dispose()  # the emulator stops; a new one starts over the same database
    restarted = Scheduler(Database(world.database.url), world.settings)
    world.clock.jump(dt.timedelta(hours=3))
    report = restarted.run_due()
    assert (report.runs, report.attempts) == (1, 1)
    assert len(world.fakes.default.outbox) == 1


def _interrupted(world: World, provider: str) -> int:
    """A send whose provider call was under way when the emulator stopped."""
    world.process(provider)
    deal_id = world.deal()
    world.fakes.get(provider).fail_next("lost_answer")
    world.enter(deal_id)  # the provider accepted it; the answer never came
    with world.database.session() as session:
        session.execute(update(OutgoingMessage).values(status=MessageStatus.SENDING))
    return deal_id


def test_interrupted_default_send_is_completed_without_a_duplicate(world: World) -> None:
    deal_id = _interrupted(world, "default")
    world.clock.advance(dt.timedelta(minutes=1))
    assert len(world.fakes.default.outbox) == 1
    assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_interrupted_i2crm_send_is_not_resent(world: World) -> None:
    deal_id = _interrupted(world, "i2crm")
    world.clock.advance(dt.timedelta(minutes=1))
    assert len(world.sends("i2crm")) == 1
    assert world.statuses(deal_id) == ["Статус: Ошибка: статус неизвестен"]


def test_a_claimed_message_whose_send_never_started_is_sent_once_as_a_first_attempt(world: World) -> None:
    """A kill in the middle of a batch: the messages claimed with it but not yet started (no part in
    flight) are handed back after the lease as they were: one send, one attempt, no "прервана" in the log."""
    world.process("wazzup", timing="delayed", delay_value=2, delay_unit="hours")
    deal_id = world.deal()
    world.enter(deal_id)
    world.clock.jump(dt.timedelta(hours=3))
    scheduler = world.scheduler
    assert scheduler._claim_and_execute_runs() == 1  # the run makes its message; the kill comes before its send
    with world.database.session() as session:
        claimed = delivery.claim_due(session, world.settings, "killed-worker", clock.now(), limit=8)
    assert claimed.due == 1
    world.clock.jump(scheduler.lease + dt.timedelta(seconds=1))

    world.clock.advance(dt.timedelta(0))

    assert len(world.fakes.wazzup.outbox) == 1
    assert world.statuses(deal_id) == ["Статус: Отправлено"]
    with world.database.session() as session:
        assert session.scalars(select(OutgoingMessage.attempts)).all() == [1]
    assert not [e for e in world.client.timeline(deal_id) if "прервана" in (e.body or "")]
