"""The progress of one outgoing message: a typed record per provider request ("part").

A message is one or more requests (Wazzup sends the text and every file separately; Default takes all
in one). Each part carries its own idempotency key (a random UUID v4 made once, when the part is
planned) and the moments the shared send path recorded *before* each call, so after a lost answer or
a restart the adapter's rule can decide whether a resend could still be deduplicated by the provider.
This module is the one place parts are (de)serialised.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any


class PartKind(StrEnum):
    MESSAGE = "message"  # text and files together (one request)
    TEXT = "text"
    FILE = "file"


class PartState(StrEnum):
    PENDING = "pending"  # not sent, or provably never reached the provider
    IN_FLIGHT = "in_flight"  # a call started (recorded before it) and no answer was written yet
    AMBIGUOUS = "ambiguous"  # the provider may have received it; its answer never came
    ACCEPTED = "accepted"  # the provider took it


def new_key() -> str:
    """A fresh idempotency key: random, never derived from database ids."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class MessagePart:
    """One request of a message and what is known about it."""

    kind: PartKind
    key: str
    index: int | None = None  # the file's position (FILE parts; the first file of a combined part)
    files: tuple[int, ...] = ()  # the files this request carries (indexes into the message's attachments)
    with_text: bool = False
    state: PartState = PartState.PENDING
    external_id: str | None = None
    attempt_started_at: dt.datetime | None = None  # the latest call's start, recorded before the call
    maybe_arrived_since: dt.datetime | None = None  # start of the earliest call that may have reached it

    @property
    def accepted(self) -> bool:
        return self.state is PartState.ACCEPTED

    def started(self, now: dt.datetime) -> MessagePart:
        """Before a call: it is in flight from ``now``."""
        return replace(self, state=PartState.IN_FLIGHT, attempt_started_at=now)

    def accepted_as(self, external_id: str | None) -> MessagePart:
        """Accepted; an id already known is kept (a repeat answer names none)."""
        return replace(self, state=PartState.ACCEPTED, external_id=self.external_id or external_id or None)

    def never_arrived(self) -> MessagePart:
        return replace(self, state=PartState.PENDING if self.maybe_arrived_since is None else PartState.AMBIGUOUS)

    def not_at_provider(self) -> MessagePart:
        """The provider says it has no such request (asked by key): sending it again is safe."""
        return replace(self, state=PartState.PENDING, maybe_arrived_since=None)

    def may_have_arrived(self) -> MessagePart:
        """The last call may have reached the provider (lost answer, reset, 5xx, interrupted)."""
        since = self.maybe_arrived_since or self.attempt_started_at
        return replace(self, state=PartState.AMBIGUOUS, maybe_arrived_since=since)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "key": self.key,
            "index": self.index,
            "files": list(self.files),
            "with_text": self.with_text,
            "state": self.state.value,
            "external_id": self.external_id,
            "attempt_started_at": _moment_out(self.attempt_started_at),
            "maybe_arrived_since": _moment_out(self.maybe_arrived_since),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessagePart:
        return cls(
            kind=PartKind(data["kind"]),
            key=str(data["key"]),
            index=data.get("index"),
            files=tuple(data.get("files") or ()),
            with_text=bool(data.get("with_text", False)),
            state=PartState(data.get("state", PartState.PENDING.value)),
            external_id=data.get("external_id"),
            attempt_started_at=_moment_in(data.get("attempt_started_at")),
            maybe_arrived_since=_moment_in(data.get("maybe_arrived_since")),
        )


def _moment_out(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def _moment_in(raw: Any) -> dt.datetime | None:
    if not raw:
        return None
    moment = dt.datetime.fromisoformat(str(raw))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parts_to_json(parts: list[MessagePart]) -> list[dict[str, Any]]:
    return [part.to_json() for part in parts]


def parts_from_json(raw: list[dict[str, Any]] | None) -> list[MessagePart]:
    return [MessagePart.from_json(item) for item in raw or []]
