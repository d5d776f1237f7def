"""A provider's status webhook, end to end: authenticate (the adapter's way), drop replays, apply events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emulator import clock, replies
from emulator.automation import status_updates
from emulator.model_enums import MessageStatus
from emulator.models import Integration, ProcessedWebhook
from emulator.providers.base import IncomingWebhook, WebhookRefused, WebhookTrust
from emulator.providers.registry import adapter_for
from emulator.settings import Settings

REMEMBER_DELIVERIES = dt.timedelta(days=7)  # far longer than any provider retries one delivery


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def trust_of(integration: Integration | None, now: dt.datetime) -> WebhookTrust:
    if integration is None:
        return WebhookTrust(secrets=(), now=now)
    found = [integration.webhook_secret or ""]
    until = integration.previous_secret_until
    if integration.previous_webhook_secret and until is not None and now < until:
        found.append(integration.previous_webhook_secret)
    keys = tuple(c.send_key for c in integration.channels if c.send_key)
    return WebhookTrust(secrets=tuple(s for s in found if s), channel_keys=keys, now=now)


def _seen_before(session: Session, provider: str, delivery_id: str, now: dt.datetime) -> bool:
    known = session.scalar(
        select(ProcessedWebhook).where(
            ProcessedWebhook.provider == provider, ProcessedWebhook.delivery_id == delivery_id
        )
    )
    if known is not None:
        return True
    session.execute(delete(ProcessedWebhook).where(ProcessedWebhook.received_at < now - REMEMBER_DELIVERIES))
    session.add(ProcessedWebhook(provider=provider, delivery_id=delivery_id, received_at=now))
    session.flush()
    return False


def receive(session: Session, settings: Settings, provider: str, incoming: IncomingWebhook) -> Answer:
    now = clock.now()
    integration = session.scalar(select(Integration).where(Integration.provider == provider))
    reading = adapter_for(provider, settings).read_webhook(incoming, trust_of(integration, now))
    if isinstance(reading, WebhookRefused):
        return Answer(reading.status, {"ok": False, "error": reading.reason})
    if reading.delivery_id is not None and _seen_before(session, provider, reading.delivery_id, now):
        return Answer(200, {**reading.answer, "updated": 0, "replayed": True})
    updated = 0
    for event in reading.events:
        message = status_updates.message_of(session, provider, event)
        if message is None or event.status is None:
            continue
        reason = event.reason if event.status == MessageStatus.ERROR else None
        updated += status_updates.apply_status(session, message, event.status, reason)
    received = sum(replies.record(session, provider, reply, now) for reply in reading.replies)
    return Answer(200, {**reading.answer, "updated": updated, "received": received})
