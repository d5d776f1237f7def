"""Posting a webhook to the CRM the way a provider does, and remembering how the CRM answered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from mocks.clock import utc_now

WEBHOOK_TIMEOUT_SECONDS = 30.0  # Wazzup waits 30 s for the answer


def encode_payload(payload: Any) -> bytes:
    """The exact bytes a provider puts on the wire (compact UTF-8 JSON); signatures cover these bytes."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook POST and the CRM's answer."""

    url: str
    method: str
    headers: dict[str, str]
    body: str
    status: int
    response_text: str
    time: datetime
    third_party: bool = False  # forged or unauthenticated: not a delivery the provider made

    @property
    def answered_json(self) -> bool:
        """Whether the CRM's answer body was JSON (i2crm repeats a webhook otherwise)."""
        try:
            json.loads(self.response_text)
        except ValueError:
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the control API's wire form)."""
        return {
            "url": self.url,
            "method": self.method,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "response_text": self.response_text,
            "time": self.time.isoformat(),
            "third_party": self.third_party,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WebhookDelivery:
        """The inverse of ``to_json``."""
        return cls(
            url=data["url"],
            method=data.get("method", "POST"),
            headers=dict(data["headers"]),
            body=data["body"],
            status=data["status"],
            response_text=data["response_text"],
            time=datetime.fromisoformat(data["time"]),
            third_party=bool(data.get("third_party", False)),
        )


def deliver(
    session: requests.Session, url: str, raw: bytes, headers: dict[str, str], method: str = "POST"
) -> WebhookDelivery:
    """Send ``raw`` JSON to ``url`` through ``session`` (the fake's own, ``ProviderFake.webhook_session``,
    which the in-process stand may point at the CRM's app: ``ProviderFakes.deliver_webhooks_through``);
    connection failures propagate as ``requests`` exceptions."""
    sent_headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    response = session.request(method, url, data=raw, headers=sent_headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
    return WebhookDelivery(
        url=url,
        method=method,
        headers=sent_headers,
        body=raw.decode("utf-8"),
        status=response.status_code,
        response_text=response.text,
        time=utc_now(),
    )
