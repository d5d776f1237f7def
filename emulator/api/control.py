"""Control API for tests and local development (off unless CRM_CONTROL_API is on; who may call it:
:mod:`emulator.api.control_access`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from emulator import clock, files, seed
from emulator.api.control_access import ControlRoute
from emulator.automation.scheduler import Scheduler
from emulator.errors import ValidationFailed

router = APIRouter(prefix="/_control", tags=["Управление (тесты)"], route_class=ControlRoute)


class ResetIn(BaseModel):
    with_processes: bool = True


class ClockIn(BaseModel):
    now: dt.datetime | None = None
    advance_seconds: float | None = None


def _scheduler(request: Request) -> Scheduler:
    scheduler: Scheduler = request.app.state.scheduler
    return scheduler


@router.get("/health")
def health() -> dict[str, Any]:
    return {"status": "ok", "now": clock.now().isoformat()}


@router.post("/reset")
def reset(request: Request, body: ResetIn | None = None) -> dict[str, Any]:
    """Empty the database and the uploads on disk, and load the demo data (optionally without its business
    process)."""
    _reset(request, with_processes=(body or ResetIn()).with_processes)
    return {"status": "ok"}


@router.post("/seed")
def reseed(request: Request) -> dict[str, Any]:
    _reset(request, with_processes=True)
    return {"status": "ok"}


def _reset(request: Request, *, with_processes: bool) -> None:
    with _scheduler(request).stand_lock(exclusive=True):  # no scheduler pass of any worker writes into the fresh data
        seed.reset(request.app.state.database, with_processes=with_processes)
        # Once the rows are gone, so are the files they named: none outlives its scenario on disk (and the
        # scheduler's sweep of the uploads folder does not grow with every scenario of a session).
        files.remove_all(request.app.state.settings.files_dir)


@router.post("/clock")
def set_clock(body: ClockIn) -> dict[str, Any]:
    if (body.now is None) == (body.advance_seconds is None):
        raise ValidationFailed.one("now", "Время", "передайте ровно одно из now и advance_seconds")
    if body.now is not None:
        clock.set_now(body.now)
    else:
        assert body.advance_seconds is not None
        if body.advance_seconds < 0:
            raise ValidationFailed.one("advance_seconds", "Сдвиг", "время не идёт назад")
        clock.advance(body.advance_seconds)
    return {"now": clock.now().isoformat()}


@router.post("/scheduler/run-due")
def run_due(request: Request) -> dict[str, Any]:
    scheduler = _scheduler(request)
    report = scheduler.run_due(exclusive=True)  # the other workers' passes finished too
    moment = scheduler.next_due_at()  # what a test stepping through time asks next: one call, not two
    return {
        "runs": report.runs,
        "attempts": report.attempts,
        "recovered": report.recovered,
        "now": clock.now().isoformat(),
        "next_due_at": moment.isoformat() if moment else None,
    }


@router.get("/scheduler/next-due")
def next_due(request: Request) -> dict[str, Any]:
    """The earliest moment something is due (a run or a retry), so tests can step through time."""
    moment = _scheduler(request).next_due_at()
    return {"next_due_at": moment.isoformat() if moment else None}
