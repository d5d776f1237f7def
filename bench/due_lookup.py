"""Finding due work must not slow down with the number of runs scheduled for later (indexed due-time query).

    .venv/bin/python -m bench.due_lookup

Prints the median time of an idle ``run_due()`` with 1 000 and with 100 000 pending runs, and the ratio.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from emulator import clock, seed
from emulator.automation.scheduler import Scheduler
from emulator.db import Database
from emulator.model_enums import RunStatus
from emulator.models import BusinessProcess, ProcessRun
from emulator.settings import Settings


def idle_run_due(future_runs: int) -> float:
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
        samples = []
        for _ in range(50):
            started = time.perf_counter()
            report = scheduler.run_due()
            samples.append(time.perf_counter() - started)
            assert report.runs == 0
        database.engine.dispose()
        return statistics.median(samples)


def main() -> None:
    small, large = idle_run_due(1_000), idle_run_due(100_000)
    print(f"idle run_due with 1000 pending runs:    {small * 1000:.2f} ms")
    print(f"idle run_due with 100000 pending runs:  {large * 1000:.2f} ms")
    print(f"ratio: {large / small:.2f}  (target: at most 2; a table scan would grow with the runs)")


if __name__ == "__main__":
    main()
