"""Scenario time: frozen at a fixed Moscow instant, moved only by steps.

Moving the clock steps through every moment at which something falls due (a delayed run, a
retry), running the scheduler at each, so a 3-day delay or a 5-hour retry schedule costs what an
immediate send costs, and every attempt happens at its exact due time.
"""

from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import Protocol
from zoneinfo import ZoneInfo

import freezegun.api

from emulator.client import CrmClient

MOSCOW = ZoneInfo("Europe/Moscow")
SCENARIO_START = dt.datetime(2026, 11, 10, 14, 23, 0, tzinfo=MOSCOW)
# Code that must keep real time under freezegun: event loops (the server's and the browser driver's:
# freezegun's real_asyncio patch comes only after it has frozen time.monotonic, and a loop that reads
# the frozen clock in that window schedules its next tick decades ahead and stops noticing shutdown),
# and the reporters (pytest's durations, Allure's start/stop times).
REAL_TIME_MODULES = [
    "asyncio",
    "playwright",
    "greenlet",
    "_pytest.timing",
    "allure_commons",
    "allure_pytest_bdd",
    "xdist",
]


def _module_fingerprint(module: ModuleType) -> str:
    """What freezegun compares to decide whether a loaded module must be scanned again for bindings of
    ``datetime``/``time``.

    Its own fingerprint hashes ``dir(module)`` of every loaded module at every ``start()``: 60-80 ms per
    scenario with the 1 400 modules of a browser-test process, more than a whole API scenario. The set of
    a module's names changes only by adding or removing names, which shows in the count of its namespace
    or in its newest name (namespaces keep insertion order): O(1) per module, and a module that gains a
    name is scanned again as before.
    """
    namespace = getattr(module, "__dict__", None)
    if not namespace:
        return f"{id(module)}"
    return f"{id(module)}-{len(namespace)}-{next(reversed(namespace))}"


def frozen(moment: str | dt.datetime) -> freezegun.api._freeze_time:
    """freezegun's ``freeze_time`` as every test of this suite must use it: event loops and reporters keep
    real time (a bare ``freeze_time`` in a process whose in-process CRM is serving makes its loop read a
    frozen clock: it schedules its next tick decades ahead and never notices it should stop)."""
    return freezegun.api.freeze_time(moment, real_asyncio=True, ignore=REAL_TIME_MODULES)


if hasattr(freezegun.api, "_get_module_attributes_hash"):  # freezegun 1.x, pinned in uv.lock
    freezegun.api._get_module_attributes_hash = _module_fingerprint


class TimeMover(Protocol):
    def now(self) -> dt.datetime: ...
    def move_to(self, moment: dt.datetime) -> None: ...


class FreezegunMover:
    """In-process: freezegun's frozen clock, seen by the emulator thread too."""

    def __init__(self, factory: object) -> None:
        self._factory = factory

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def move_to(self, moment: dt.datetime) -> None:
        self._factory.move_to(moment)  # type: ignore[attr-defined]


class RemoteMover:
    """Against an emulator in another process: its control API's clock."""

    def __init__(self, client: CrmClient) -> None:
        self._client = client

    def now(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self._client.health()["now"])

    def move_to(self, moment: dt.datetime) -> None:
        self._client.set_clock(moment)


class ScenarioClock:
    def __init__(self, mover: TimeMover, client: CrmClient) -> None:
        self._mover = mover
        self._client = client

    @property
    def mover(self) -> TimeMover:
        return self._mover

    def now(self) -> dt.datetime:
        return self._mover.now().astimezone(MOSCOW)

    def run_due(self) -> None:
        self._client.run_due()

    def jump(self, delta: dt.timedelta) -> None:
        """Let ``delta`` pass while nothing runs (the CRM is stopped, say)."""
        self._mover.move_to(self._mover.now() + delta)

    def advance(self, delta: dt.timedelta) -> None:
        """Let ``delta`` pass, executing everything that falls due on the way, each at its moment."""
        if delta < dt.timedelta(0):
            raise ValueError("время не идёт назад")
        target = self._mover.now() + delta
        due = self._client.run_due_then_next()
        for _ in range(10_000):
            if due is None or due > target:
                break
            if due > self._mover.now():
                self._mover.move_to(due)
            due = self._client.run_due_then_next()
        else:
            raise RuntimeError("the scheduler keeps something due that it never executes")
        # The rest of the way, if any: one more pass at the target for what is not a due run or message
        # (a day-old upload's clean-up, say). Time that did not move leaves nothing new to do.
        if self._mover.now() < target:  # a provider's slowness may already have cost the time
            self._mover.move_to(target)
            self._client.run_due()
