"""Request bodies are bounded per route before any work: 413 with a Russian message, the rest never read.

The ASGI tests hand the application a ``receive`` that counts what it gives (and fails the test if
asked for more than the refusal needs); the socket tests prove the same through uvicorn: the answer
comes while most of the declared body was never sent.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Coroutine, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI

from emulator import seed
from emulator.app import create_app
from emulator.db import Database
from emulator.seed import ADMIN_TOKEN
from emulator.settings import Settings
from tests.asgi_scope import post_scope
from tests.hardening.conftest import Crm

MB = 1024 * 1024
CHUNK = 64 * 1024
PART_HEAD = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    settings = replace(Settings(), database_url=f"sqlite:///{tmp_path / 'crm.sqlite3'}", scheduler_loop=False)
    database = Database(settings.database_url)
    database.create_schema()
    seed.reset(database, with_processes=False)  # the admin's token is valid: the refusal is about the size
    return create_app(settings, database)


def _run(call: Coroutine[Any, Any, None]) -> None:
    """The application call on a loop of its own, in its own thread (the suite's browser tests keep an
    event loop running in the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()


class Body:
    """An endless request body in chunks; refuses to give more than ``allowed`` chunks."""

    def __init__(self, allowed: int, head: bytes = b"") -> None:
        self.allowed = allowed
        self.head = head  # the start of the first chunk (a multipart part's headers)
        self.given = 0

    async def receive(self) -> dict[str, Any]:
        if self.given >= self.allowed:
            raise AssertionError(f"the body was read beyond {self.allowed} chunks of {CHUNK} bytes")
        chunk = (self.head if not self.given else b"") + b"x" * CHUNK
        self.given += 1
        return {"type": "http.request", "body": chunk[:CHUNK], "more_body": True}


def _call(app: FastAPI, path: str, headers: dict[str, str], body: Body) -> tuple[int, dict[str, str], bytes]:
    scope = post_scope(path, [(k.lower().encode(), v.encode()) for k, v in headers.items()])
    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    _run(app(scope, body.receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    answer_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], answer_headers, content


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/webhooks/wazzup/some-secret", {}),
        ("/api/webhooks/default", {}),
        ("/api/webhooks/i2crm", {"x-auth-token": "wrong"}),
        ("/api/files", {"authorization": "Bearer nobody", "content-type": "multipart/form-data; boundary=b"}),
        ("/api/deals", {"authorization": f"Bearer {ADMIN_TOKEN}", "content-type": "application/json"}),
        ("/login", {"content-type": "application/x-www-form-urlencoded"}),
    ],
)
def test_a_declared_200_mb_body_is_refused_unread(app: FastAPI, path: str, headers: dict[str, str]) -> None:
    body = Body(allowed=0)
    status, answer_headers, content = _call(app, path, {**headers, "content-length": str(200 * MB)}, body)
    assert status == 413
    assert body.given == 0
    assert answer_headers["content-type"] == "application/json"
    assert "Слишком большой запрос" in json.loads(content)["detail"]


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/api/webhooks/wazzup/some-secret", 1 * MB), ("/api/deals", 1 * MB), ("/api/files", 51 * MB)],
)
def test_a_streamed_body_without_length_is_cut_at_the_limit(app: FastAPI, path: str, limit: int) -> None:
    upload = path == "/api/files"
    kind = "multipart/form-data; boundary=b" if upload else "application/json"
    headers = {"authorization": f"Bearer {ADMIN_TOKEN}", "content-type": kind}
    body = Body(allowed=limit // CHUNK + 1, head=PART_HEAD if upload else b"")
    status, _, content = _call(app, path, headers, body)
    assert status == 413
    assert body.given == limit // CHUNK + 1  # one chunk past the limit, not one more
    assert "Слишком большой запрос" in json.loads(content)["detail"]


def test_a_body_within_the_limit_is_read_whole(app: FastAPI) -> None:
    """The wrapper passes a streamed body under the limit through untouched (a webhook reads it all)."""
    chunks = [b'{"test"', b": true}"]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/webhooks/wazzup/x", "raw_path": b"/api/webhooks/wazzup/x", "query_string": b"",
        "root_path": "", "headers": [], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2), "state": {},
    }  # fmt: skip
    _run(app(scope, receive, send))
    assert next(m for m in sent if m["type"] == "http.response.start")["status"] == 200


def _raw_post(crm: Crm, path: str, head: dict[str, str], first: bytes) -> bytes:
    """Headers and a first piece of the body through a socket; the answer, read to the end."""
    address = urlsplit(crm.base_url)
    assert address.hostname is not None and address.port is not None
    lines = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", *(f"{k}: {v}" for k, v in head.items())]
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + first)
        answer = b""
        while not answer.endswith(b"}") or b"\r\n\r\n" not in answer:
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
    return answer


def test_uvicorn_answers_413_before_a_200_mb_webhook_arrives(sqlite_crm: Crm) -> None:
    head = {"Content-Type": "application/json", "Content-Length": str(200 * MB)}
    answer = _raw_post(sqlite_crm, "/api/webhooks/wazzup/not-the-secret", head, b"{" + b" " * CHUNK)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert "Слишком большой запрос".encode() in answer


def test_uvicorn_cuts_an_oversized_chunked_webhook(sqlite_crm: Crm) -> None:
    head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    piece = b"x" * CHUNK
    chunks = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n") * (2 * MB // CHUNK)  # 2 MB, no terminating chunk
    answer = _raw_post(sqlite_crm, "/api/webhooks/wazzup/not-the-secret", head, chunks)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
