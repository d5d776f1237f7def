"""The interface test code relies on, met by the in-process fakes and by ``mocks.remote`` alike."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from mocks.channel import FakeChannel
from mocks.journal import JournalEntry
from mocks.outbox import OutboxMessage
from mocks.profile import FakeProfile
from mocks.provider_fake import StatusOptions
from mocks.webhook_delivery import WebhookDelivery


class JournalView(Protocol):
    """Read (and clear) a fake's request journal."""

    @property
    def entries(self) -> list[JournalEntry]: ...

    def filter(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[JournalEntry]: ...

    def count(self, method: str | None = None, path: str | None = None, status: int | None = None) -> int: ...

    def last(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> JournalEntry | None: ...

    def clear(self) -> None: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[JournalEntry]: ...


class FakeProvider(Protocol):
    """One provider fake as tests drive it."""

    base_url: str
    webhook_url: str | None

    @property
    def webhook_secrets(self) -> list[str]:
        """What the CRM entrusted to the provider to authenticate its webhooks (learned as the service does)."""
        ...

    page_size: int | None

    @property
    def name(self) -> str: ...

    @property
    def profile(self) -> FakeProfile: ...

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]: ...

    @property
    def journal(self) -> JournalView: ...

    @property
    def channels(self) -> Mapping[str, FakeChannel]: ...

    def channel(self, phone: str) -> FakeChannel: ...

    @property
    def outbox(self) -> list[OutboxMessage]: ...

    def outbox_to(self, number: str) -> list[OutboxMessage]: ...

    def add_api_key(self, key: str) -> None: ...

    def add_channel(
        self,
        phone: str,
        state: str = "active",
        name: str | None = None,
        transport: str = "whatsapp",
        channel_id: str | None = None,
        key: str | None = None,
    ) -> FakeChannel: ...

    def set_channel_state(self, phone: str, state: str) -> None: ...

    def remove_channel(self, phone: str) -> None: ...

    def mark_not_on_whatsapp(self, number: str) -> None: ...

    def fail_next(self, kind: str, times: int = 1, **params: Any) -> None: ...

    def fail_always(self, kind: str, **params: Any) -> None: ...

    def clear_faults(self) -> None: ...

    def emit_status(
        self,
        message_id: str,
        status: str,
        *,
        error: dict[str, Any] | None = None,
        options: StatusOptions | None = None,
    ) -> int: ...

    def replay_last_webhook(self) -> int: ...

    def client_writes(self, number: str, text: str, channel_phone: str | None = None) -> int: ...

    def reset(self) -> None: ...


class FakeProviders(Protocol):
    """The fakes together; ``fakes.<provider name>`` is one of them."""

    def __getattr__(self, name: str) -> FakeProvider: ...

    def get(self, name: str) -> FakeProvider: ...

    def all(self) -> Sequence[FakeProvider]: ...

    def reset(self) -> None: ...

    def outbox(self) -> list[OutboxMessage]: ...

    def configure_webhooks(self, crm_base_url: str) -> None: ...

    def set_clock(self, moment: datetime) -> None: ...
