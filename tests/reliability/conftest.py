"""The reliability probes: the fault matrix on the suite's in-process world (harness/world.py), the kills
and the two emulators on real emulator processes (tests/reliability/emulator_processes.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from harness.world import Stand, World
from tests.reliability.emulator_launcher import Launcher
from tests.reliability.emulator_processes import POSTGRES_ENV


@pytest.fixture
def faulted_world(crm_stand: Stand, world: World) -> World:
    """The scenario world, in-process only: exact transport faults need the in-process fakes."""
    if not crm_stand.in_process:
        pytest.skip("the fault matrix needs the in-process provider fakes (exact transport faults)")
    return world


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


@pytest.fixture(scope="session")
def emulator_launcher() -> Iterator[Launcher]:
    """This worker's launcher of emulator processes (tests/reliability/emulator_launcher.py)."""
    launcher = Launcher()
    yield launcher
    launcher.close()
