"""The contracts' remembered checks find what plain openapi-core finds, request after request.

The fakes' contract check remembers what depends only on the contract and a request's head (its security
and parameter checks, each body's deserializer); the oracle is openapi-core as it comes, on the same
document. Each request is checked twice, in between others of other heads, so that a remembered answer
given to the wrong request would show.
"""

from __future__ import annotations

import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest

from mocks.contract import Contract, _problems_of
from mocks.wire import FakeRequest

WAZZUP_SEND = {
    "channelId": "6f1d2c3b-0000-4000-8000-000000000001",
    "chatType": "whatsapp",
    "chatId": "79998885522",
    "crmMessageId": "a63ac662-25be-48c4-afb3-8900c98558fa",
    "text": "Здравствуйте!",
}
DEFAULT_SEND = {"channel_id": "0b9e7a52-0000-4000-8000-000000000003", "to": "79998885522", "text": "Здравствуйте!"}
I2CRM_SEND = {"domain": "whatsapp", "source": "79370000002", "client": "79998885522", "text": "Здравствуйте!"}
KEY = "4ba977a0-4ff4-4a12-8975-5277e0eaa0cd"


def _json(body: object) -> bytes:
    return json.dumps(body).encode()


def _request(method: str, path: str, headers: dict[str, str], body: object = None, **query: str) -> FakeRequest:
    raw = b"" if body is None else body if isinstance(body, bytes) else _json(body)
    if raw:
        headers = {"Content-Type": "application/json", "Content-Length": str(len(raw))} | headers
    return FakeRequest(method=method, path=path, query=query, headers=headers, body=raw)


BEARER = {"Authorization": "Bearer k"}
REQUESTS = {
    "wazzup": [
        _request("POST", "/message", BEARER, WAZZUP_SEND),
        _request("POST", "/message", {"authorization": "Bearer k"}, WAZZUP_SEND | {"crmMessageId": KEY}),
        _request("POST", "/message", {}, WAZZUP_SEND),
        _request("POST", "/message", {"Authorization": "Basic k"}, WAZZUP_SEND),
        _request("POST", "/message", {"Authorization": "Bearer"}, WAZZUP_SEND),
        _request("POST", "/message", BEARER, {"chatType": "whatsapp", "text": 5}),
        _request("POST", "/message", BEARER, b"{not json"),
        _request("POST", "/message", BEARER | {"Content-Type": "text/plain"}, WAZZUP_SEND),
        _request("POST", "/message", BEARER),
        _request("GET", "/channels", BEARER),
        _request("GET", "/channels", {}),
        _request("DELETE", "/channels", BEARER),
        _request("GET", "/nowhere", BEARER),
    ],
    "default": [
        _request("POST", "/messages", BEARER | {"Idempotency-Key": KEY}, DEFAULT_SEND),
        _request("POST", "/messages", BEARER | {"idempotency-key": KEY.replace("4", "5")}, DEFAULT_SEND),
        _request("POST", "/messages", BEARER, DEFAULT_SEND),
        _request("POST", "/messages", BEARER | {"Idempotency-Key": "not-a-uuid"}, DEFAULT_SEND),
        _request("POST", "/messages", BEARER | {"Idempotency-Key": ""}, DEFAULT_SEND),
        _request("POST", "/messages", {"Idempotency-Key": KEY}, DEFAULT_SEND),
        _request("POST", "/messages", {"Authorization": "Token k", "Idempotency-Key": KEY}, DEFAULT_SEND),
        _request("POST", "/messages", BEARER | {"Idempotency-Key": KEY}, {"to": "x"}),
        _request("GET", "/messages/" + KEY, BEARER),
        _request("GET", "/messages/not-a-uuid", BEARER),
        _request("GET", "/channels", BEARER, limit="2"),
        _request("GET", "/channels", BEARER, limit="many"),
        _request("GET", "/channels", BEARER, cursor=""),
    ],
    "i2crm": [
        _request("POST", "/target/feedback", {}, I2CRM_SEND, key="send-key"),
        _request("POST", "/target/feedback", {}, I2CRM_SEND | {"text": "другой"}, key="send-key"),
        _request("POST", "/target/feedback", {}, I2CRM_SEND),
        _request("POST", "/target/feedback", {}, I2CRM_SEND, key=""),
        _request("POST", "/target/feedback", {}, {"domain": 1}, key="send-key"),
        _request("GET", "/targets", {}, token="t"),
        _request("GET", "/targets", {}),
        _request("GET", "/targets", {}, token="t", extra="1"),
        _request("PUT", "/targets", {}, token="t"),
    ],
}


def _mock(contract: Contract, request: FakeRequest) -> MockRequest:
    return contract._mock(request.method, request.path, dict(request.query), dict(request.headers), request.body)


@pytest.mark.parametrize("provider", sorted(REQUESTS))
def test_remembered_checks_find_what_openapi_core_finds(provider: str) -> None:
    remembered = Contract(provider)
    plain = OpenAPI.from_file_path(
        str(remembered.path), config=Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    )
    expected = [_problems_of(plain.iter_request_errors(_mock(remembered, r))) for r in REQUESTS[provider]]
    assert any(expected) and not all(expected)  # the corpus holds conforming and violating requests
    assert [remembered.request_problems(r) for r in REQUESTS[provider]] == expected
    validator = remembered.api.request_validator  # past the contract's memory of whole requests
    for _ in range(2):
        found = [_problems_of(validator.iter_errors(_mock(remembered, r))) for r in reversed(REQUESTS[provider])]
        assert found == list(reversed(expected))
