"""Writing the deal's "Детально" log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import clock
from emulator.models import TimelineEntry, User


def record(
    session: Session,
    deal_id: int,
    kind: str,
    title: str,
    body: str = "",
    *,
    author: User | None = None,
    at: dt.datetime | None = None,
    message_id: int | None = None,
    run_id: int | None = None,
    flush: bool = True,
) -> TimelineEntry:
    """Adds an entry. ``flush=False``: it is inserted with the session's next flush (entries keep the
    order they were added in, so the log's order is the same)."""
    entry = TimelineEntry(
        deal_id=deal_id,
        kind=kind,
        title=title,
        body=body,
        author_id=author.id if author else None,
        created_at=at or clock.now(),
        message_id=message_id,
        run_id=run_id,
    )
    session.add(entry)
    if flush:
        session.flush()
    return entry


def entries(session: Session, deal_id: int) -> list[TimelineEntry]:
    """Newest first; entries of one instant keep their reverse insertion order."""
    query = (
        select(TimelineEntry)
        .where(TimelineEntry.deal_id == deal_id)
        .order_by(TimelineEntry.created_at.desc(), TimelineEntry.id.desc())
    )
    return list(session.scalars(query))
