"""What every provider adapter offers the CRM, and what its calls can come to.

An adapter is the one place that knows its provider: the wire format of sends and channel lists,
webhook registration, how the provider's webhooks are authenticated and read, and what it offers when
an answer was lost (``lost_answer``). The shared send path (``emulator.automation``) drives the parts of
a message through these calls and never names a provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from emulator.model_enums import MessageStatus
from emulator.providers.parts import MessagePart


@dataclass(frozen=True)
class Credentials:
    """How to reach one provider account."""

    api_key: str
    base_url: str


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


# -- what one call of a part comes to -----------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """The provider took the part (``external_ids``: its ids; none yet when it queued the part, or when
    it answered that it had taken the same part before); ``status`` when it already reports more."""

    external_ids: tuple[str, ...]
    status: MessageStatus | None = None
    reason: str | None = None  # with status ERROR: the provider's reason


@dataclass(frozen=True)
class Refused:
    """A permanent refusal: the part was not sent, and trying again cannot help."""

    reason: str


@dataclass(frozen=True)
class NotSent:
    """A transient failure of a part that provably did not reach the provider: safe to try again."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class MaybeSent:
    """No usable answer: the provider may have received the part (lost answer, reset, 5xx)."""

    reason: str
    retry_after: float | None = None


PartResult = Accepted | Refused | NotSent | MaybeSent


@dataclass(frozen=True)
class NotFound:
    """Asked about a part, the provider says it never received it: sending it is safe."""


@dataclass(frozen=True)
class Unreachable:
    """The provider could not be asked."""

    reason: str


LookUp = Accepted | NotFound | Unreachable


@dataclass(frozen=True)
class LostAnswerRule:
    """What a provider offers when a part's answer was lost (it may or may not have arrived).

    ``resend_within``: a resend is deduplicated by the provider while the first call that may have
    reached it started less than this long ago (its window, minus a safety margin); None: never.
    ``lookup``: the provider can be asked what became of a part (reconciliation), before any resend.
    """

    resend_within: dt.timedelta | None
    lookup: bool = False


# -- webhooks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingWebhook:
    """A provider's call to the CRM's webhook route, as received."""

    method: str
    path_token: str | None  # the last segment of the route, when the registered URL carries one
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class WebhookTrust:
    """What the CRM holds to authenticate its providers' webhooks."""

    secrets: tuple[str, ...]  # the current webhook secret first, then one still honoured after a rotation
    channel_keys: tuple[str, ...] = ()  # per-channel keys (i2crm's X-Auth-Token)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class StatusEvent:
    """One status report about a part the CRM sent."""

    external_id: str
    status: MessageStatus | None  # None: an event the CRM tolerates and ignores (e.g. "edited")
    reason: str | None = None
    channel_key: str | None = None  # the channel the provider says it came from (i2crm)
    client: str | None = None  # the recipient's number, when the provider names it (i2crm)


@dataclass(frozen=True)
class ReplyEvent:
    """A client's message to one of the CRM's channels (a reply in the WhatsApp dialog)."""

    external_id: str  # the provider's id of the incoming message (a repeat of it is ignored)
    channel_external_id: str
    from_number: str  # digits, as the provider names the chat
    text: str


@dataclass(frozen=True)
class WebhookRead:
    """An authenticated webhook: its events, its delivery id (for replays), the answer the provider expects."""

    events: Sequence[StatusEvent] = ()
    replies: Sequence[ReplyEvent] = ()
    delivery_id: str | None = None
    answer: Mapping[str, object] = field(default_factory=lambda: {"ok": True})


@dataclass(frozen=True)
class WebhookRefused:
    """Not from the provider (or not readable): nothing changes."""

    status: int
    reason: str


WebhookReading = WebhookRead | WebhookRefused


@dataclass(frozen=True)
class ProviderCard:
    """The provider's card on the integrations page ("СОЦ. СЕТИ И МЕССЕНДЖЕРЫ")."""

    title: str
    description: str
    site: str
    position: int | None = None  # its place among the cards (None: after all the others)


class ProviderAdapter(Protocol):
    name: str
    lost_answer: LostAnswerRule

    def fetch_channels(self, credentials: Credentials) -> list[ChannelInfo]:
        """WhatsApp channels of the account; raises AuthRejected / ProviderUnavailable."""
        ...

    def new_webhook_secret(self) -> str | None:
        """A fresh secret for the provider's webhooks, in the form the provider needs (None: none)."""
        ...

    def webhook_url(self, route: str, secret: str | None) -> str:
        """The address the provider must post to, given the CRM's route for it."""
        ...

    def register_webhook(self, credentials: Credentials, url: str, secret: str | None) -> None:
        """Register the CRM's status webhook where the provider has an API for it."""
        ...

    def plan(self, request: OutgoingRequest) -> list[MessagePart]:
        """The requests a message takes, each with a fresh idempotency key, saved before the first call."""
        ...

    def send_part(self, credentials: Credentials, request: OutgoingRequest, part: MessagePart) -> PartResult:
        """One call for one part."""
        ...

    def look_up(self, credentials: Credentials, part: MessagePart) -> LookUp:
        """What became of a part (only when ``lost_answer.lookup``)."""
        ...

    def read_webhook(self, incoming: IncomingWebhook, trust: WebhookTrust) -> WebhookReading:
        """Authenticate and read one webhook call."""
        ...


class AdapterClass(Protocol):
    """An adapter class: what it declares about its provider, and how it is made (``cls(timeout)``).

    These declarations are the provider's whole registration on the CRM's side: its key, the editor's
    label, its integrations-page card, the real service's base URL and the environment variable that
    overrides it."""

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def card(self) -> ProviderCard: ...

    @property
    def base_url(self) -> str: ...

    @property
    def base_url_env(self) -> str: ...

    def __call__(self, timeout: float) -> ProviderAdapter: ...
