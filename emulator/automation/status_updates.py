"""Provider status callbacks: "Доставлено", "Прочитано", "Ошибка" on the message and its log entry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log
from emulator.model_enums import MessageStatus
from emulator.models import MessageExternalId, OutgoingMessage

_RANK = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.READ: 3}


def find_message(session: Session, provider: str, external_id: str) -> OutgoingMessage | None:
    link = session.scalar(
        select(MessageExternalId).where(
            MessageExternalId.provider == provider, MessageExternalId.external_id == external_id
        )
    )
    return session.get(OutgoingMessage, link.message_id) if link else None


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
