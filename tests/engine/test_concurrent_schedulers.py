"""Two schedulers over one database never execute a run, or send a message, twice."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from emulator.automation.scheduler import Scheduler
from emulator.db import Database
from harness.world import Stand, StandOptions, World

POSTGRES_ENV = "CRM_TEST_POSTGRES_URL"  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test (CI sets it)


def _race(world: World) -> None:
    world.process("default")
    deals = [world.deal() for _ in range(6)]
    for deal_id in deals:
        world.client.change_stage(deal_id, world.stage("Воронка 2", "В работе"))
    schedulers = [Scheduler(Database(world.database.url), world.settings, worker=f"w{n}") for n in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(scheduler: Scheduler) -> None:
        try:
            barrier.wait()
            scheduler.run_due()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    world.clock.run_due()
    assert sorted(m.to for m in world.fakes.default.outbox) == ["79998885522"] * 6
    for deal_id in deals:
        assert world.statuses(deal_id) == ["Статус: Отправлено"]


def test_sqlite(world: World) -> None:
    _race(world)


@pytest.fixture
def postgres_url() -> str:
    """A configured PostgreSQL, or a skip that says how to configure one (a laptop may have none)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL configured: set {POSTGRES_ENV}=postgresql+psycopg://user@host:5432/db")
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # configured but unreachable: that is a failure, not a skip
        pytest.fail(f"{POSTGRES_ENV}={url} is not reachable: {exc}")
    return url


@pytest.fixture
def postgres_world(postgres_url: str, tmp_path: Path) -> Iterator[World]:
    with Stand(StandOptions(tmp_path, database_url=postgres_url)) as stand, stand.scenario() as world:
        try:
            yield world
        finally:
            world.database.drop_schema()


@pytest.mark.xdist_group("postgres")
def test_postgresql_skip_locked(postgres_world: World) -> None:
    _race(postgres_world)
