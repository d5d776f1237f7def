"""Asking the provider about messages that stay "Отправлено" without a delivery report.

A status webhook can be lost in transit. Where the provider can be asked (its adapter's
``lost_answer.lookup``), a message still "Отправлено" is looked up 15 minutes after it was sent, then
after 1 hour and after 6 hours (docs/DECISIONS.md); what the provider reports is applied as if its
webhook had come. A message may stay undelivered for good (a phone switched off), so checks stop there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import status_updates
from emulator.db import Database
from emulator.integrations import credentials
from emulator.model_enums import MessageStatus
from emulator.models import Integration, OutgoingMessage
from emulator.providers.base import Accepted
from emulator.providers.registry import adapter_for
from emulator.settings import Settings

CHECKS_AFTER_SENDING: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)


def _next_check(sent_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    return next((sent_at + after for after in CHECKS_AFTER_SENDING if sent_at + after > now), None)


def first_check_at(settings: Settings, provider: str, sent_at: dt.datetime) -> dt.datetime | None:
    """When a message just sent is first asked about (None: its provider cannot be asked)."""
    return _next_check(sent_at, sent_at) if adapter_for(provider, settings).lost_answer.lookup else None


def schedule_first_check(settings: Settings, message: OutgoingMessage, now: dt.datetime) -> None:
    check_at = first_check_at(settings, message.provider, now)
    if check_at is not None:
        message.next_check_at = check_at


def due_ids(session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    query = (
        select(OutgoingMessage.id)
        .where(OutgoingMessage.next_check_at.is_not(None), OutgoingMessage.next_check_at <= now)
        .order_by(OutgoingMessage.next_check_at, OutgoingMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def next_check_at(session: Session) -> dt.datetime | None:
    moment: dt.datetime | None = session.scalar(
        select(func.min(OutgoingMessage.next_check_at)).where(OutgoingMessage.next_check_at.is_not(None))
    )
    return moment


def check(database: Database, settings: Settings, message_id: int) -> bool:
    """Ask about one message; False when there was nothing to ask."""
    now = clock.now()
    with database.session() as session:
        message = session.get(OutgoingMessage, message_id)
        if message is None or message.next_check_at is None or message.next_check_at > now:
            return False
        message.next_check_at = None
        if message.status != MessageStatus.SENT or message.sent_at is None:
            return False
        message.next_check_at = _next_check(message.sent_at, now)
        integration = session.scalar(select(Integration).where(Integration.provider == message.provider))
        if integration is None or not integration.connected:
            return False
        account, parts = credentials(settings, integration), list(message.parts)
    adapter = adapter_for(message.provider, settings)
    reports = [adapter.look_up(account, part) for part in parts if part.accepted]
    with database.session() as session:
        message = session.get(OutgoingMessage, message_id)
        assert message is not None
        for report in reports:
            if isinstance(report, Accepted) and report.status is not None:
                status_updates.apply_status(session, message, report.status, report.reason)
        if message.status != MessageStatus.SENT:
            message.next_check_at = None
    return True
