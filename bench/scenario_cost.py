"""What one acceptance scenario costs, through the API and in the browser, and where its time goes.

    .venv/bin/python -m bench.scenario_cost [rounds] [api|browser]

Runs a fixed selection of the suite's own scenarios (the ``@both`` scenarios of areas 5 and 6, each
through the API and through the browser) with pytest in this process, ``rounds`` times (default 3; the
first round warms up: it starts the stand and the browser, and is not counted). Every scenario goes
through the real machinery: conftest's world (harness/world.py), the steps, the API driver or the
browser's page objects, Allure. A plugin times each test from setup to teardown and splits it into

- reset: the world's fresh state (``Stand._prepare``: fakes, demo data, webhooks),
- HTTP: the REST client's requests to the CRM (the engine's share of them excluded),
- engine: the scheduler's work in the CRM (``run_due``, ``next_due_at``),
- browser: Playwright calls (new context and page, sign-in, clicks, waits),
- other: the rest (pytest, pytest-bdd, steps' own code, the frozen clock, Allure).

Prints the median per kind, each part's share of that kind's total time, the median number of the REST
client's requests to the CRM (the reset's and the clock's included), and the median CPU time of
this process (the test, the CRM's threads, the in-process fakes; not the browser's processes): on a
machine shared with other work, wall time grows with the load and CPU time much less.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

import pytest

from bench import stopwatch

SELECTION = ["tests/acceptance", "-m", "both and (timing or triggers)"]
PARTS = ("reset", "http", "engine", "browser")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Clockwork:
    """Exclusive time per part on the test's thread; the engine runs in the CRM's threads meanwhile."""

    main: int = field(default_factory=threading.get_ident)
    spent: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    stack: list[tuple[str, float, float]] = field(default_factory=list)  # part, segment start, engine then
    engine: float = 0.0
    requests: int = 0  # the REST client's requests to the CRM (the reset's and the clock's included)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _close_segment(self, now: float) -> None:
        part, started, engine_then = self.stack[-1]
        # Engine time that passed while this part waited on the CRM belongs to the engine, not to it.
        self.spent[part] += (now - started) - (self.engine - engine_then)

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        if threading.get_ident() != self.main:
            yield
            return
        if self.stack and self.stack[-1][0] == "reset":
            self.requests += name == "http"
            yield  # whatever the reset does (its requests included) is the reset's
            return
        if name == "http":
            self.requests += 1
        now = stopwatch.seconds()
        if self.stack:
            self._close_segment(now)
        self.stack.append((name, now, self.engine))
        try:
            yield
        finally:
            now = stopwatch.seconds()
            self._close_segment(now)
            self.stack.pop()
            if self.stack:
                outer, _, _ = self.stack[-1]
                self.stack[-1] = (outer, now, self.engine)

    @contextmanager
    def engine_work(self) -> Iterator[None]:
        started = stopwatch.seconds()
        try:
            yield
        finally:
            with self.lock:
                self.engine += stopwatch.seconds() - started

    def take(self) -> dict[str, float]:
        taken = dict(self.spent)
        taken["engine"] = self.engine
        taken["requests"] = self.requests
        self.spent.clear()
        self.engine = 0.0
        self.requests = 0
        return taken


def _timed(method: F, enter: Callable[[], Any]) -> F:
    @wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with enter():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def instrument(clockwork: Clockwork) -> None:
    """Wrap the few calls every part goes through (in this process only: a benchmark, not the suite)."""
    from playwright._impl._sync_base import SyncBase

    from emulator.automation.scheduler import Scheduler
    from emulator.client import CrmClient
    from harness.world import Stand

    Stand._prepare = _timed(Stand._prepare, lambda: clockwork.part("reset"))  # type: ignore[method-assign]
    CrmClient._call = _timed(CrmClient._call, lambda: clockwork.part("http"))  # type: ignore[method-assign]
    SyncBase._sync = _timed(SyncBase._sync, lambda: clockwork.part("browser"))  # type: ignore[method-assign]
    Scheduler.run_due = _timed(Scheduler.run_due, clockwork.engine_work)  # type: ignore[method-assign]
    Scheduler.next_due_at = _timed(Scheduler.next_due_at, clockwork.engine_work)  # type: ignore[method-assign]


@dataclass
class Sample:
    kind: str
    round: int
    total: float
    cpu: float
    parts: dict[str, float]


class TimingPlugin:
    def __init__(self, rounds: int, clockwork: Clockwork) -> None:
        self.rounds = rounds
        self.clockwork = clockwork
        self.samples: list[Sample] = []
        self.failed: list[str] = []
        self._round: dict[str, int] = defaultdict(int)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items[:] = items * self.rounds

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        self.clockwork.take()
        started, cpu_started = stopwatch.seconds(), time.process_time()
        result = yield
        total, cpu = stopwatch.seconds() - started, time.process_time() - cpu_started
        self._round[item.nodeid] += 1
        kind = "browser" if item.nodeid.endswith("[ui]") else "api"
        self.samples.append(Sample(kind, self._round[item.nodeid], total, cpu, self.clockwork.take()))
        return result

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed.append(report.nodeid)


def report(samples: list[Sample]) -> None:
    for kind in ("api", "browser"):
        counted = [s for s in samples if s.kind == kind and s.round > 1]
        if not counted:
            continue
        total = sum(s.total for s in counted)
        median = statistics.median(s.total for s in counted)
        shares = {p: sum(s.parts.get(p, 0.0) for s in counted) / total for p in PARTS}
        other = 1 - sum(shares.values())
        parts = "  ".join(f"{p} {shares[p]:4.0%}" for p in PARTS)
        cpu = statistics.median(s.cpu for s in counted)
        calls = statistics.median(s.parts.get("requests", 0) for s in counted)
        runs = f"median {median * 1000:7.1f} ms (CPU {cpu * 1000:6.1f} ms) over {len(counted):3} runs"
        print(f"{kind:8} scenario: {runs};  {parts}  other {other:4.0%};  {calls:.0f} requests to the CRM")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    only = {"api": ["-k", "api"], "browser": ["-k", "ui"]}.get(sys.argv[2] if len(sys.argv) > 2 else "", [])
    clockwork = Clockwork()
    instrument(clockwork)
    plugin = TimingPlugin(rounds, clockwork)
    with tempfile.TemporaryDirectory() as allure_dir:
        args = [*SELECTION, *only, "-q", "-p", "no:randomly", "-o", "addopts=", "-p", "no:cacheprovider",
                f"--alluredir={allure_dir}", "--strict-markers"]  # fmt: skip
        code = pytest.main(args, plugins=[plugin])
    print()
    report(plugin.samples)
    print("goals: API scenario median <= 25 ms, browser scenario median <= 500 ms")
    if code != 0 or plugin.failed:
        raise SystemExit(f"the selection did not pass (exit {code}): {plugin.failed}")


if __name__ == "__main__":
    main()
