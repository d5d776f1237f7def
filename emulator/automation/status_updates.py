"""Provider status reports: "Доставлено", "Прочитано", "Ошибка" on the message and its log entry."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log
from emulator.model_enums import MessageStatus
from emulator.models import Channel, MessageExternalId, OutgoingMessage
from emulator.providers.base import StatusEvent

_EXTERNAL_IDS = cast(Table, MessageExternalId.__table__)
_LINKED = select(_EXTERNAL_IDS.c.id).where(  # Core (no ORM result), by the unique (provider, external_id) index
    _EXTERNAL_IDS.c.provider == bindparam("provider"), _EXTERNAL_IDS.c.external_id == bindparam("external_id")
)
_LINK = insert(_EXTERNAL_IDS)
# One statement where the database can skip an id already linked (its unique index): no SELECT before.
_LINK_UNLESS_LINKED = {
    "sqlite": sqlite.insert(_EXTERNAL_IDS).on_conflict_do_nothing(index_elements=["provider", "external_id"]),
    "postgresql": postgresql.insert(_EXTERNAL_IDS).on_conflict_do_nothing(index_elements=["provider", "external_id"]),
}
_RANK = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.READ: 3}


def find_message(session: Session, provider: str, external_id: str) -> OutgoingMessage | None:
    link_row = session.scalar(
        select(MessageExternalId).where(
            MessageExternalId.provider == provider, MessageExternalId.external_id == external_id
        )
    )
    return session.get(OutgoingMessage, link_row.message_id) if link_row else None


def link(session: Session, message: OutgoingMessage, external_id: str) -> None:
    """Remember a provider's id of (a part of) the message; an id already linked stays with its message."""
    if external_id and find_message(session, message.provider, external_id) is None:
        session.add(MessageExternalId(message_id=message.id, provider=message.provider, external_id=external_id))
        session.flush()


def link_all(session: Session | Connection, found: list[tuple[int, str, str]]) -> None:
    """:func:`link` for many (message id, provider, provider's id) at once, without the ORM."""
    linked: set[tuple[str, str]] = set()
    rows = []
    for message_id, provider, external_id in found:
        if not external_id or (provider, external_id) in linked:
            continue
        linked.add((provider, external_id))
        rows.append({"message_id": message_id, "provider": provider, "external_id": external_id})
    if not rows:
        return
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    unless_linked = _LINK_UNLESS_LINKED.get(dialect.name)
    if unless_linked is not None:
        session.execute(unless_linked, rows)
        return
    rows = [row for row in rows if session.scalar(_LINKED, row) is None]
    if rows:
        session.execute(_LINK, rows)


def _unlinked_match(session: Session, provider: str, event: StatusEvent) -> OutgoingMessage | None:
    """The one message the provider took without an id yet (queued), named by its channel's key and number.

    The event names only the messenger id and the client: while two messages of that channel to that
    client wait for their ids, nothing tells which one it is about, so it is attributed to neither."""
    if not event.channel_key or not event.client:
        return None
    candidates = session.scalars(
        select(OutgoingMessage)
        .join(Channel, Channel.id == OutgoingMessage.channel_id)
        .where(
            OutgoingMessage.provider == provider,
            OutgoingMessage.to_number == event.client,
            Channel.send_key == event.channel_key,
            OutgoingMessage.status.in_((MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)),
        )
        .order_by(OutgoingMessage.sent_at, OutgoingMessage.id)
    )
    waiting = [m for m in candidates if any(p.accepted and not p.external_id for p in m.parts)]
    return waiting[0] if len(waiting) == 1 else None


def message_of(session: Session, provider: str, event: StatusEvent) -> OutgoingMessage | None:
    """The CRM's message an event is about (linking a queued one on its first event)."""
    message = find_message(session, provider, event.external_id)
    if message is not None:
        if event.channel_key is not None:
            channel = session.get(Channel, message.channel_id)
            if channel is None or channel.send_key != event.channel_key:
                return None  # another channel's key: not this channel's message
        return message
    message = _unlinked_match(session, provider, event)
    if message is not None:  # the id belongs to one part: the first that waits for its id
        parts = list(message.parts)
        first = next(i for i, p in enumerate(parts) if p.accepted and not p.external_id)
        parts[first] = parts[first].accepted_as(event.external_id)
        message.parts = parts
        link(session, message, event.external_id)
    return message


def apply_status(session: Session, message: OutgoingMessage, status: MessageStatus, reason: str | None = None) -> bool:
    """Move the message forward (sent < delivered < read); an error sticks unless it was read."""
    current = message.status
    if status == MessageStatus.ERROR:
        if current in (MessageStatus.READ, MessageStatus.ERROR):
            return False
        message.status_reason = reason or "сервис сообщил об ошибке доставки"
    elif _RANK.get(status, 0) <= _RANK.get(current, 0) or current == MessageStatus.ERROR:
        return False
    message.status = status
    message.updated_at = clock.now()
    message_log.refresh_entry(session, message)
    return True
