"""A deal entering a stage creates one persisted run per enabled process of that stage."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import clock, timeline
from emulator.model_enums import RunStatus, Timing
from emulator.models import BusinessProcess, Deal, ProcessRun, Stage, User
from emulator.vocabulary import CANCELLED_LABEL, DELAY_UNIT_MINUTES, TIMELINE_BP_TITLE


def delay_of(process: BusinessProcess) -> dt.timedelta:
    if process.timing != Timing.DELAYED or not process.delay_value or not process.delay_unit:
        return dt.timedelta(0)
    return dt.timedelta(minutes=process.delay_value * DELAY_UNIT_MINUTES[process.delay_unit])


def processes_of_stage(session: Session, stage_id: int) -> list[BusinessProcess]:
    query = (
        select(BusinessProcess)
        .where(
            BusinessProcess.stage_id == stage_id,
            BusinessProcess.deleted_at.is_(None),
            BusinessProcess.enabled.is_(True),
        )
        .order_by(BusinessProcess.position, BusinessProcess.id)
    )
    return list(session.scalars(query))


def on_stage_entered(session: Session, deal: Deal, stage: Stage, at: dt.datetime) -> list[ProcessRun]:
    runs = [
        ProcessRun(
            process_id=process.id,
            process_version=process.version,
            deal_id=deal.id,
            stage_id=stage.id,
            triggered_at=at,
            due_at=at + delay_of(process),
            status=RunStatus.SCHEDULED,
        )
        for process in processes_of_stage(session, stage.id)
    ]
    session.add_all(runs)
    session.flush()
    return runs


def pending_runs(session: Session, deal_id: int) -> list[ProcessRun]:
    query = (
        select(ProcessRun)
        .where(ProcessRun.deal_id == deal_id, ProcessRun.status == RunStatus.SCHEDULED)
        .order_by(ProcessRun.due_at, ProcessRun.id)
    )
    return list(session.scalars(query))


def cancel_run(session: Session, run: ProcessRun, reason: str, author: User | None = None) -> bool:
    """Cancel a run that has not started; logs it in the deal. False if it already ran."""
    if run.status != RunStatus.SCHEDULED:
        return False
    run.status = RunStatus.CANCELLED
    run.cancel_reason = reason
    run.finished_at = clock.now()
    timeline.record(
        session,
        run.deal_id,
        "bp_cancelled",
        TIMELINE_BP_TITLE,
        f"Статус: {CANCELLED_LABEL}: {reason}",
        author=author,
        run_id=run.id,
    )
    return True


def cancel_pending_runs(session: Session, deal_id: int, reason: str) -> int:
    runs = pending_runs(session, deal_id)
    for run in runs:
        cancel_run(session, run, reason)
    return len(runs)
