"""RemoteProviderFakes: drive a standalone fake server (``python -m mocks``) through its control API
with the same methods tests use on in-process fakes, so one set of test steps works against both.

Control errors come back as the exceptions the in-process fakes raise: 404 -> KeyError, 400/422 ->
ValueError, 409 -> RuntimeError, 502 (CRM unreachable for a webhook) -> requests.ConnectionError.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from mocks.app import PREFIXES
from mocks.channel import FakeChannel, phone_digits
from mocks.faults import Fault
from mocks.journal import JournalEntry, JournalQueries
from mocks.outbox import OutboxMessage
from mocks.profile import FakeProfile
from mocks.provider_fake import RateLimit, StatusOptions
from mocks.registry import FAKE_CLASSES, PROVIDER_NAMES, FakesByName
from mocks.webhook_delivery import WebhookDelivery

CONTROL_TIMEOUT_SECONDS = 30.0
_ERRORS: dict[int, type[Exception]] = {
    403: PermissionError,
    404: KeyError,
    400: ValueError,
    422: ValueError,
    409: RuntimeError,
    502: requests.ConnectionError,
}


class ControlClient:
    """JSON calls to ``<server>/_fakes/...`` with errors mapped to exceptions."""

    def __init__(self, server_url: str, session: requests.Session | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.session = session or requests.Session()

    def call(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        """``method`` ``/_fakes{path}``; the decoded JSON answer."""
        response = self.session.request(
            method, f"{self.server_url}/_fakes{path}", json=json, params=params, timeout=CONTROL_TIMEOUT_SECONDS
        )
        if response.status_code >= 400:
            raise _ERRORS.get(response.status_code, RuntimeError)(_detail(response))
        return response.json()


def _detail(response: requests.Response) -> Any:
    """FastAPI's ``detail`` of an error answer, else its text."""
    try:
        return response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text or response.reason


class RemoteJournal(JournalQueries):
    """A remote fake's journal, read on every call."""

    def __init__(self, client: ControlClient, name: str) -> None:
        self._client = client
        self._name = name

    @property
    def entries(self) -> list[JournalEntry]:
        return self.filter()

    def filter(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[JournalEntry]:
        params = {k: v for k, v in (("method", method), ("path", path), ("status", status)) if v is not None}
        found = self._client.call("GET", f"/{self._name}/journal", params=params)
        return [JournalEntry.from_json(item) for item in found]

    def clear(self) -> None:
        self._client.call("DELETE", f"/{self._name}/journal")


class RemoteProviderFake:
    """One fake on a standalone server; ``base_url`` is where its API is served."""

    def __init__(self, client: ControlClient, name: str) -> None:
        self._client = client
        self.name = name
        self.base_url = client.server_url + PREFIXES[name]
        self._journal = RemoteJournal(client, name)

    def _call(self, method: str, path: str = "", json: Any = None, params: dict[str, Any] | None = None) -> Any:
        return self._client.call(method, f"/{self.name}{path}", json=json, params=params)

    def _state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._call("GET")
        return state

    @property
    def journal(self) -> RemoteJournal:
        return self._journal

    @property
    def webhook_url(self) -> str | None:
        url: str | None = self._state()["webhook_url"]
        return url

    @webhook_url.setter
    def webhook_url(self, value: str | None) -> None:
        self._call("PATCH", "/webhook", json={"url": value})

    @property
    def webhook_secrets(self) -> list[str]:
        return list(self._state()["webhook_secrets"])

    @property
    def profile(self) -> FakeProfile:
        return FAKE_CLASSES[self.name].profile

    @property
    def page_size(self) -> int | None:
        size: int | None = self._state()["page_size"]
        return size

    @page_size.setter
    def page_size(self, value: int | None) -> None:
        self._call("PUT", "/page-size", json={"page_size": value})

    @property
    def rate_limit(self) -> RateLimit | None:
        limit = self._state()["rate_limit"]
        return None if limit is None else RateLimit(limit["requests"], limit["per_seconds"])

    @rate_limit.setter
    def rate_limit(self, value: RateLimit | None) -> None:
        body = None if value is None else {"requests": value.requests, "per_seconds": value.per_seconds}
        self._call("PUT", "/rate-limit", json=body)

    @property
    def channels(self) -> dict[str, FakeChannel]:
        channels = [FakeChannel.from_json(item) for item in self._state()["channels"]]
        return {channel.phone: channel for channel in channels}

    def channel(self, phone: str) -> FakeChannel:
        digits = phone_digits(phone)
        channels = self.channels
        if digits not in channels:
            raise KeyError(f"{self.name}: no channel for {digits}")
        return channels[digits]

    @property
    def outbox(self) -> list[OutboxMessage]:
        return [OutboxMessage.from_json(item) for item in self._call("GET", "/outbox")]

    def outbox_to(self, number: str) -> list[OutboxMessage]:
        return [OutboxMessage.from_json(item) for item in self._call("GET", "/outbox", params={"to": number})]

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        return [WebhookDelivery.from_json(item) for item in self._call("GET", "/webhook-deliveries")]

    def add_api_key(self, key: str) -> None:
        self._call("POST", "/api-keys", json={"key": key})

    def add_channel(
        self,
        phone: str,
        state: str = "active",
        name: str | None = None,
        transport: str = "whatsapp",
        channel_id: str | None = None,
        key: str | None = None,
    ) -> FakeChannel:
        body = {
            "phone": phone,
            "state": state,
            "name": name,
            "transport": transport,
            "channel_id": channel_id,
            "key": key,
        }
        return FakeChannel.from_json(self._call("POST", "/channels", json=body))

    def set_channel_state(self, phone: str, state: str) -> None:
        self._call("PATCH", f"/channels/{quote(phone, safe='')}", json={"state": state})

    def remove_channel(self, phone: str) -> None:
        self._call("DELETE", f"/channels/{quote(phone, safe='')}")

    def mark_not_on_whatsapp(self, number: str) -> None:
        self._call("POST", "/not-on-whatsapp", json={"number": number})

    def fail_next(self, kind: str, times: int = 1, **params: Any) -> None:
        self._call("POST", "/faults", json=Fault.build(kind, times, params).to_json())

    def fail_always(self, kind: str, **params: Any) -> None:
        self._call("POST", "/faults", json=Fault.build(kind, None, params).to_json())

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def emit_status(
        self,
        message_id: str,
        status: str,
        *,
        error: dict[str, Any] | None = None,
        options: StatusOptions | None = None,
    ) -> int:
        body = {"message_id": message_id, "status": status, "error": error, **asdict(options or StatusOptions())}
        crm_status: int = self._call("POST", "/status", json=body)["crm_status"]
        return crm_status

    def client_writes(self, number: str, text: str, channel_phone: str | None = None) -> int:
        body = {"number": number, "text": text, "channel_phone": channel_phone}
        crm_status: int = self._call("POST", "/client-message", json=body)["crm_status"]
        return crm_status

    def replay_last_webhook(self) -> int:
        crm_status: int = self._call("POST", "/webhook-replay")["crm_status"]
        return crm_status

    def reset(self) -> None:
        self._call("POST", "/reset")


class RemoteProviderFakes(FakesByName["RemoteProviderFake"]):
    """The fakes of a standalone server at ``server_url`` (e.g. ``http://127.0.0.1:8100``)."""

    def __init__(self, server_url: str, session: requests.Session | None = None) -> None:
        self._client = ControlClient(server_url, session)
        self._fakes = {name: RemoteProviderFake(self._client, name) for name in PROVIDER_NAMES}

    def reset(self) -> None:
        self._client.call("POST", "/reset")

    def outbox(self) -> list[OutboxMessage]:
        return [OutboxMessage.from_json(item) for item in self._client.call("GET", "/outbox")]

    def configure_webhooks(self, crm_base_url: str) -> None:
        self._client.call("POST", "/webhooks", json={"crm_base_url": crm_base_url})

    def set_clock(self, moment: datetime) -> None:
        self._client.call("PUT", "/clock", json={"now": moment.isoformat()})
