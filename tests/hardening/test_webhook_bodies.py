"""Malformed, deeply nested and NUL-carrying webhook bodies: 400 with the reason, never 500.

Each body is sent with the provider's real authentication (the CRM's own secrets, read from its
database), so the refusal is about the body, not the caller.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid

import pytest
from sqlalchemy import select

from emulator.models import Channel, Integration
from tests.hardening.conftest import Crm

NUL = "\x00"


def _deep(levels: int) -> bytes:
    return b'{"statuses": ' + b"[" * levels + b"]" * levels + b"}"


def _wazzup_url(crm: Crm) -> str:
    with crm.database.session() as session:
        secret = session.scalar(select(Integration.webhook_secret).where(Integration.provider == "wazzup"))
    assert secret
    return crm.url(f"/api/webhooks/wazzup/{secret}")


def _i2crm_key(crm: Crm) -> str:
    with crm.database.session() as session:
        keys = [k for k in session.scalars(select(Channel.send_key)) if k]
    assert keys
    return keys[0]


def _default_headers(crm: Crm, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers signed with the CRM's Default secret (the CRM is made to have one)."""
    secret = "whsec_" + base64.b64encode(b"0" * 24).decode()
    with crm.database.session() as session:
        integration = session.scalar(select(Integration).where(Integration.provider == "default"))
        assert integration is not None
        integration.webhook_secret = secret
        session.commit()
    webhook_id = f"msg_{uuid.uuid4().hex}"
    stamp = str(int(dt.datetime.now(dt.UTC).timestamp()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = hmac.new(key, f"{webhook_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(signed).decode(),
        "content-type": "application/json",
    }


UNREADABLE = {
    "not JSON": b"{",
    "not UTF-8": b'{"statuses": "\xff"}',
    "nested 100 levels": _deep(100),
    "nested 100 000 levels": _deep(100_000),
}
MALFORMED = {
    **UNREADABLE,
    "statuses not a list": b'{"statuses": 5}',
    "messages not a list": b'{"messages": 5}',
    "NUL in an id": json.dumps({"statuses": [{"messageId": f"a{NUL}b", "status": "delivered"}]}).encode(),
    "NUL in a reply": json.dumps(
        {"messages": [{"messageId": "m1", "channelId": "c", "chatId": "79998885522", "chatType": "whatsapp",
                       "text": f"привет{NUL}"}]}
    ).encode(),
}  # fmt: skip


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_wazzup_refuses_a_malformed_body(crm: Crm, body: bytes) -> None:
    answer = crm.http.post(_wazzup_url(crm), data=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["ok"] is False and answer.json()["error"]


DEFAULT_MALFORMED = {
    **UNREADABLE,
    "data not an object": b'{"type": "message.status", "data": 5}',
    "NUL in the id": json.dumps({"type": "message.status", "data": {"id": f"m{NUL}", "status": "read"}}).encode(),
    "NUL in a reply": json.dumps(
        {"type": "message.received", "data": {"id": "r1", "channel_id": "c", "from": "7999", "text": NUL}}
    ).encode(),
}


@pytest.mark.parametrize("body", DEFAULT_MALFORMED.values(), ids=DEFAULT_MALFORMED.keys())
def test_default_refuses_a_malformed_body(crm: Crm, body: bytes) -> None:
    answer = crm.http.post(crm.url("/api/webhooks/default"), data=body, headers=_default_headers(crm, body))
    assert answer.status_code == 400, answer.text
    assert answer.json()["ok"] is False


I2CRM_MALFORMED = {
    "not JSON": b"{",
    "nested 100 levels": b'{"type": "status", "external_id": ' + b"[" * 100 + b"]" * 100 + b"}",
    "nested 100 000 levels": b"[" * 100_000 + b"]" * 100_000,
    "NUL in the id": json.dumps({"type": "status", "external_id": f"x{NUL}", "status": "delivered"}).encode(),
}


@pytest.mark.parametrize("body", I2CRM_MALFORMED.values(), ids=I2CRM_MALFORMED.keys())
def test_i2crm_refuses_a_malformed_body(crm: Crm, body: bytes) -> None:
    headers = {"x-auth-token": _i2crm_key(crm), "content-type": "application/json"}
    answer = crm.http.post(crm.url("/api/webhooks/i2crm"), data=body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["ok"] is False


@pytest.mark.parametrize("provider", ["wazzup/not-the-secret", "default", "i2crm"])
def test_a_deeply_nested_body_without_credentials_is_refused_not_crashed(crm: Crm, provider: str) -> None:
    answer = crm.http.post(crm.url(f"/api/webhooks/{provider}"), data=_deep(100_000))
    assert answer.status_code in (400, 401), answer.text
    assert answer.json()["ok"] is False


def test_a_well_formed_webhook_still_lands(crm: Crm) -> None:
    body = json.dumps({"statuses": [{"messageId": "unknown-id", "status": "delivered"}]}).encode()
    answer = crm.http.post(_wazzup_url(crm), data=body, headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["updated"] == 0
