"""Runs and sends survive a stopped emulator: pending work is found in the database after a restart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

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
