"""The scenarios' frozen clock: kept between scenarios, moved back to the start for each, real time for
every other test (harness/world.py ``Stand._clock_at_start``, conftest.py ``pytest_runtest_setup``)."""

from __future__ import annotations

import datetime as dt
import sys
import time

import pytest

from harness.clock import SCENARIO_START
from harness.world import Stand


def _real_now() -> dt.datetime:
    """The machine's clock, which freezegun does not patch."""
    return dt.datetime.fromtimestamp(time.clock_gettime(time.CLOCK_REALTIME), dt.UTC)


def test_each_scenario_starts_at_the_start_and_a_test_without_a_world_runs_in_real_time(
    crm_stand: Stand, request: pytest.FixtureRequest
) -> None:
    if not crm_stand.in_process:
        pytest.skip("the clock of an emulator elsewhere is its control API's, not this process's")
    with crm_stand.scenario() as world:
        world.clock.jump(dt.timedelta(hours=5))
    assert dt.datetime.now(dt.UTC) == SCENARIO_START + dt.timedelta(hours=5)  # kept until the next one
    with crm_stand.scenario() as world:
        assert world.clock.now() == SCENARIO_START
        assert dt.datetime.now(dt.UTC) == SCENARIO_START

    sys.modules["conftest"].pytest_runtest_setup(request.node)  # what pytest runs before a test without world
    assert abs(dt.datetime.now(dt.UTC) - _real_now()) < dt.timedelta(seconds=5)
    assert abs(time.time() - _real_now().timestamp()) < 5
