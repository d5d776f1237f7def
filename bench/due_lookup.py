"""Finding due work must not slow down with the number of runs scheduled for later (indexed due-time query).

    .venv/bin/python -m bench.due_lookup

Prints the median time of an idle ``run_due()`` with 1 000 and with 100 000 pending runs, and the ratio.
The two databases are sampled in turn (one pass each, 60 times), so a load that comes and goes on a
shared machine weighs on both alike.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import insert, select

from bench import stopwatch
from emulator import clock, seed
from emulator.automation.scheduler import Scheduler
from emulator.db import Database
from emulator.model_enums import RunStatus
from emulator.models import BusinessProcess, ProcessRun
from emulator.settings import Settings

SAMPLES = 60


@contextmanager
def idle_scheduler(future_runs: int) -> Iterator[Scheduler]:
    """A scheduler over a demo database holding ``future_runs`` runs due tomorrow and nothing due now."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'b.sqlite3'}", files_dir=Path(tmp) / "f")
        database = Database(settings.database_url)
        database.create_schema()
        seed.reset(database, with_processes=True)
        now = clock.now()
        with database.session() as session:
            process = session.scalars(select(BusinessProcess)).first()
            assert process is not None
            session.execute(
                insert(ProcessRun),
                [
                    {"process_id": process.id, "process_version": 1, "deal_id": seed.DEMO_DEAL_ID,
                     "stage_id": process.stage_id, "triggered_at": now,
                     "due_at": now + dt.timedelta(days=1, seconds=n), "status": RunStatus.SCHEDULED}
                    for n in range(future_runs)
                ],
            )  # fmt: skip
        scheduler = Scheduler(database, settings)
        scheduler.run_due()
        try:
            yield scheduler
        finally:
            database.engine.dispose()


def one_pass(scheduler: Scheduler) -> float:
    started = stopwatch.seconds()
    report = scheduler.run_due()
    elapsed = stopwatch.seconds() - started
    assert report.runs == 0
    return elapsed


def main() -> None:
    with ExitStack() as stack:
        small = stack.enter_context(idle_scheduler(1_000))
        large = stack.enter_context(idle_scheduler(100_000))
        samples: dict[Scheduler, list[float]] = {small: [], large: []}
        for _ in range(SAMPLES):
            for scheduler in (small, large):
                samples[scheduler].append(one_pass(scheduler))
    small_median, large_median = statistics.median(samples[small]), statistics.median(samples[large])
    print(f"idle run_due with 1000 pending runs:    {small_median * 1000:.2f} ms")
    print(f"idle run_due with 100000 pending runs:  {large_median * 1000:.2f} ms")
    print(f"ratio: {large_median / small_median:.2f}  (target: at most 2; a table scan would grow with the runs)")


if __name__ == "__main__":
    main()
