"""The transport-agnostic request/response pair every fake's ``handle()`` speaks.

A mount (``responses`` in-process, FastAPI standalone) turns its native request into a ``FakeRequest``
and turns the ``FakeResponse`` back into an answer -- or into a transport failure, as ``outcome`` says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from requests.structures import CaseInsensitiveDict


class Outcome(StrEnum):
    """What the client observes at the transport level."""

    ANSWERED = "answered"
    """The answer (status, headers, body) reaches the client."""
    CONNECT_TIMEOUT = "connect_timeout"
    """The request never reached the provider; the client's connect attempt times out."""
    READ_TIMEOUT = "read_timeout"
    """The provider processed the request; the answer never arrives and the client's read times out."""
    CONNECTION_REFUSED = "connection_refused"
    """Nothing listens: the request provably never left the client."""
    CONNECTION_RESET = "connection_reset"
    """The peer reset the connection before answering; the request was not processed."""


def _parse_json(body: bytes) -> tuple[Any, str | None]:
    if not body:
        return None, None
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as error:
        return None, str(error)


@dataclass(frozen=True)
class FakeRequest:
    """One HTTP request to a fake, with the path relative to the fake's base URL (``/message``)."""

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    timeout: float | None = None
    """The client's read timeout when the mount knows it (in-process); None means "waits forever"."""
    json: Any = field(init=False, default=None)
    json_error: str | None = field(init=False, default=None)
    """Why the body is not JSON (None when it is JSON or empty)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())
        path = "/" + self.path.lstrip("/") if self.path else "/"
        object.__setattr__(self, "path", path.rstrip("/") or "/")
        object.__setattr__(self, "headers", CaseInsensitiveDict(dict(self.headers)))
        object.__setattr__(self, "query", dict(self.query))
        parsed, error = _parse_json(self.body)
        object.__setattr__(self, "json", parsed)
        object.__setattr__(self, "json_error", error)

    def header(self, name: str) -> str | None:
        """A header value, case-insensitively."""
        return self.headers.get(name)

    def bearer_token(self) -> str | None:
        """The token of an ``Authorization: Bearer <token>`` header, else None."""
        value = self.header("Authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme != "Bearer" or not token.strip():
            return None
        return token.strip()


@dataclass
class FakeResponse:
    """A provider's answer plus how (and whether) it reaches the client."""

    status: int
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    outcome: Outcome = Outcome.ANSWERED
    delay: float = 0.0
    """Seconds the client waits before the outcome (slow answers, held connections): really, standalone;
    on the scenario clock, in-process."""
    content_type: str = "application/json; charset=utf-8"
    truncated: bool = False
    """The body is cut in half on the way (not JSON any more): the ``malformed`` fault."""

    def body_bytes(self) -> bytes:
        """The JSON body as UTF-8 bytes (empty for no body; its first half when ``truncated``)."""
        if self.json is None:
            return b""
        whole = json.dumps(self.json, ensure_ascii=False).encode("utf-8")
        return whole[: len(whole) // 2] if self.truncated else whole

    def all_headers(self) -> dict[str, str]:
        """Headers to send, with the JSON content type when there is a body."""
        headers = dict(self.headers)
        if self.json is not None and not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = self.content_type
        return headers
