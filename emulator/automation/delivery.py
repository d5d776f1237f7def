"""Sending one message: the second half of the common send method, shared by all providers.

An attempt is claimed in a short transaction (so two schedulers never send one message); each part's
call is recorded before it is made (its own short transaction), the provider is called outside any
transaction, and the outcome is written in another. What may be retried is decided by the adapter's
declared ``lost_answer`` rule (:mod:`part_sending`); when, by :mod:`retry_policy`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log, reconciliation, retry_policy, status_updates
from emulator.automation.part_sending import Delivered, Failed, Outcome, Retry, Unknown, attempt
from emulator.automation.run_execution import unusable_reason
from emulator.db import Database, rowcount_of
from emulator.integrations import credentials
from emulator.model_enums import MessageStatus
from emulator.models import BusinessProcess, Channel, Integration, OutgoingMessage
from emulator.providers.base import Accepted, Attachment, Credentials, OutgoingRequest
from emulator.providers.parts import MessagePart, PartState
from emulator.providers.registry import adapter_for
from emulator.settings import Settings

DUE_STATUSES = (MessageStatus.PENDING, MessageStatus.RETRYING)
FINAL_STATUSES = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.ERROR)
INTERRUPTED = "отправка прервана остановкой CRM"


@dataclass(frozen=True)
class Attempt:
    message_id: int
    provider: str
    credentials: Credentials
    request: OutgoingRequest
    parts: list[MessagePart]


def _request_of(message: OutgoingMessage, channel: Channel) -> OutgoingRequest:
    return OutgoingRequest(
        channel_external_id=channel.external_id,
        channel_phone=channel.phone,
        send_key=channel.send_key,
        to=message.to_number,
        text=message.text,
        attachments=tuple(Attachment(**a) for a in message.attachments),
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
    return Attempt(message.id, message.provider, credentials(settings, integration), request, list(message.parts))


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


def _record(database: Database, message_id: int, parts: list[MessagePart]) -> None:
    """Save the parts before a call (its start is what the lost-answer rule needs after a restart)."""
    with database.session() as session:
        message = session.get(OutgoingMessage, message_id)
        assert message is not None
        message.parts = list(parts)
        message.updated_at = clock.now()


def _link(session: Session, message: OutgoingMessage, accepted: list[Accepted]) -> None:
    for found in accepted:
        for external_id in found.external_ids:
            status_updates.link(session, message, external_id)


def apply(
    session: Session,
    settings: Settings,
    attempt_: Attempt,
    outcome: Outcome,
    parts: list[MessagePart],
    accepted: list[Accepted],
    now: dt.datetime,
) -> None:
    message = session.get(OutgoingMessage, attempt_.message_id)
    assert message is not None
    message.parts = list(parts)
    _link(session, message, accepted)
    if message.status != MessageStatus.SENDING:
        return  # a status webhook overtook this answer; it knows better
    if isinstance(outcome, Delivered):
        _finish(session, message, MessageStatus.SENT, None, now)
        reconciliation.schedule_first_check(settings, message, now)
        if outcome.status is not None:
            status_updates.apply_status(session, message, outcome.status, outcome.reason)
    elif isinstance(outcome, Retry):
        decision = retry_policy.after_transient_failure(
            message.attempts, now, outcome.retry_after, outcome.not_after, outcome.ambiguous
        )
        if decision.next_attempt_at is None:
            reason = (
                decision.give_up_reason
                if decision.give_up is retry_policy.GiveUp.PROVIDER_FORGETS
                else f"{outcome.reason} ({decision.give_up_reason})"
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
        claimed = claim(session, settings, message_id, worker, clock.now())
    if claimed is None:
        return False
    adapter = adapter_for(claimed.provider, settings)
    parts, accepted = claimed.parts, list[Accepted]()
    try:
        outcome, parts, accepted = attempt(
            adapter, claimed.credentials, claimed.request, claimed.parts, lambda p: _record(database, message_id, p)
        )
    except Exception as exc:  # a bug must not turn into a blind resend
        outcome = Unknown(f"статус неизвестен: внутренняя ошибка {type(exc).__name__}")
    with database.session() as session:
        apply(session, settings, claimed, outcome, parts, accepted, clock.now())
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
    """Messages left "sending" by a stopped scheduler: a part in flight may have reached the provider.

    They go back to the retry queue with that part marked as possibly arrived (from the start recorded
    before its call), so each adapter's declared rule decides on the next attempt.
    """
    stale = list(
        session.scalars(
            select(OutgoingMessage).where(
                OutgoingMessage.status == MessageStatus.SENDING, OutgoingMessage.updated_at <= now - lease
            )
        )
    )
    for message in stale:
        message.parts = [p.may_have_arrived() if p.state is PartState.IN_FLIGHT else p for p in message.parts]
        message.status = MessageStatus.RETRYING
        message.status_reason = INTERRUPTED
        message.next_attempt_at = now
        message.updated_at = now
        message_log.refresh_entry(session, message)
    return len(stale)
