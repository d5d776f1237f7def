"""The machinery the three fakes share: keys, channels, journal, faults, outbox, rate window, webhooks.

A subclass implements ``process()`` (the provider's own routing, auth and validation -- the request is
first checked against the provider's contract, ``contracts/<name>.yaml``), its error formats, and its
status webhooks (``deliver_status``). ``handle()`` wraps ``process()`` with faults and the journal; it
holds the fake's lock for the whole request, so content downloads and webhook test calls happen under it
(the URLs they hit must not call back into the same fake).

A fake never learns a CRM secret except the way its provider does (from a registration call).
"""

from __future__ import annotations

import math
import threading
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import requests

from mocks.channel import FakeChannel, phone_digits
from mocks.clock import utc_now
from mocks.faults import Fault, FaultPlan
from mocks.journal import Journal, JournalEntry
from mocks.outbox import Attachment, OutboxMessage
from mocks.profile import FakeProfile
from mocks.webhook_delivery import WebhookDelivery, deliver
from mocks.wire import FakeRequest, FakeResponse, Outcome

if TYPE_CHECKING:
    from mocks.contract import Contract, Problem


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` API requests per sliding ``per_seconds`` window (per fake)."""

    requests: int
    per_seconds: float


@dataclass(frozen=True)
class StatusOptions:
    """How a status webhook is delivered (the defaults: exactly as the provider sends it).

    ``forged``: by a third party that does not know the CRM's secret; ``unsigned``: without any
    authentication; ``signed_ago``: produced (and signed) that many seconds ago, delivered now;
    ``reuse_delivery_id``: with the delivery id of an earlier delivery; ``lost``: the provider records
    the status but the delivery never reaches the CRM. Only for a provider that signs its webhooks:
    ``previous_secret_only``: signed with nothing but the secret the CRM registered before its last
    rotation (a delivery signed before the new secret reached every sender, or by whoever kept the old
    one); ``garbled_first_signature``: a signature that matches no secret comes first, the real ones after.
    """

    forged: bool = False
    unsigned: bool = False
    signed_ago: float = 0.0
    reuse_delivery_id: str | None = None
    lost: bool = False
    previous_secret_only: bool = False
    garbled_first_signature: bool = False

    @property
    def needs_signatures(self) -> bool:
        return self.previous_secret_only or self.garbled_first_signature


class ProviderFake(ABC):
    """A stateful fake of one provider's HTTP API."""

    name: ClassVar[str]
    title: ClassVar[str]  # the provider as people name it (the outbox page, the editor's service label)
    default_base_url: ClassVar[str]
    channel_states: ClassVar[frozenset[str]]
    inactive_state: ClassVar[str]  # the provider's word for a channel that cannot send
    status_vocabulary: ClassVar[frozenset[str]]
    profile: ClassVar[FakeProfile]
    contract_webhook: ClassVar[str]  # the contract's ``webhooks`` entry its deliveries follow
    default_rate_limit: ClassVar[RateLimit | None] = None
    signs_webhooks: ClassVar[bool] = False  # signatures (and secrets to rotate) in its webhook headers
    # The CRM registers its webhook address (and its secret) by an API call: nobody else may hand one over.
    learns_webhook_by_registration: ClassVar[bool] = False

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url: str = (base_url or self.default_base_url).rstrip("/")
        self._lock = threading.RLock()
        self.journal = Journal()
        self.faults = FaultPlan()
        self.webhook_deliveries: list[WebhookDelivery] = []
        # How its webhooks leave: a session, so that the in-process stand can hand the CRM's address to the
        # CRM's app without the socket (ProviderFakes.deliver_webhooks_through); anything else goes out as is.
        self.webhook_session = requests.Session()
        self._init_state()

    @classmethod
    def prefix(cls) -> str:
        """Where the standalone server (``mocks.app``) serves it: ``/<name>`` + its real base URL's path."""
        return f"/{cls.name}{urlsplit(cls.default_base_url).path.rstrip('/')}"

    @property
    def contract(self) -> Contract:
        from mocks.contract import contract  # openapi-core costs ~0.7 s to import: only when first used

        return contract(self.name)

    @property
    def webhook_secrets(self) -> list[str]:
        """What the CRM entrusted to this provider to authenticate its webhooks (none by default)."""
        return []

    def _init_state(self) -> None:
        self.api_keys: set[str] = set()
        self.channels: dict[str, FakeChannel] = {}
        self.not_on_whatsapp: set[str] = set()
        self.rate_limit: RateLimit | None = self.default_rate_limit
        self._webhook_url: str | None = None
        self.page_size: int | None = None  # the most channels one page lists (providers that page)
        self._outbox: list[OutboxMessage] = []
        self._hits: deque[datetime] = deque()
        self._reset_provider_state()

    @property
    def webhook_url(self) -> str | None:
        """Where the provider posts its webhooks."""
        return self._webhook_url

    @webhook_url.setter
    def webhook_url(self, value: str | None) -> None:
        """As a person enters it in the provider's cabinet; refused for a provider that learns it only from the
        CRM's registration call (the address or the secret beside it is the CRM's to give)."""
        if self.learns_webhook_by_registration:
            raise PermissionError(
                f"{self.name} learns its webhook address only from the CRM's registration call; nobody hands it one"
            )
        self._webhook_url = value

    def _learn_webhook(self, url: str | None) -> None:
        """The provider's own registration handler saves the address the CRM registered."""
        self._webhook_url = url

    @abstractmethod
    def _reset_provider_state(self) -> None:
        """Clear the provider's own memories (idempotency windows, counters, registrations)."""

    def reset(self) -> None:
        """Back to empty: no keys, channels, faults, journal, outbox, windows or webhook settings."""
        with self._lock:
            self.journal.clear()
            self.faults.clear()
            self.webhook_deliveries.clear()
            self._init_state()

    # --- state the tests arrange -------------------------------------------------------------------

    def add_api_key(self, key: str) -> None:
        """Accept ``key`` as a credential."""
        if not key:
            raise ValueError("an API key must not be empty")
        with self._lock:
            self.api_keys.add(key)

    def add_channel(
        self,
        phone: str,
        state: str = "active",
        name: str | None = None,
        transport: str = "whatsapp",
        channel_id: str | None = None,
        key: str | None = None,
    ) -> FakeChannel:
        """Connect a channel for ``phone`` (any formatting; stored as digits).

        ``channel_id`` / ``key`` fix the provider's identifiers (demo data the CRM already knows);
        by default the provider makes them up.
        """
        digits = phone_digits(phone)
        self._check_state(state)
        with self._lock:
            if digits in self.channels:
                raise ValueError(f"{self.name}: a channel for {digits} already exists")
            channel = self._new_channel(digits, state, name or f"WhatsApp {digits}", transport)
            if channel_id is not None:
                channel.id = channel_id
            if key is not None:
                channel.key = key
            self.channels[digits] = channel
            return channel

    @abstractmethod
    def _new_channel(self, phone: str, state: str, name: str, transport: str) -> FakeChannel:
        """A channel with provider-style identifiers."""

    def channel(self, phone: str) -> FakeChannel:
        """The channel of ``phone``; KeyError when there is none."""
        digits = phone_digits(phone)
        with self._lock:
            if digits not in self.channels:
                raise KeyError(f"{self.name}: no channel for {digits}")
            return self.channels[digits]

    def channel_by_id(self, channel_id: object) -> FakeChannel | None:
        """The channel whose id is ``channel_id``, if any."""
        return next((c for c in self.channels.values() if c.id == channel_id), None)

    def set_channel_state(self, phone: str, state: str) -> None:
        """Change a channel's state (the provider's own vocabulary)."""
        self._check_state(state)
        with self._lock:
            self.channel(phone).state = state

    def remove_channel(self, phone: str) -> None:
        """Disconnect a channel."""
        with self._lock:
            del self.channels[self.channel(phone).phone]

    def mark_not_on_whatsapp(self, number: str) -> None:
        """Make sends to ``number`` fail the way this provider reports "no WhatsApp account"."""
        with self._lock:
            self.not_on_whatsapp.add(phone_digits(number))

    def _check_state(self, state: str) -> None:
        if state not in self.channel_states:
            allowed = sorted(self.channel_states)
            raise ValueError(f"{self.name}: unknown channel state {state!r}; use {allowed}")

    # --- faults ------------------------------------------------------------------------------------

    def fail_next(self, kind: str, times: int = 1, **params: Any) -> None:
        """The next ``times`` matching API requests fail with ``kind`` (see ``mocks.faults``)."""
        self.faults.add(Fault.build(kind, times, params))

    def fail_always(self, kind: str, **params: Any) -> None:
        """Every matching API request fails with ``kind`` until ``clear_faults()``."""
        self.faults.add(Fault.build(kind, None, params))

    def clear_faults(self) -> None:
        """Drop every planned fault."""
        self.faults.clear()

    # --- outbox ------------------------------------------------------------------------------------

    @property
    def outbox(self) -> list[OutboxMessage]:
        """Accepted messages, oldest first."""
        with self._lock:
            return list(self._outbox)

    def outbox_to(self, number: str) -> list[OutboxMessage]:
        """Accepted messages to ``number`` (any formatting)."""
        digits = phone_digits(number)
        return [message for message in self.outbox if message.to == digits]

    def _accept(
        self,
        message_id: str,
        channel: FakeChannel,
        to: str,
        text: str | None,
        attachments: list[Attachment],
        idempotency_key: str | None,
    ) -> OutboxMessage:
        message = OutboxMessage(
            provider=self.name,
            id=message_id,
            channel=channel.phone,
            to=to,
            text=text,
            attachments=attachments,
            idempotency_key=idempotency_key,
            accepted_at=utc_now(),
        )
        self._outbox.append(message)
        return message

    # --- requests ----------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Answer one API request: apply a planned fault or process it, and journal it."""
        with self._lock:
            received = utc_now()
            fault = self.faults.take(request.method, request.path)
            response, answered = self._respond(request, fault)
            kind = fault.kind if fault is not None else None
            self.journal.record(JournalEntry.of(self.name, request, response, kind, received, answered))
            return response

    def _respond(self, request: FakeRequest, fault: Fault | None) -> tuple[FakeResponse, bool]:
        if fault is None:
            return self.process(request), True
        never_reached = {
            "timeout": Outcome.CONNECT_TIMEOUT,
            "connection_refused": Outcome.CONNECTION_REFUSED,
            "connection_reset": Outcome.CONNECTION_RESET,
        }
        if fault.kind in never_reached:
            delay = fault.hold_seconds if fault.kind == "timeout" else 0.0
            return FakeResponse(0, outcome=never_reached[fault.kind], delay=delay), False
        if fault.kind == "status":
            status = fault.status or 500
            if fault.body is not None:
                return FakeResponse(status, fault.body, dict(fault.headers or {})), True
            generic = self.error_for_status(status)
            generic.headers.update(fault.headers or {})
            return generic, True
        if fault.kind == "rate_limit":
            return self.rate_limited(fault.retry_after), True
        if fault.kind == "processing":
            response = self.process_slowly(request, fault.seconds if fault.seconds is not None else 30.0)
            response.outcome, response.delay = Outcome.READ_TIMEOUT, fault.hold_seconds
            return response, True
        response = self.process(request)
        if fault.kind == "lost_answer":
            response.outcome = Outcome.READ_TIMEOUT
            response.delay = fault.hold_seconds
        elif fault.kind == "malformed":
            response.truncated = True
        else:
            response.delay = fault.seconds or 0.0
            if request.timeout is not None and response.delay >= request.timeout:
                response.outcome = Outcome.READ_TIMEOUT
        return response, True

    def process_slowly(self, request: FakeRequest, seconds: float) -> FakeResponse:
        """Processing that takes ``seconds`` (a provider that tracks it overrides this)."""
        return self.process(request)

    def _over_rate_limit(self) -> int | None:
        """Count one request against the window; the Retry-After seconds when it is over the limit."""
        limit = self.rate_limit
        if limit is None:
            return None
        now = utc_now()
        window = timedelta(seconds=limit.per_seconds)
        while self._hits and self._hits[0] <= now - window:
            self._hits.popleft()
        if len(self._hits) >= limit.requests:
            return max(1, math.ceil((self._hits[0] + window - now).total_seconds()))
        self._hits.append(now)
        return None

    def contract_problems(self, request: FakeRequest) -> list[Problem]:
        """What the provider's documented contract says is wrong with ``request``."""
        return self.contract.request_problems(request)

    @abstractmethod
    def process(self, request: FakeRequest) -> FakeResponse:
        """The provider's own behaviour: routing, auth, rate limit, validation, state changes."""

    @abstractmethod
    def error_for_status(self, status: int) -> FakeResponse:
        """The provider's generic error answer for an injected ``status`` fault without a body."""

    @abstractmethod
    def rate_limited(self, retry_after: int) -> FakeResponse:
        """The provider's 429 answer."""

    # --- status webhooks ---------------------------------------------------------------------------

    def emit_status(
        self,
        message_id: str,
        status: str,
        *,
        error: dict[str, Any] | None = None,
        options: StatusOptions | None = None,
    ) -> int:
        """Deliver a status webhook about an accepted message, as the provider does; the CRM's HTTP status.

        ``message_id`` is the outbox id. A ``lost`` delivery returns 0 (nothing reached the CRM).
        """
        if status not in self.status_vocabulary:
            raise ValueError(f"{self.name}: unknown status {status!r}; use {sorted(self.status_vocabulary)}")
        chosen = options or StatusOptions()
        if chosen.needs_signatures and not self.signs_webhooks:
            raise ValueError(f"{self.name} signs no webhooks: {chosen} cannot be delivered")
        with self._lock:
            self.record_status(message_id, status, error)
            if chosen.lost:
                return 0
            url, method, headers, raw = self.status_delivery(message_id, status, error, chosen)
        delivery = self.post_webhook(url, raw, headers, method)
        if chosen.forged or chosen.unsigned:
            delivery = replace(delivery, third_party=True)
        with self._lock:
            self.webhook_deliveries.append(delivery)
        return delivery.status

    def replay_last_webhook(self) -> int:
        """Deliver the last webhook again, byte for byte (a replay by whoever captured it)."""
        with self._lock:
            if not self.webhook_deliveries:
                raise RuntimeError(f"{self.name}: no webhook was delivered yet")
            last = self.webhook_deliveries[-1]
        delivery = replace(
            self.post_webhook(last.url, last.body.encode("utf-8"), dict(last.headers), last.method),
            third_party=True,
        )
        with self._lock:
            self.webhook_deliveries.append(delivery)
        return delivery.status

    def client_writes(self, number: str, text: str, channel_phone: str | None = None) -> int:
        """A client writes to one of the account's channels (the first active one by default): the
        provider posts the incoming message to the CRM as it documents it; the CRM's HTTP status."""
        with self._lock:
            channel = self.channel(channel_phone) if channel_phone else self._first_active_channel()
            url, headers, raw = self.reply_delivery(channel, phone_digits(number), text)
        delivery = self.post_webhook(url, raw, headers)
        with self._lock:
            self.webhook_deliveries.append(delivery)
        return delivery.status

    def _first_active_channel(self) -> FakeChannel:
        found = next((c for c in self.channels.values() if c.state == "active"), None)
        if found is None:
            raise RuntimeError(f"{self.name}: no active channel for a client to write to")
        return found

    def reply_delivery(self, channel: FakeChannel, number: str, text: str) -> tuple[str, dict[str, str], bytes]:
        """The incoming-message webhook: URL, headers and the exact body bytes."""
        raise NotImplementedError(f"{self.name}: its incoming-message webhooks are not publicly documented")

    def record_status(self, message_id: str, status: str, error: dict[str, Any] | None) -> None:  # noqa: B027
        """Remember what the provider knows of a message (providers that can be asked override this)."""

    @abstractmethod
    def status_delivery(
        self, message_id: str, status: str, error: dict[str, Any] | None, options: StatusOptions
    ) -> tuple[str, str, dict[str, str], bytes]:
        """The webhook call: URL, method, headers and the exact body bytes."""

    def post_webhook(self, url: str, raw: bytes, headers: dict[str, str], method: str = "POST") -> WebhookDelivery:
        """One webhook request to ``url``, through this fake's webhook session."""
        return deliver(self.webhook_session, url, raw, headers, method)

    def _webhook_target(self) -> str:
        if not self.webhook_url:
            raise RuntimeError(f"{self.name}: no webhook address is known, nowhere to send the status")
        return self.webhook_url

    def test_call(self, url: str, headers: dict[str, str], raw: bytes) -> WebhookDelivery | str:
        """A registration's test call; the delivery, or why it could not be made."""
        try:
            delivery = self.post_webhook(url, raw, headers)
        except requests.RequestException as error:
            return str(error)
        self.webhook_deliveries.append(delivery)
        return delivery
