"""Executes due runs and due message attempts: synchronously on request, or in a background loop.

Claims are atomic (a compare-and-set on the rows' status, with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), so several schedulers over one database never execute a run or a message twice. Both are
claimed a small batch at a time: a batch of runs is claimed and executed in one transaction; a batch of
messages is claimed in one and then sent one by one (:mod:`delivery`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, func, select, text

from emulator import clock, files
from emulator.automation import delivery, reconciliation, run_execution
from emulator.db import Database
from emulator.model_enums import RunStatus
from emulator.models import OutgoingMessage, ProcessRun
from emulator.settings import Settings

log = logging.getLogger(__name__)
# PostgreSQL advisory lock of the schedulers of every process on one database (a team stand).
STAND_LOCK_KEY = 0x43524D5343  # "CRMSC"
RUN_BATCH = 20  # due runs claimed and executed in one transaction
_RUNS = cast(Table, ProcessRun.__table__)
_DUE_RUNS = (
    select(_RUNS.c.id)
    .where(_RUNS.c.status == RunStatus.SCHEDULED, _RUNS.c.due_at <= bindparam("now"))
    .order_by(_RUNS.c.due_at, _RUNS.c.id)
    .limit(RUN_BATCH)
)
_DUE_RUNS_SKIP_LOCKED = _DUE_RUNS.with_for_update(skip_locked=True)
_CLAIM_RUNS = (
    _RUNS.update()
    .where(_RUNS.c.id.in_(bindparam("ids", expanding=True)), _RUNS.c.status == RunStatus.SCHEDULED)
    .values(status=RunStatus.RUNNING, claimed_by=bindparam("worker"), claimed_at=bindparam("now"))
    .returning(_RUNS.c.id)
)
_RUNS_BY_ID = (
    select(ProcessRun)
    .where(ProcessRun.id.in_(bindparam("ids", expanding=True)))
    .order_by(ProcessRun.due_at, ProcessRun.id)
)


@dataclass
class DueReport:
    runs: int = 0
    attempts: int = 0
    recovered: int = 0
    checks: int = 0
    swept: int = 0  # uploads nothing used for a day (emulator/files.py)


class Scheduler:
    def __init__(self, database: Database, settings: Settings, worker: str | None = None) -> None:
        self.database = database
        self.settings = settings
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.lease = dt.timedelta(seconds=3 * settings.provider_timeout_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _claim_and_execute_runs(self) -> int | None:
        """Claim a batch of due runs and execute them in one transaction: the number taken, None if none was due.

        A crash before the commit leaves them scheduled: a run executes completely or not at all.
        """
        now = clock.now()
        with self.database.session() as session:
            due = list(session.scalars(_DUE_RUNS_SKIP_LOCKED if self.database.is_postgres else _DUE_RUNS, {"now": now}))
            if not due:
                return None
            taken = list(session.scalars(_CLAIM_RUNS, {"ids": due, "now": now, "worker": self.worker}))
            if not taken:
                return 0  # someone else took them; look again
            runs = list(session.scalars(_RUNS_BY_ID, {"ids": taken}))
            run_execution.execute(session, self.settings, runs, now)
        return len(runs)

    @contextmanager
    def stand_lock(self, exclusive: bool) -> Iterator[None]:
        """No other pass of this scheduler runs meanwhile; on PostgreSQL, ``exclusive``: nor another process's.

        Passes share the stand's lock with each other (their claims keep each run and message to one of
        them); a pass asked for through the control API, or a reset, holds it alone: it starts once every
        worker's pass in progress has finished, so it returns with everything due done, as the lock of
        one process guarantees in one process.
        """
        with self._lock:
            if not self.database.is_postgres:
                yield
                return
            mode = "" if exclusive else "_shared"
            with self.database.engine.connect() as connection:
                connection.execute(text(f"SELECT pg_advisory_lock{mode}(:key)"), {"key": STAND_LOCK_KEY})
                try:
                    yield
                finally:
                    connection.execute(text(f"SELECT pg_advisory_unlock{mode}(:key)"), {"key": STAND_LOCK_KEY})

    def run_due(self, max_steps: int = 100_000, *, exclusive: bool = False) -> DueReport:
        """Do everything due at the current clock time, then return (used by tests and the loop).

        ``exclusive``: also wait for the passes other processes on the database have in progress.
        """
        report = DueReport()
        with self.stand_lock(exclusive):
            with self.database.session() as session:
                report.recovered = delivery.recover_interrupted(session, clock.now(), self.lease)
            with self.database.session() as session:
                report.swept = files.sweep(session, self.settings.files_dir, clock.now())
            for _ in range(max_steps):
                runs = self._claim_and_execute_runs()
                if runs is not None:
                    report.runs += runs
                    continue
                attempts = delivery.deliver_due(self.database, self.settings, self.worker, self.lease)
                if attempts is not None:
                    report.attempts += attempts
                    continue
                with self.database.session() as session:
                    checks = reconciliation.due_ids(session, clock.now(), limit=1)
                if not checks:
                    break
                report.checks += reconciliation.check(self.database, self.settings, checks[0])
        return report

    def next_due_at(self) -> dt.datetime | None:
        with self.database.session() as session:
            run_at = session.scalar(select(func.min(ProcessRun.due_at)).where(ProcessRun.status == RunStatus.SCHEDULED))
            message_at = session.scalar(
                select(func.min(OutgoingMessage.next_attempt_at)).where(
                    OutgoingMessage.status.in_(delivery.DUE_STATUSES)
                )
            )
            check_at = reconciliation.next_check_at(session)
        moments = [m.replace(tzinfo=dt.UTC) if m.tzinfo is None else m for m in (run_at, message_at, check_at) if m]
        return min(moments) if moments else None

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.scheduler_interval_seconds):
            try:
                self.run_due()
            except Exception:  # keep the loop alive; the next tick tries again
                log.exception("scheduler tick failed")

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="crm-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
