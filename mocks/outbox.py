"""The outbox: messages a fake accepted for delivery (rejected requests never land here)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

_sequence = itertools.count(1)


class Attachment(TypedDict):
    """A file of a message: where it came from and what it turned out to be."""

    url: str
    filename: str | None
    content_type: str | None
    size: int


@dataclass(frozen=True)
class OutboxMessage:
    """One accepted message.

    ``channel`` is the sender's phone digits, ``to`` the recipient's digits; ``idempotency_key`` is Default's
    ``Idempotency-Key`` or Wazzup's ``crmMessageId`` (None for i2crm, which has no such thing). ``sequence``
    orders messages across providers even when the clock is frozen.
    """

    provider: str
    id: str
    channel: str
    to: str
    text: str | None
    attachments: list[Attachment]
    idempotency_key: str | None
    accepted_at: datetime
    sequence: int = field(default_factory=lambda: next(_sequence), compare=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the control API's wire form)."""
        return {
            "provider": self.provider,
            "id": self.id,
            "channel": self.channel,
            "to": self.to,
            "text": self.text,
            "attachments": [dict(attachment) for attachment in self.attachments],
            "idempotency_key": self.idempotency_key,
            "accepted_at": self.accepted_at.isoformat(),
            "sequence": self.sequence,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OutboxMessage:
        """The inverse of ``to_json``."""
        attachments = [
            Attachment(
                url=item["url"],
                filename=item.get("filename"),
                content_type=item.get("content_type"),
                size=item["size"],
            )
            for item in data["attachments"]
        ]
        return cls(
            provider=data["provider"],
            id=data["id"],
            channel=data["channel"],
            to=data["to"],
            text=data["text"],
            attachments=attachments,
            idempotency_key=data["idempotency_key"],
            accepted_at=datetime.fromisoformat(data["accepted_at"]),
            sequence=data["sequence"],
        )
