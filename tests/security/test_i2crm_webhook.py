"""Finding: the i2crm webhook needed no credential and its ids were sequential.

Both were already fixed on this branch's base (issue 9): the webhook needs ``X-Auth-Token`` equal to one of
the CRM's i2crm channel keys and only touches that channel's messages, and the only ids the CRM hands to
providers (file URLs, idempotency keys) are random. These tests pin that down.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from emulator import seed
from emulator.demo_accounts import I2CRM_CHANNELS
from emulator.providers.parts import new_key

STATUS = {"type": "status", "external_id": "1", "status": "read", "client_id": "79998885522"}


def test_an_i2crm_webhook_without_the_channels_key_is_refused(web: TestClient) -> None:
    for headers in ({}, {"X-Auth-Token": "guessed"}, {"X-Auth-Token": ""}):
        answer = web.post("/api/webhooks/i2crm", json=STATUS, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json() == {"ok": False, "error": "неверный X-Auth-Token"}


def test_the_channels_key_is_accepted(web: TestClient) -> None:
    key = I2CRM_CHANNELS[0].send_key
    assert key
    answer = web.post("/api/webhooks/i2crm", json=STATUS, headers={"X-Auth-Token": key})
    assert answer.status_code == 200
    assert answer.json()["updated"] == 0  # no message has that id


def test_the_ids_the_crm_hands_to_providers_are_random(web: TestClient) -> None:
    admin = {"Authorization": f"Bearer {seed.ADMIN_TOKEN}"}
    urls = [
        web.post("/api/files", files={"file": (f"{n}.txt", b"x", "text/plain")}, headers=admin).json()["url"]
        for n in range(2)
    ]
    tokens = [re.search(r"/files/([^/]+)/", url).group(1) for url in urls]  # type: ignore[union-attr]
    assert tokens[0] != tokens[1]
    assert all(len(t) >= 32 and not t.isdigit() for t in tokens)
    keys = {new_key() for _ in range(3)}
    assert len(keys) == 3 and all(re.fullmatch(r"[0-9a-f-]{36}", k) for k in keys)
