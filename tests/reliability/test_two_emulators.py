"""Two emulators over one database: many runs due at the same moment, each message sent exactly once.

Two levels: two schedulers of the in-process CRM racing from one barrier (SQLite and PostgreSQL), and two
real emulator processes, each with its own scheduler loop, over one PostgreSQL database and one set of
provider fakes, woken by moving both clocks past the moment the runs fall due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from emulator.models import OutgoingMessage
from harness.crm_operations import CrmOperations
from harness.world import Stand, StandOptions, World
from mocks.remote import RemoteProviderFakes
from tests.reliability.emulator_launcher import Launcher
from tests.reliability.emulator_processes import (
    SEND_ROUTES,
    EmulatorProcess,
    add_deal,
    add_process,
    fakes_url,
    move_clocks,
    move_to,
    postgres_database,
    settled,
    standalone_fakes,
    statuses,
    wait_until,
)

PROVIDERS = ("wazzup", "i2crm", "default")
DEALS = 8
SENT = "Статус: Отправлено"


def _phone(n: int) -> tuple[str, str]:
    """The n-th client's number as a person types it, and as its digits (literals, not normalised here)."""
    return f"+7(999)100-00-{n:02d}", f"799910000{n:02d}"


# -- two schedulers of one CRM ---------------------------------------------------------------------


def _race(world: World) -> None:
    world.process("default")
    deals = [world.deal() for _ in range(6)]
    for deal_id in deals:
        world.client.change_stage(deal_id, world.stage("Воронка 2", "В работе"))
    CrmOperations(world).run_due_twice_at_once()
    world.clock.run_due()
    assert sorted(m.to for m in world.fakes.default.outbox) == ["79998885522"] * 6
    for deal_id in deals:
        assert world.statuses(deal_id) == [SENT]


def test_two_schedulers_on_sqlite(faulted_world: World) -> None:
    _race(faulted_world)


@pytest.fixture
def postgres_world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    with (
        postgres_database(postgres_url) as url,
        Stand(StandOptions(tmp_path, database_url=url)) as stand,
        stand.scenario() as world,
    ):
        yield world


def test_two_schedulers_on_postgresql(postgres_world: World) -> None:
    _race(postgres_world)


# -- two emulator processes ------------------------------------------------------------------------


@pytest.fixture
def fakes() -> Iterator[RemoteProviderFakes]:
    with standalone_fakes() as found:
        yield found


@pytest.fixture
def shared_database(postgres_url: str) -> Iterator[str]:
    with postgres_database(postgres_url) as url:
        yield url


def test_two_emulator_processes_on_one_postgresql_send_each_message_once(
    emulator_launcher: Launcher, tmp_path: Path, fakes: RemoteProviderFakes, shared_database: str
) -> None:
    first = EmulatorProcess(emulator_launcher, tmp_path / "first", fakes_url(fakes), shared_database)
    second = EmulatorProcess(emulator_launcher, tmp_path / "second", fakes_url(fakes), shared_database)
    try:
        client = first.start(keep_data=False)
        client.reset(with_processes=False)
        for provider in PROVIDERS:
            add_process(client, provider, f"Напоминание через {provider}", "В работе", delay_minutes=1)
        deals = {digits: add_deal(client, phone) for phone, digits in map(_phone, range(1, DEALS + 1))}
        entered_at = dt.datetime.now(dt.UTC)
        for deal_id in deals.values():
            move_to(client, deal_id, "В работе")  # three delayed runs each, all due at about the same moment
        other = second.start(keep_data=True)
        for provider in PROVIDERS:  # each send takes a while: both loops are at work at once
            fakes.get(provider).fail_always("slow", seconds=0.2, method="POST", path=SEND_ROUTES[provider])
        due = entered_at + dt.timedelta(minutes=1, seconds=5)
        move_clocks(client, fakes, due)
        other.set_clock(due)
        wait_until(lambda: all(settled(client, deal_id, 3) for deal_id in deals.values()), "final statuses")
        shown = {digits: statuses(client, deal_id) for digits, deal_id in deals.items()}
    finally:
        first.stop()
        second.stop()

    for digits in deals:
        assert shown[digits] == [SENT] * 3, digits
        for provider in PROVIDERS:
            assert len(fakes.get(provider).outbox_to(digits)) == 1, f"{provider} → {digits}: exactly once"
    engine = create_engine(shared_database)
    try:
        with engine.connect() as connection:
            workers = set(connection.scalars(select(OutgoingMessage.claimed_by)))
    finally:
        engine.dispose()
    assert len(workers) == 2, f"both emulators must have sent some of the {3 * DEALS} messages: {workers}"
