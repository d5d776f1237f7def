"""Sending messages: the second half of the common send method, shared by all providers.

Due messages are claimed a batch at a time in one short transaction (so two schedulers never send one
message), then attempted one after another. Each part's call is recorded before it is made (its own short
transaction, which also carries the outcome of the message attempted before it), the provider is called
outside any transaction, and the last outcome is written when the batch ends. A message is never sent
unless it was claimed, and every outcome is committed before the next provider call: a crash costs what
it cost when each message had its own transactions. What may be retried is decided by the adapter's
declared ``lost_answer`` rule (:mod:`part_sending`); when, by :mod:`retry_policy`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Connection, Integer, Table, and_, bindparam, select
from sqlalchemy.orm import Session

from emulator import clock
from emulator.automation import message_log, reconciliation, retry_policy, status_updates
from emulator.automation.part_sending import Delivered, Failed, Outcome, Retry, Unknown, attempt
from emulator.automation.run_execution import unusable_reason
from emulator.db import Database
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
BATCH = 8  # due messages claimed in one transaction
# A batch hands back what it has not started after this long (real seconds), so other schedulers share
# the work while sends are slow; and after half the lease on the CRM's clock, before anyone would take
# its claims for those of a stopped scheduler.
BATCH_SECONDS = 0.5


@dataclass(frozen=True)
class Attempt:
    message_id: int
    worker: str
    attempt: int  # the message's attempt counter after the claim: with ``worker``, which claim this is
    provider: str
    credentials: Credentials
    request: OutgoingRequest
    parts: list[MessagePart]


@dataclass
class Claimed:
    due: int = 0  # due messages seen (0: nothing was due)
    attempts: list[Attempt] = field(default_factory=list)  # those this claim took, in their order


class ClaimLost(Exception):
    """The message is no longer this scheduler's to send (another one took it over)."""


def _request_of(message: OutgoingMessage, channel: Channel) -> OutgoingRequest:
    return OutgoingRequest(
        channel_external_id=channel.external_id,
        channel_phone=channel.phone,
        send_key=channel.send_key,
        to=message.to_number,
        text=message.text,
        attachments=tuple(Attachment(**a) for a in message.attachments),
    )


# The statements of the send loop, built once (building and keying a statement costs more than running it).
_MESSAGES = cast(Table, OutgoingMessage.__table__)
_DUE = (
    select(_MESSAGES.c.id)
    .where(_MESSAGES.c.status.in_(DUE_STATUSES), _MESSAGES.c.next_attempt_at <= bindparam("now"))
    .order_by(_MESSAGES.c.next_attempt_at, _MESSAGES.c.id)
    .limit(bindparam("limit", type_=Integer))
)
_DUE_SKIP_LOCKED = _DUE.with_for_update(skip_locked=True)
_CLAIM = (
    _MESSAGES.update()
    .where(
        _MESSAGES.c.id.in_(bindparam("ids", expanding=True)),
        _MESSAGES.c.status.in_(DUE_STATUSES),
        _MESSAGES.c.next_attempt_at <= bindparam("now"),
    )
    .values(
        status=MessageStatus.SENDING,
        claimed_by=bindparam("worker"),
        attempts=_MESSAGES.c.attempts + 1,
        updated_at=bindparam("now"),
    )
    .returning(_MESSAGES.c.id)
)
_MESSAGES_BY_ID = select(OutgoingMessage).where(OutgoingMessage.id.in_(bindparam("ids", expanding=True)))
_PROCESSES_BY_ID = select(BusinessProcess).where(BusinessProcess.id.in_(bindparam("ids", expanding=True)))
_INTEGRATIONS_OF = select(Integration).where(Integration.provider.in_(bindparam("providers", expanding=True)))
_CHANNELS_BY_ID = select(Channel).where(Channel.id.in_(bindparam("ids", expanding=True)))
# The claim still stands: taken by this attempt (its worker and attempt counter), not handed back as due since.
_OURS = and_(
    _MESSAGES.c.id == bindparam("message_id"),
    _MESSAGES.c.claimed_by == bindparam("worker"),
    _MESSAGES.c.attempts == bindparam("attempt"),
    *(_MESSAGES.c.status != status for status in DUE_STATUSES),  # not NOT IN: no list to expand per execution
)
_RECORD = (
    _MESSAGES.update()
    .where(_OURS)
    .values(parts=bindparam("new_parts", type_=_MESSAGES.c.parts.type), updated_at=bindparam("at"))
)
# :func:`apply` of the usual outcome (every part accepted, nothing reported further) to a message still
# sending under this claim, without loading it: "Отправлено", as ``_finish`` and ``schedule_first_check`` set it.
_SENT = (
    _MESSAGES.update()
    .where(_OURS, _MESSAGES.c.status == MessageStatus.SENDING)
    .values(
        parts=bindparam("new_parts", type_=_MESSAGES.c.parts.type),
        status=MessageStatus.SENT,
        status_reason=None,
        next_attempt_at=None,
        updated_at=bindparam("at"),
        sent_at=bindparam("at"),
    )
)
_SENT_THEN_CHECKED = _SENT.values(next_check_at=bindparam("check_at"))
_RELEASE = (
    _MESSAGES.update()
    .where(_OURS)
    .values(
        status=bindparam("back_status", type_=_MESSAGES.c.status.type),
        attempts=bindparam("back_attempts"),
        updated_at=bindparam("at"),
    )
)


def claim_due(
    session: Session, settings: Settings, worker: str, now: dt.datetime, limit: int, *, skip_locked: bool = False
) -> Claimed:
    """Take up to ``limit`` due messages for one attempt each (those another scheduler took are left out).

    A message whose process, integration or channel can no longer send fails here, without an attempt.
    """
    due = list(session.scalars(_DUE_SKIP_LOCKED if skip_locked else _DUE, {"now": now, "limit": limit}))
    if not due:
        return Claimed()
    taken = set(session.scalars(_CLAIM, {"ids": due, "now": now, "worker": worker}))
    claimed = Claimed(due=len(due))
    if not taken:
        return claimed
    messages = {m.id: m for m in session.scalars(_MESSAGES_BY_ID, {"ids": sorted(taken)})}
    process_ids = sorted({m.process_id for m in messages.values()})
    processes = {p.id: p for p in session.scalars(_PROCESSES_BY_ID, {"ids": process_ids})}
    providers = sorted({m.provider for m in messages.values()})
    integrations = {i.provider: i for i in session.scalars(_INTEGRATIONS_OF, {"providers": providers})}
    channel_ids = {m.channel_id for m in messages.values()} | {p.channel_id for p in processes.values() if p.channel_id}
    channels = {c.id: c for c in session.scalars(_CHANNELS_BY_ID, {"ids": sorted(channel_ids)})}
    for message_id in due:
        message = messages.get(message_id)
        if message is None:
            continue
        process = processes.get(message.process_id)
        integration = integrations.get(message.provider)
        channel = channels.get(message.channel_id)
        reason = unusable_reason(integration, process) if process is not None else "бизнес-процесс удалён"
        if reason is None and (channel is None or not channel.active):
            reason = "канал неактивен"
        if reason is not None:
            _finish(session, message, MessageStatus.ERROR, reason, now)
            continue
        assert integration is not None and channel is not None
        request = _request_of(message, channel)
        if not message.parts:
            message.parts = adapter_for(message.provider, settings).plan(request)
        claimed.attempts.append(
            Attempt(
                message.id,
                worker,
                message.attempts,
                message.provider,
                credentials(settings, integration),
                request,
                list(message.parts),
            )
        )
    return claimed


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


def _ours(attempt_: Attempt) -> dict[str, object]:
    return {"message_id": attempt_.message_id, "worker": attempt_.worker, "attempt": attempt_.attempt}


def _record(connection: Connection, attempt_: Attempt, parts: list[MessagePart], now: dt.datetime) -> bool:
    """Save the parts before a call (its start is what the lost-answer rule needs after a restart).

    False when the claim no longer stands: the call must not be made."""
    saved = connection.execute(_RECORD, {**_ours(attempt_), "new_parts": list(parts), "at": now})
    return saved.rowcount == 1


def release(connection: Connection, attempts: list[Attempt], now: dt.datetime) -> None:
    """Hand back claimed messages not attempted: due again as they were, their attempt not counted."""
    for attempt_ in attempts:
        before = attempt_.attempt - 1
        connection.execute(
            _RELEASE, {**_ours(attempt_), "back_status": _due_again(before), "back_attempts": before, "at": now}
        )


def _due_again(attempts_before: int) -> MessageStatus:
    """The status of a message handed back unattempted: as before its claim."""
    return MessageStatus.PENDING if attempts_before == 0 else MessageStatus.RETRYING


def _link(session: Session, message: OutgoingMessage, accepted: list[Accepted]) -> None:
    status_updates.link_all(session, _links(message.id, message.provider, accepted))


def _links(message_id: int, provider: str, accepted: list[Accepted]) -> list[tuple[int, str, str]]:
    return [(message_id, provider, external_id) for found in accepted for external_id in found.external_ids]


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
    _link(session, message, accepted)
    if message.claimed_by != attempt_.worker or message.attempts != attempt_.attempt:
        return  # another scheduler took it over: what it knows stays
    message.parts = list(parts)
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


@dataclass(frozen=True)
class _Result:
    attempt: Attempt
    outcome: Outcome
    parts: list[MessagePart]
    accepted: list[Accepted]
    at: dt.datetime  # when the answer came: the moment the outcome is recorded as of


class _Outcomes:
    """Outcomes not yet written: they go with the next transaction, before the next provider call."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.pending: list[_Result] = []

    def write(self, connection: Connection) -> None:
        """Write them in the caller's transaction: the usual outcome in Core statements, any other through
        the ORM (a session joining that transaction)."""
        rest = [result for result in self.pending if not self._sent(connection, result)]
        if not rest:
            return
        ids = [result.attempt.message_id for result in rest]
        with self.database.sessions(bind=connection) as session:
            # Read at once; held here, as the session's identity map holds them weakly (apply's get finds them).
            messages = list(session.scalars(_MESSAGES_BY_ID, {"ids": ids}))
            message_log.preload(session, ids)
            for result in rest:
                apply(session, self.settings, result.attempt, result.outcome, result.parts, result.accepted, result.at)
            session.flush()
            del messages

    def _sent(self, connection: Connection, result: _Result) -> bool:
        """The usual outcome, written with two UPDATEs; False when :func:`apply` must decide (another
        outcome, a status webhook came first, or the claim was taken over): nothing was written then."""
        if not isinstance(result.outcome, Delivered) or result.outcome.status is not None:
            return False
        claimed = result.attempt
        check_at = reconciliation.first_check_at(self.settings, claimed.provider, result.at)
        values = {**_ours(claimed), "new_parts": list(result.parts), "at": result.at}
        if check_at is None:
            sent = connection.execute(_SENT, values)
        else:
            sent = connection.execute(_SENT_THEN_CHECKED, {**values, "check_at": check_at})
        if sent.rowcount != 1:
            return False
        status_updates.link_all(connection, _links(claimed.message_id, claimed.provider, result.accepted))
        if not message_log.set_status_line(connection, claimed.message_id, message_log.line(MessageStatus.SENT)):
            with self.database.sessions(bind=connection) as session:
                message = session.get(OutgoingMessage, claimed.message_id)
                assert message is not None
                message_log.open_entry(session, message)
        return True

    def written(self) -> None:
        """Their transaction committed."""
        self.pending.clear()


def _may_ask_first(parts: list[MessagePart]) -> bool:
    """A part that may have arrived: the provider may be asked about it before any call is recorded."""
    return any(p.state in (PartState.AMBIGUOUS, PartState.IN_FLIGHT) for p in parts)


def _send(database: Database, settings: Settings, claimed: Attempt, outcomes: _Outcomes) -> bool:
    """One attempt at one claimed message; its outcome joins ``outcomes``. False if the claim was lost."""
    if _may_ask_first(claimed.parts):  # no provider call before the outcomes so far are written
        with database.transaction() as connection:
            outcomes.write(connection)
        outcomes.written()

    def record(parts: list[MessagePart]) -> None:
        with database.transaction() as connection:
            outcomes.write(connection)
            ours = _record(connection, claimed, parts, clock.now())
        outcomes.written()
        if not ours:
            raise ClaimLost(claimed.message_id)

    adapter = adapter_for(claimed.provider, settings)
    parts, accepted = claimed.parts, list[Accepted]()
    try:
        outcome, parts, accepted = attempt(adapter, claimed.credentials, claimed.request, claimed.parts, record)
    except ClaimLost:
        return False
    except Exception as exc:  # a bug must not turn into a blind resend
        outcome = Unknown(f"статус неизвестен: внутренняя ошибка {type(exc).__name__}")
    outcomes.pending.append(_Result(claimed, outcome, parts, accepted, clock.now()))
    return True


def deliver_due(
    database: Database, settings: Settings, worker: str, lease: dt.timedelta, limit: int = BATCH
) -> int | None:
    """Claim a batch of due messages and make one attempt at each, in order.

    Returns the number attempted, or None when nothing was due.
    """
    claimed_at, started = clock.now(), time.monotonic()
    with database.session() as session:
        claimed = claim_due(session, settings, worker, claimed_at, limit, skip_locked=database.is_postgres)
    if not claimed.due:
        return None
    outcomes = _Outcomes(database, settings)
    waiting = deque(claimed.attempts)
    attempted = 0
    try:
        while waiting:
            if waiting[0] is not claimed.attempts[0] and (
                time.monotonic() - started > BATCH_SECONDS or clock.now() - claimed_at >= lease / 2
            ):
                break
            if _send(database, settings, waiting.popleft(), outcomes):
                attempted += 1
    finally:
        with database.transaction() as connection:
            outcomes.write(connection)
            release(connection, list(waiting), clock.now())
        outcomes.written()
    return attempted


def recover_interrupted(session: Session, now: dt.datetime, lease: dt.timedelta) -> int:
    """Messages left "sending" by a stopped scheduler.

    One with a part in flight (its start recorded before the call) may have reached the provider: it goes
    back to the retry queue with that part marked as possibly arrived, so each adapter's declared rule
    decides on the next attempt. One whose call never started (claimed in a batch, its turn not come) is
    handed back as it was before the claim: due again, its attempt not counted, nothing said in its log.
    Returns how many were interrupted mid-send.
    """
    stale = list(
        session.scalars(
            select(OutgoingMessage).where(
                OutgoingMessage.status == MessageStatus.SENDING, OutgoingMessage.updated_at <= now - lease
            )
        )
    )
    interrupted = 0
    for message in stale:
        if not any(p.state is PartState.IN_FLIGHT for p in message.parts):
            message.attempts = max(0, message.attempts - 1)
            message.status = _due_again(message.attempts)
            message.updated_at = now
            continue
        message.parts = [p.may_have_arrived() if p.state is PartState.IN_FLIGHT else p for p in message.parts]
        message.status = MessageStatus.RETRYING
        message.status_reason = INTERRUPTED
        message.next_attempt_at = now
        message.updated_at = now
        message_log.refresh_entry(session, message)
        interrupted += 1
    return interrupted
