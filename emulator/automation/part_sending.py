"""One attempt at a message, part by part: the provider-neutral rules of the common send method.

For each part not yet accepted: a part that may already have reached the provider (its answer was lost,
or the CRM stopped during the call) is first resolved by the adapter's ``lost_answer`` rule -- ask the
provider where it can be asked; resend only while the provider would still deduplicate it; otherwise
"статус неизвестен". A refusal of such a resend says nothing about the earlier call, so it is
"статус неизвестен" too, with the refusal named. Before every call the part's start is recorded
(``record``, which commits), so the rule has what it needs after a restart too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from emulator import clock
from emulator.model_enums import MessageStatus
from emulator.providers.base import (
    Accepted,
    Credentials,
    MaybeSent,
    NotFound,
    NotSent,
    OutgoingRequest,
    ProviderAdapter,
    Refused,
    Unreachable,
)
from emulator.providers.parts import MessagePart, PartState

UNKNOWN_STATUS = "статус неизвестен"


@dataclass(frozen=True)
class Delivered:
    """Every part accepted; ``status``/``reason`` when the provider already reported further."""

    status: MessageStatus | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Retry:
    """Try again later. ``not_after``: a later attempt would no longer be deduplicated by the provider;
    ``ambiguous``: a part may have reached the provider (giving up then means "статус неизвестен")."""

    reason: str
    retry_after: float | None = None
    not_after: dt.datetime | None = None
    ambiguous: bool = False


@dataclass(frozen=True)
class Failed:
    reason: str


@dataclass(frozen=True)
class Unknown:
    """A part may or may not have gone, and nothing can tell: never resent, so never twice."""

    reason: str = UNKNOWN_STATUS


Outcome = Delivered | Retry | Failed | Unknown


def _resend_deadline(adapter: ProviderAdapter, part: MessagePart) -> dt.datetime | None:
    window = adapter.lost_answer.resend_within
    since = part.maybe_arrived_since or part.attempt_started_at
    if window is None or since is None:
        return None
    return since + window


def _may_resend(adapter: ProviderAdapter, part: MessagePart, now: dt.datetime) -> bool:
    deadline = _resend_deadline(adapter, part)
    return deadline is not None and now < deadline


def _resolve(
    adapter: ProviderAdapter, credentials: Credentials, part: MessagePart, now: dt.datetime
) -> Accepted | Outcome | None:
    """A part that may have arrived: what the provider says it took, an outcome, or None ("send it again")."""
    if adapter.lost_answer.lookup:
        found = adapter.look_up(credentials, part)
        if isinstance(found, Accepted):
            return found
        if isinstance(found, Unreachable):
            return Retry(found.reason, ambiguous=True)
        assert isinstance(found, NotFound)
    return None if _may_resend(adapter, part, now) else Unknown()


def _after_lost_answer(
    adapter: ProviderAdapter, credentials: Credentials, part: MessagePart, result: MaybeSent
) -> tuple[MessagePart, Accepted | Outcome]:
    """Right after a call without a usable answer: ask the provider where it can be asked."""
    part = part.may_have_arrived()
    if adapter.lost_answer.lookup:
        found = adapter.look_up(credentials, part)
        if isinstance(found, Accepted):
            return part.accepted_as(found.external_ids[0] if found.external_ids else None), found
        if isinstance(found, NotFound) and _may_resend(adapter, part, clock.now()):
            return part.not_at_provider(), Retry(result.reason, result.retry_after)
        return part, Retry(result.reason, result.retry_after, ambiguous=True)
    if not _may_resend(adapter, part, clock.now()):
        return part, Unknown()
    return part, Retry(result.reason, result.retry_after, _resend_deadline(adapter, part), ambiguous=True)


def _partial(outcome: Outcome, parts: list[MessagePart]) -> Outcome:
    accepted = sum(1 for p in parts if p.accepted)
    if isinstance(outcome, Failed) and accepted:  # the client already has part of the message: say so
        return Failed(f"{outcome.reason}; уже доставлено сервису частей: {accepted} из {len(parts)}")
    return outcome


def attempt(
    adapter: ProviderAdapter,
    credentials: Credentials,
    request: OutgoingRequest,
    parts: list[MessagePart],
    record: Callable[[list[MessagePart]], None],
) -> tuple[Outcome, list[MessagePart], list[Accepted]]:
    """Send what is still unsent; returns the outcome, the parts, and what the provider accepted."""
    parts = list(parts)
    accepted: list[Accepted] = []
    for i, part in enumerate(parts):
        if part.accepted:
            continue
        if part.state in (PartState.AMBIGUOUS, PartState.IN_FLIGHT):
            part = parts[i] = part.may_have_arrived()
            resolved = _resolve(adapter, credentials, part, clock.now())
            if isinstance(resolved, Accepted):
                parts[i] = part.accepted_as(resolved.external_ids[0] if resolved.external_ids else None)
                accepted.append(resolved)
                continue
            if resolved is not None:
                return _partial(resolved, parts), parts, accepted
            if adapter.lost_answer.lookup:
                part = parts[i] = part.not_at_provider()
        parts[i] = part.started(clock.now())
        record(parts)
        result = adapter.send_part(credentials, request, parts[i])
        if isinstance(result, Accepted):
            parts[i] = parts[i].accepted_as(result.external_ids[0] if result.external_ids else None)
            accepted.append(result)
            continue
        if isinstance(result, Refused):
            parts[i] = parts[i].never_arrived()
            if parts[i].state is PartState.AMBIGUOUS:  # an earlier call may have reached the client
                return Unknown(f"{UNKNOWN_STATUS} (повтор отклонён: {result.reason})"), parts, accepted
            return _partial(Failed(result.reason), parts), parts, accepted
        if isinstance(result, NotSent):
            parts[i] = parts[i].never_arrived()
            ambiguous = parts[i].state is PartState.AMBIGUOUS
            deadline = None if adapter.lost_answer.lookup or not ambiguous else _resend_deadline(adapter, parts[i])
            return Retry(result.reason, result.retry_after, deadline, ambiguous), parts, accepted
        assert isinstance(result, MaybeSent)
        parts[i], settled = _after_lost_answer(adapter, credentials, parts[i], result)
        if isinstance(settled, Accepted):
            accepted.append(settled)
            continue
        return _partial(settled, parts), parts, accepted
    final = [a for a in accepted if a.status is not None]
    return (Delivered(final[-1].status, final[-1].reason) if final else Delivered()), parts, accepted
