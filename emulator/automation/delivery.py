"""Sending one message: the second half of the common send method, shared by all providers.

An attempt is claimed in a short transaction (so two schedulers never send one message), the
provider is called outside any transaction, and the outcome is written in another. What may be
retried is the adapter's call (it knows its provider's idempotency); when is :mod:`retry_policy`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log, retry_policy, status_updates
from emulator.automation.run_execution import idempotency_key, unusable_reason
from emulator.db import Database, rowcount_of
from emulator.integrations import credentials
from emulator.model_enums import MessageStatus
from emulator.models import BusinessProcess, Channel, Integration, MessageExternalId, OutgoingMessage
from emulator.providers.base import (
    Attachment,
    Credentials,
    Delivered,
    Failed,
    OutgoingRequest,
    Parts,
    Retry,
    SendOutcome,
    Unknown,
)
from emulator.providers.registry import adapter_for
from emulator.settings import Settings

DUE_STATUSES = (MessageStatus.PENDING, MessageStatus.RETRYING)
FINAL_STATUSES = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.ERROR)


@dataclass(frozen=True)
class Attempt:
    message_id: int
    provider: str
    credentials: Credentials
    request: OutgoingRequest
    parts: Parts


def _request_of(message: OutgoingMessage, channel: Channel) -> OutgoingRequest:
    return OutgoingRequest(
        channel_external_id=channel.external_id,
        channel_phone=channel.phone,
        send_key=channel.send_key,
        to=message.to_number,
        text=message.text,
        attachments=tuple(Attachment(**a) for a in message.attachments),
        idempotency_key=idempotency_key(message.run_id, message.to_number),
    )


def claim(session: Session, settings: Settings, message_id: int, worker: str, now: dt.datetime) -> Attempt | None:
    """Take a due message for one attempt, or None if it is not due or someone else took it."""
    taken = rowcount_of(
        session.execute(
            update(OutgoingMessage)
            .where(
                OutgoingMessage.id == message_id,
                OutgoingMessage.status.in_(DUE_STATUSES),
                OutgoingMessage.next_attempt_at <= now,
            )
            .values(
                status=MessageStatus.SENDING, claimed_by=worker, attempts=OutgoingMessage.attempts + 1, updated_at=now
            )
            .execution_options(synchronize_session=False)
        )
    )
    if taken != 1:
        return None
    message = session.get(OutgoingMessage, message_id)
    assert message is not None
    session.refresh(message)
    process = session.get(BusinessProcess, message.process_id)
    integration = session.scalar(select(Integration).where(Integration.provider == message.provider))
    channel = session.get(Channel, message.channel_id)
    reason = unusable_reason(integration, process) if process is not None else "бизнес-процесс удалён"
    if reason is None and (channel is None or not channel.active):
        reason = "канал неактивен"
    if reason is not None:
        _finish(session, message, MessageStatus.ERROR, reason, now)
        return None
    assert integration is not None and channel is not None
    request = _request_of(message, channel)
    if not message.parts:
        message.parts = adapter_for(message.provider, settings).plan(request)
    return Attempt(
        message_id=message.id,
        provider=message.provider,
        credentials=credentials(settings, integration),
        request=request,
        parts=[dict(p) for p in message.parts],
    )


def _finish(
    session: Session, message: OutgoingMessage, status: MessageStatus, reason: str | None, now: dt.datetime
) -> None:
    message.status = status
    message.status_reason = reason
    message.next_attempt_at = None
    message.updated_at = now
    if status == MessageStatus.SENT:
        message.sent_at = now
    message_log.refresh_entry(session, message)


def apply(session: Session, attempt: Attempt, outcome: SendOutcome, parts: Parts, now: dt.datetime) -> None:
    message = session.get(OutgoingMessage, attempt.message_id)
    assert message is not None
    message.parts = [dict(p) for p in parts]
    if message.status not in (MessageStatus.SENDING,):
        return  # a status webhook overtook this answer; it knows better
    if isinstance(outcome, Delivered):
        for external_id in dict.fromkeys(i for i in outcome.external_ids if i):
            if status_updates.find_message(session, message.provider, external_id) is None:  # a replayed answer
                link = MessageExternalId(message_id=message.id, provider=message.provider, external_id=external_id)
                session.add(link)
        _finish(session, message, MessageStatus.SENT, None, now)
    elif isinstance(outcome, Retry):
        decision = retry_policy.after_transient_failure(message.attempts, now, outcome.retry_after, outcome.not_after)
        if decision.next_attempt_at is None:
            reason = (
                decision.give_up_reason
                if decision.give_up is retry_policy.GiveUp.PROVIDER_FORGETS
                else (f"{outcome.reason} ({decision.give_up_reason})")
            )
            _finish(session, message, MessageStatus.ERROR, reason, now)
        else:
            message.status = MessageStatus.RETRYING
            message.status_reason = outcome.reason
            message.next_attempt_at = decision.next_attempt_at
            message.updated_at = now
            message_log.refresh_entry(session, message)
    elif isinstance(outcome, Failed | Unknown):
        _finish(session, message, MessageStatus.ERROR, outcome.reason, now)


def deliver(database: Database, settings: Settings, message_id: int, worker: str) -> bool:
    """One attempt at one message. False when it was not ours to send."""
    with database.session() as session:
        attempt = claim(session, settings, message_id, worker, clock.now())
    if attempt is None:
        return False
    adapter = adapter_for(attempt.provider, settings)
    try:
        outcome, parts = adapter.send(attempt.credentials, attempt.request, attempt.parts)
    except Exception as exc:  # a bug must not turn into a blind resend
        outcome, parts = Unknown(f"статус неизвестен: внутренняя ошибка {type(exc).__name__}"), attempt.parts
    with database.session() as session:
        apply(session, attempt, outcome, parts, clock.now())
    return True


def due_message_ids(session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    query = (
        select(OutgoingMessage.id)
        .where(OutgoingMessage.status.in_(DUE_STATUSES), OutgoingMessage.next_attempt_at <= now)
        .order_by(OutgoingMessage.next_attempt_at, OutgoingMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def recover_interrupted(session: Session, now: dt.datetime, lease: dt.timedelta) -> int:
    """Messages left "sending" by a stopped scheduler: their last request may have arrived.

    They go back to the retry queue with the in-flight part marked ambiguous, so each adapter's
    rule applies (Default retries with its key, Wazzup only inside its 60 s window, i2crm never).
    """
    stale = list(
        session.scalars(
            select(OutgoingMessage).where(
                OutgoingMessage.status == MessageStatus.SENDING, OutgoingMessage.updated_at <= now - lease
            )
        )
    )
    for message in stale:
        if message.provider == "i2crm":  # no idempotency key: never resend
            _finish(session, message, MessageStatus.ERROR, "статус неизвестен", now)
            continue
        parts = [dict(p) for p in message.parts or []]
        for part in parts:
            if part.get("status") != "accepted":
                part["status"] = "ambiguous"
                part["ambiguous_since"] = part.get("ambiguous_since") or message.updated_at.isoformat()
                break
        message.parts = parts
        message.status = MessageStatus.RETRYING
        message.status_reason = "отправка прервана остановкой CRM"
        message.next_attempt_at = now
        message.updated_at = now
        message_log.refresh_entry(session, message)
    return len(stale)
