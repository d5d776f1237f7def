"""The standalone server's control API (``/_fakes/...``): what tests do to in-process fakes, over JSON.

Errors: 404 for an unknown provider or channel, 400 for a bad argument (unknown state, fault kind...),
409 when an action cannot happen (no webhook URL set), 502 when the CRM could not be reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import requests
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, TypeAdapter, ValidationError

from mocks.faults import Fault
from mocks.provider_fake import ProviderFake, RateLimit, StatusOptions
from mocks.registry import ProviderFakes


class KeyIn(BaseModel):
    key: str


class ChannelIn(BaseModel):
    phone: str
    state: str = "active"
    name: str | None = None
    transport: str = "whatsapp"
    channel_id: str | None = None
    key: str | None = None


class StateIn(BaseModel):
    state: str


class NumberIn(BaseModel):
    number: str


class ReplyIn(BaseModel):
    number: str
    text: str
    channel_phone: str | None = None


class StatusIn(BaseModel):
    message_id: str
    status: str
    error: dict[str, Any] | None = None
    forged: bool = False
    unsigned: bool = False
    signed_ago: float = 0.0
    reuse_delivery_id: str | None = None
    lost: bool = False
    previous_secret_only: bool = False
    garbled_first_signature: bool = False


class WebhookIn(BaseModel):
    """Where the provider posts, as a person enters it in a provider's cabinet (never a secret)."""

    url: str | None = None


class PageSizeIn(BaseModel):
    page_size: int | None = None


class ClockIn(BaseModel):
    now: datetime


class RateLimitIn(BaseModel):
    requests: int
    per_seconds: float


class CrmIn(BaseModel):
    crm_base_url: str


FAULT_BODY = TypeAdapter(Fault)


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except PermissionError as error:
        raise HTTPException(403, str(error)) from error
    except KeyError as error:
        raise HTTPException(404, str(error.args[0] if error.args else error)) from error
    except ValueError as error:
        raise HTTPException(400, str(error)) from error
    except RuntimeError as error:
        raise HTTPException(409, str(error)) from error
    except requests.RequestException as error:
        raise HTTPException(502, f"the CRM could not be reached: {error}") from error


def fake_state(fake: ProviderFake) -> dict[str, Any]:
    """A fake's configuration as JSON."""
    limit = fake.rate_limit
    return {
        "name": fake.name,
        "base_url": fake.base_url,
        "api_keys": sorted(fake.api_keys),
        "channels": [channel.to_json() for channel in fake.channels.values()],
        "not_on_whatsapp": sorted(fake.not_on_whatsapp),
        "faults": [fault.to_json() for fault in fake.faults.pending],
        "webhook_url": fake.webhook_url,
        "webhook_secrets": fake.webhook_secrets,
        "page_size": fake.page_size,
        "rate_limit": None if limit is None else {"requests": limit.requests, "per_seconds": limit.per_seconds},
    }


def control_router(fakes: ProviderFakes) -> APIRouter:
    """Routes under ``/_fakes`` acting on ``fakes``."""
    router = APIRouter(prefix="/_fakes", tags=["control"])

    def fake_named(name: str) -> ProviderFake:
        with _translated_errors():
            return fakes.get(name)

    @router.post("/reset")
    def reset_all() -> dict[str, bool]:
        fakes.reset()
        return {"ok": True}

    @router.get("/outbox")
    def outbox_all() -> list[dict[str, Any]]:
        return [message.to_json() for message in fakes.outbox()]

    @router.post("/webhooks")
    def configure_webhooks(body: CrmIn) -> dict[str, bool]:
        fakes.configure_webhooks(body.crm_base_url)
        return {"ok": True}

    @router.put("/clock")
    def set_clock(body: ClockIn) -> dict[str, str]:
        fakes.set_clock(body.now)
        return {"now": body.now.isoformat()}

    @router.get("/{name}")
    def state(name: str) -> dict[str, Any]:
        return fake_state(fake_named(name))

    @router.post("/{name}/reset")
    def reset(name: str) -> dict[str, bool]:
        fake_named(name).reset()
        return {"ok": True}

    @router.post("/{name}/api-keys")
    def add_api_key(name: str, body: KeyIn) -> dict[str, bool]:
        with _translated_errors():
            fake_named(name).add_api_key(body.key)
        return {"ok": True}

    @router.post("/{name}/channels")
    def add_channel(name: str, body: ChannelIn) -> dict[str, Any]:
        with _translated_errors():
            channel = fake_named(name).add_channel(
                body.phone, body.state, body.name, body.transport, channel_id=body.channel_id, key=body.key
            )
        return channel.to_json()

    @router.patch("/{name}/channels/{phone}")
    def set_channel_state(name: str, phone: str, body: StateIn) -> dict[str, Any]:
        fake = fake_named(name)
        with _translated_errors():
            fake.set_channel_state(phone, body.state)
            return fake.channel(phone).to_json()

    @router.delete("/{name}/channels/{phone}")
    def remove_channel(name: str, phone: str) -> dict[str, bool]:
        with _translated_errors():
            fake_named(name).remove_channel(phone)
        return {"ok": True}

    @router.post("/{name}/not-on-whatsapp")
    def mark_not_on_whatsapp(name: str, body: NumberIn) -> dict[str, bool]:
        with _translated_errors():
            fake_named(name).mark_not_on_whatsapp(body.number)
        return {"ok": True}

    @router.post("/{name}/faults")
    def add_fault(name: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            fault = FAULT_BODY.validate_python(body)
        except ValidationError as error:  # malformed body: 422; a well-formed but impossible fault: 400
            semantic = all(e["type"] == "value_error" for e in error.errors())
            raise HTTPException(400 if semantic else 422, str(error)) from error
        fake_named(name).faults.add(fault)
        return fault.to_json()

    @router.delete("/{name}/faults")
    def clear_faults(name: str) -> dict[str, bool]:
        fake_named(name).clear_faults()
        return {"ok": True}

    @router.get("/{name}/journal")
    def journal(
        name: str, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[dict[str, Any]]:
        return [entry.to_json() for entry in fake_named(name).journal.filter(method, path, status)]

    @router.delete("/{name}/journal")
    def clear_journal(name: str) -> dict[str, bool]:
        fake_named(name).journal.clear()
        return {"ok": True}

    @router.get("/{name}/outbox")
    def outbox(name: str, to: str | None = None) -> list[dict[str, Any]]:
        fake = fake_named(name)
        with _translated_errors():
            messages = fake.outbox if to is None else fake.outbox_to(to)
        return [message.to_json() for message in messages]

    @router.post("/{name}/status")
    def emit_status(name: str, body: StatusIn) -> dict[str, int]:
        fake = fake_named(name)
        with _translated_errors():
            options = StatusOptions(**body.model_dump(exclude={"message_id", "status", "error"}))
            crm_status = fake.emit_status(body.message_id, body.status, error=body.error, options=options)
        return {"crm_status": crm_status}

    @router.post("/{name}/client-message")
    def client_writes(name: str, body: ReplyIn) -> dict[str, int]:
        fake = fake_named(name)
        with _translated_errors():
            return {"crm_status": fake.client_writes(body.number, body.text, body.channel_phone)}

    @router.post("/{name}/webhook-replay")
    def replay_webhook(name: str) -> dict[str, int]:
        fake = fake_named(name)
        with _translated_errors():
            return {"crm_status": fake.replay_last_webhook()}

    @router.get("/{name}/webhook-deliveries")
    def webhook_deliveries(name: str) -> list[dict[str, Any]]:
        return [delivery.to_json() for delivery in fake_named(name).webhook_deliveries]

    @router.patch("/{name}/webhook")
    def set_webhook(name: str, body: WebhookIn) -> dict[str, Any]:
        fake = fake_named(name)
        if "url" in body.model_fields_set:
            with _translated_errors():
                fake.webhook_url = body.url
        return {"webhook_url": fake.webhook_url}

    @router.put("/{name}/page-size")
    def set_page_size(name: str, body: PageSizeIn) -> dict[str, Any]:
        fake = fake_named(name)
        fake.page_size = body.page_size
        return fake_state(fake)

    @router.put("/{name}/rate-limit")
    def set_rate_limit(name: str, body: RateLimitIn | None = None) -> dict[str, Any]:
        fake = fake_named(name)
        fake.rate_limit = None if body is None else RateLimit(body.requests, body.per_seconds)
        return fake_state(fake)

    return router
