"""Posting a webhook to the CRM the way a provider does, and remembering how the CRM answered."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from mocks.clock import utc_now

WEBHOOK_TIMEOUT_SECONDS = 10.0


def encode_payload(payload: Any) -> bytes:
    """The exact bytes a provider puts on the wire (compact UTF-8 JSON); signatures cover these bytes."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook POST and the CRM's answer."""

    url: str
    headers: dict[str, str]
    body: str
    status: int
    response_text: str
    time: datetime

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
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "response_text": self.response_text,
            "time": self.time.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WebhookDelivery:
        """The inverse of ``to_json``."""
        return cls(
            url=data["url"],
            headers=dict(data["headers"]),
            body=data["body"],
            status=data["status"],
            response_text=data["response_text"],
            time=datetime.fromisoformat(data["time"]),
        )


def deliver(url: str, raw: bytes, headers: dict[str, str]) -> WebhookDelivery:
    """POST ``raw`` JSON to ``url``; connection failures propagate as ``requests`` exceptions."""
    sent_headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    response = requests.post(url, data=raw, headers=sent_headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
    return WebhookDelivery(
        url=url,
        headers=sent_headers,
        body=raw.decode("utf-8"),
        status=response.status_code,
        response_text=response.text,
        time=utc_now(),
    )
