"""The scenarios' frozen clock: kept between scenarios, moved back to the start for each, real time for
every other test (harness/world.py ``Stand._clock_at_start``, conftest.py ``pytest_runtest_setup``)."""

from __future__ import annotations

import datetime as dt
import inspect
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd import scenario

from harness.clock import SCENARIO_START
from harness.world import Stand

FEATURE = Path(__file__).parents[2] / "features" / "01_integrations.feature"


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


def test_a_gherkin_scenario_keeps_the_frozen_clock_though_it_lists_no_world(request: pytest.FixtureRequest) -> None:
    """pytest-bdd's test of a scenario asks for the world from its steps, while it runs: the fixtures it lists
    beforehand are its example's parameter and ``request``. Judged by ``world`` alone, every scenario would
    release the clock and freeze it again (freezegun's walk over every loaded module, each scenario)."""
    builds_world = sys.modules["conftest"].builds_world
    wrapper = scenario(str(FEATURE), "Карточки мессенджеров в порядке страницы, Default последней и не подключена")(
        lambda: None
    )
    listed = [name for name in inspect.signature(wrapper).parameters if name != "request"]
    assert listed  # pytest-bdd's own parameter for the example, which the hook recognises
    assert builds_world(SimpleNamespace(fixturenames=listed))
    assert not builds_world(SimpleNamespace(fixturenames=["request", "crm_stand"]))
    assert not builds_world(request.node)  # this test asks for no world
