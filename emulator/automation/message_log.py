"""The deal's log of business-process messages: one entry per number, kept in step with its status."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.orm import Session

from emulator import relative_time, timeline
from emulator.db import rowcount_of
from emulator.model_enums import MessageStatus
from emulator.models import OutgoingMessage, TimelineEntry
from emulator.vocabulary import MESSAGE_STATUS_LABELS, NOT_SENT_LABEL, TIMELINE_BP_TITLE

KIND = "bp_message"
_ENTRIES = "message_log.entries"  # session.info: message id -> its entry, as preloaded
_ENTRIES_OF = select(TimelineEntry).where(TimelineEntry.message_id.in_(bindparam("ids", expanding=True)))
_TIMELINE = cast(Table, TimelineEntry.__table__)
_SET_BODY = _TIMELINE.update().where(_TIMELINE.c.message_id == bindparam("of_message")).values(body=bindparam("line"))


def status_line(message: OutgoingMessage) -> str:
    return line(message.status, message.status_reason, message.next_attempt_at)


def line(status: MessageStatus, reason: str | None = None, next_attempt_at: dt.datetime | None = None) -> str:
    """The entry's status line of a message in this state."""
    label = MESSAGE_STATUS_LABELS[status]
    if status == MessageStatus.ERROR:
        return f"Статус: {label}: {reason or 'неизвестная ошибка'}"
    if status == MessageStatus.RETRYING and next_attempt_at is not None:
        when = relative_time.relative(next_attempt_at)
        return f"Статус: {label} {when}: {reason or ''}".rstrip(": ")
    return f"Статус: {label}"


def open_entry(session: Session, message: OutgoingMessage, *, flush: bool = True) -> TimelineEntry:
    entry = timeline.record(
        session,
        message.deal_id,
        KIND,
        TIMELINE_BP_TITLE,
        status_line(message),
        at=message.created_at,
        message_id=message.id,
        run_id=message.run_id,
        flush=flush,
    )
    known = session.info.get(_ENTRIES)
    if known is not None:
        known[message.id] = entry
    return entry


def preload(session: Session, message_ids: list[int]) -> None:
    """Read the entries of these messages in one query; :func:`refresh_entry` then finds them in the session."""
    known: dict[int, TimelineEntry | None] = session.info.setdefault(_ENTRIES, {})
    known.update(dict.fromkeys(message_ids))
    for entry in session.scalars(_ENTRIES_OF, {"ids": message_ids}):
        if entry.message_id is not None and known[entry.message_id] is None:
            known[entry.message_id] = entry


def set_status_line(session: Session | Connection, message_id: int, status_line: str) -> bool:
    """Rewrite the entry of a message without loading it; False if the message has none yet."""
    return rowcount_of(session.execute(_SET_BODY, {"of_message": message_id, "line": status_line})) > 0


def refresh_entry(session: Session, message: OutgoingMessage) -> None:
    known: dict[int, TimelineEntry | None] = session.info.get(_ENTRIES, {})
    if message.id in known:
        entry = known[message.id]
    else:
        entry = session.scalar(select(TimelineEntry).where(TimelineEntry.message_id == message.id))
    if entry is None:
        open_entry(session, message)
    else:
        entry.body = status_line(message)


def not_sent(session: Session, deal_id: int, run_id: int, reason: str, *, flush: bool = True) -> None:
    timeline.record(
        session, deal_id, KIND, TIMELINE_BP_TITLE, f"Статус: {NOT_SENT_LABEL}: {reason}", run_id=run_id, flush=flush
    )


def failed(session: Session, deal_id: int, run_id: int, reason: str, *, flush: bool = True) -> None:
    """An error before any message existed (integration or channel unusable)."""
    timeline.record(
        session,
        deal_id,
        KIND,
        TIMELINE_BP_TITLE,
        f"Статус: {MESSAGE_STATUS_LABELS['error']}: {reason}",
        run_id=run_id,
        flush=flush,
    )
