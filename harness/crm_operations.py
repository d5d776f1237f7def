"""What happens to the in-process CRM as a running program: restarts, crashes mid-send, its own scheduler.

Scenarios about restarts and concurrency reach the CRM's process through this handle (as they reach
time through the clock), never through its database or code; it exists only in-process (``@inprocess``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import text, update

from emulator.automation.scheduler import DueReport, Scheduler
from emulator.db import Database
from emulator.model_enums import MessageStatus
from emulator.models import OutgoingMessage
from harness.world import World

BACKGROUND_TIMEOUT_SECONDS = 15.0


class CrmOperations:
    def __init__(self, world: World) -> None:
        self.world = world

    def _replace_scheduler(self) -> Scheduler:
        server = self.world.server
        server.app.state.scheduler.stop()
        server.database.engine.dispose()
        fresh = Scheduler(Database(server.database.url), server.settings)
        server.app.state.scheduler = fresh
        return fresh

    def restart(self) -> None:
        """The CRM stops and starts again over the same database: nothing held in memory survives."""
        self._replace_scheduler()

    def crash_during_sends(self) -> None:
        """The CRM stops while its provider calls are under way: sends it started are left half-done."""
        with self.world.database.session() as session:
            session.execute(
                update(OutgoingMessage)
                .where(OutgoingMessage.status.in_((MessageStatus.SENT, MessageStatus.RETRYING)))
                .values(status=MessageStatus.SENDING)
            )
        self._replace_scheduler()

    def run_due_twice_at_once(self) -> list[DueReport]:
        """Two schedulers (two CRM workers over one database) execute what is due at the same moment."""
        url, settings = self.world.database.url, self.world.settings
        schedulers = [Scheduler(Database(url), settings, worker=f"worker-{n}") for n in range(2)]
        reports: list[DueReport] = []
        errors: list[BaseException] = []
        start = threading.Barrier(len(schedulers))

        def work(scheduler: Scheduler) -> None:
            try:
                start.wait()
                reports.append(scheduler.run_due())
            except BaseException as exc:  # a worker's failure is the caller's failure, not a lost thread's
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(s,)) for s in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for scheduler in schedulers:
            scheduler.database.engine.dispose()
        if errors:
            raise errors[0]
        return reports

    def let_background_scheduler_work(self, action: Callable[[], None]) -> bool:
        """Do ``action`` with the CRM's own scheduler loop running; True once the loop executed something.

        No step runs due work: the loop of the CRM (ticking on real time, as in production) does, and this
        waits for its report (an event), never for a fixed time.
        """
        scheduler: Scheduler = self.world.server.app.state.scheduler
        worked = threading.Event()
        original = scheduler.run_due

        def observed(max_steps: int = 100_000, *, exclusive: bool = False) -> DueReport:
            report = original(max_steps, exclusive=exclusive)
            if report.runs or report.attempts:
                worked.set()
            return report

        scheduler.run_due = observed  # type: ignore[method-assign]
        scheduler.start()
        try:
            action()
            return worked.wait(timeout=BACKGROUND_TIMEOUT_SECONDS)
        finally:
            scheduler.stop()
            scheduler.run_due = original  # type: ignore[method-assign]

    def restore_demo_with_processes(self) -> None:
        """The demo data again, with the business processes it had before Default existed (I2CRM on «В работе»)."""
        self.world.client.reset(with_processes=True)

    def store_process_as_older_crm(
        self, funnel: str, stage: str, provider: str, channel_digits: str, message: str
    ) -> None:
        """A process row as a CRM version before Default wrote it: plain SQL, its columns only, a year-old stamp."""
        stage_id = self.world.stage(funnel, stage)
        channel_id = self.world.channel(provider, channel_digits)
        written = "2025-11-10 11:23:00"
        with self.world.database.session() as session:
            session.execute(
                text(
                    "INSERT INTO business_processes (stage_id, position, enabled, action, timing, delay_value, "
                    "delay_unit, check_stage, provider, channel_id, recipient_rule, text, version, created_at, "
                    "updated_at) VALUES (:stage, 0, 1, 'whatsapp_message', 'immediate', NULL, NULL, 0, :provider, "
                    ":channel, 'all_contacts_all_numbers', :text, 1, :written, :written)"
                ),
                {"stage": stage_id, "provider": provider, "channel": channel_id, "text": message, "written": written},
            )
