"""What every provider adapter offers the CRM, and what a send can come to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Credentials:
    """How to reach one provider account."""

    api_key: str
    base_url: str
    webhook_url: str
    webhook_secret: str | None = None


@dataclass(frozen=True)
class ChannelInfo:
    """A WhatsApp channel as the provider reports it."""

    external_id: str
    phone: str
    name: str
    state: str
    active: bool
    send_key: str | None = None


class ProviderError(Exception):
    """The provider could not do what was asked; ``reason`` is shown to the user (Russian)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthRejected(ProviderError):
    pass


class ProviderUnavailable(ProviderError):
    pass


@dataclass(frozen=True)
class Attachment:
    url: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class OutgoingRequest:
    """One rendered message to one number, as the common send method hands it to an adapter."""

    channel_external_id: str
    channel_phone: str
    send_key: str | None
    to: str
    text: str
    attachments: tuple[Attachment, ...]
    idempotency_key: str


@dataclass(frozen=True)
class Delivered:
    """The provider accepted every part."""

    external_ids: tuple[str, ...]


@dataclass(frozen=True)
class Retry:
    """A transient failure that is safe to try again (nothing was sent, or the retry is idempotent).

    ``retry_after``: the provider asked to wait this long (429 Retry-After).
    ``not_after``: a retry later than this would no longer be deduplicated by the provider.
    """

    reason: str
    retry_after: float | None = None
    not_after: dt.datetime | None = None


@dataclass(frozen=True)
class Failed:
    """A permanent failure: trying again cannot help."""

    reason: str


@dataclass(frozen=True)
class Unknown:
    """The message may or may not have gone: never retried, so the client never gets it twice."""

    reason: str


SendOutcome = Delivered | Retry | Failed | Unknown
Parts = list[dict[str, Any]]


def single_request_plan() -> Parts:
    """The progress record of a provider that takes text and files in one request."""
    return [{"kind": "message", "status": "pending", "external_id": None, "ambiguous_since": None}]


class ProviderAdapter(Protocol):
    name: str

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        """WhatsApp channels of the account; raises AuthRejected / ProviderUnavailable."""
        ...

    def subscribe_webhooks(self, credentials: Credentials) -> None:
        """Register the CRM's status webhook where the provider has an API for it."""
        ...

    def plan(self, request: OutgoingRequest) -> Parts:
        """The requests a message takes, as progress records saved before the first call."""
        ...

    def send(self, credentials: Credentials, request: OutgoingRequest, parts: Parts) -> tuple[SendOutcome, Parts]:
        """Send what is still unsent of ``request``; ``parts`` is the adapter's saved progress."""
        ...
