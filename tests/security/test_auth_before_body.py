"""Finding: FastAPI read (and parsed) a request's body before the dependencies checked who sent it, so a
300 MB upload without a token was read to the end before its 401. Now the route classes check the
credentials from the headers first; these tests drive the app at the ASGI level and count what it read.

Each request announces the largest body its route admits (``emulator/request_limits.py`` refuses anything
bigger with 413 before reading it, see tests/hardening), so what refuses it here is the credentials check."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from emulator import seed
from emulator.request_limits import limit_for
from tests.asgi_scope import post_scope
from tests.security.conftest import form_token, sign_in

CHUNK = b"\0" * (64 * 1024)
BOUNDARY = "crm-boundary"


@dataclass
class Exchange:
    status: int = 0
    chunks_read: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def _post(app: FastAPI, path: str, headers: dict[str, str]) -> Exchange:
    """POST the biggest multipart upload the route admits, 64 KB per ``receive``; counts the chunks read."""
    exchange = Exchange()
    preamble = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunks = (limit_for(path).max_bytes - len(preamble)) // len(CHUNK)
    assert chunks > 10, f"{path}: the body announced is too small to show anything"
    raw_headers = [
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
        (b"content-length", str(len(preamble) + chunks * len(CHUNK)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in headers.items()),
    ]
    scope = post_scope(path, raw_headers)

    async def receive() -> dict[str, Any]:
        exchange.chunks_read += 1
        if exchange.chunks_read > chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        body = preamble + CHUNK if exchange.chunks_read == 1 else CHUNK
        return {"type": "http.request", "body": body, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}

    # A loop of its own in a thread of its own: the browser tests on the same worker leave one running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    return exchange


def test_a_50_mb_upload_without_a_token_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    answer = _post(app, "/api/files", {})
    assert answer.status == 401
    assert answer.chunks_read == 0


def test_a_managers_50_mb_upload_is_refused_403_before_its_body_is_read(app: FastAPI) -> None:
    answer = _post(app, "/api/files", {"Authorization": f"Bearer {seed.MANAGER_TOKEN}"})
    assert answer.status == 403
    assert answer.chunks_read == 0


def test_a_forged_token_is_refused_before_the_body_too(app: FastAPI) -> None:
    answer = _post(app, "/api/business-processes", {"Authorization": "Bearer forged"})
    assert answer.status == 401
    assert answer.chunks_read == 0


def test_the_editors_upload_page_route_refuses_before_the_body(app: FastAPI) -> None:
    anonymous = _post(app, "/settings/business-processes/files", {})
    assert anonymous.status == 303
    assert anonymous.headers["location"].startswith("/login")
    assert anonymous.chunks_read == 0


def test_a_managers_editor_upload_is_refused_before_the_body(app: FastAPI, web: TestClient) -> None:
    sign_in(web, "manager", "manager")
    cookie = web.cookies["crm_session"]
    token = form_token(web.get("/deals/9396").text)
    answer = _post(
        app, "/settings/business-processes/files", {"Cookie": f"crm_session={cookie}", "X-CSRF-Token": token}
    )
    assert answer.status == 403
    assert answer.chunks_read == 0


def test_the_control_api_refuses_a_big_body_without_its_token_before_reading_it(
    make_app: Callable[..., FastAPI],
) -> None:
    answer = _post(make_app(control_token="control-secret"), "/_control/reset", {})
    assert answer.status == 401
    assert answer.chunks_read == 0
