"""Provider status reports: "Доставлено", "Прочитано", "Ошибка" on the message and its log entry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log
from emulator.model_enums import MessageStatus
from emulator.models import Channel, MessageExternalId, OutgoingMessage
from emulator.providers.base import StatusEvent

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


def _unlinked_match(session: Session, provider: str, event: StatusEvent) -> OutgoingMessage | None:
    """A message the provider took without an id yet (queued), named by its channel's key and number."""
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
    for message in candidates:
        if any(p.accepted and not p.external_id for p in message.parts):
            return message
    return None


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
    if message is not None:
        message.parts = [
            p.accepted_as(event.external_id) if p.accepted and not p.external_id else p for p in message.parts
        ]
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
