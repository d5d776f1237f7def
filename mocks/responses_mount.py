"""In-process mount: the fakes answer ``requests`` calls through ``responses`` callbacks.

Transport outcomes become the exceptions ``requests`` itself raises, with the same wrapping
(``exc.args[0]`` is the urllib3 error, ``exc.request`` the prepared request):

- connect timeout  -> ``ConnectTimeout(MaxRetryError(reason=ConnectTimeoutError))``
- read timeout     -> ``ReadTimeout(ReadTimeoutError)`` (the request was processed)
- refused          -> ``ConnectionError(MaxRetryError(reason=NewConnectionError))``
- reset            -> ``ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError))``

Nothing sleeps, but waiting costs scenario time: with ``elapse`` given (the frozen clock's tick), a
timeout or a lost answer moves the clock by the call's timeout (``request.req_kwargs["timeout"]``), a
slow answer by its delay (or by the timeout, when the delay exceeds it: then it is a ``ReadTimeout``).
Register loopback URLs (the CRM emulator)
with ``rsps.add_passthru`` yourself; the fakes' own outbound calls (webhooks, downloads) go through it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import responses
from requests import PreparedRequest
from requests.exceptions import ConnectionError, ConnectTimeout, ReadTimeout
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from mocks.interface import FakeProviders
from mocks.provider_fake import ProviderFake
from mocks.wire import FakeRequest, Outcome

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


def url_pattern(base_url: str) -> re.Pattern[str]:
    """Every URL under ``base_url`` (path, query)."""
    return re.compile(re.escape(base_url.rstrip("/")) + r"(?:[/?#].*)?$")


Elapse = Callable[[float], None]


def mount(rsps: responses.RequestsMock, fakes: FakeProviders, elapse: Elapse | None = None) -> None:
    """Register every fake of ``fakes`` (which must be in-process ``ProviderFake`` objects) on ``rsps``."""
    for fake in fakes.all():
        if not isinstance(fake, ProviderFake):
            raise TypeError(f"{fake!r} is not an in-process fake")
        mount_fake(rsps, fake, elapse)


def mount_fake(rsps: responses.RequestsMock, fake: ProviderFake, elapse: Elapse | None = None) -> None:
    """Register one fake for all methods under its base URL."""
    pattern = url_pattern(fake.base_url)
    for method in METHODS:
        rsps.add_callback(method, pattern, callback=partial(_answer, fake, elapse), content_type=None)


def read_timeout(value: Any, part: int = 1) -> float | None:
    """The read (``part`` 1) or connect (0) timeout of a ``requests`` ``timeout=`` argument."""
    if isinstance(value, tuple):
        value = value[part] if len(value) > part else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    read = getattr(value, "connect_timeout" if part == 0 else "read_timeout", None)
    return float(read) if isinstance(read, int | float) else None


def fake_request(fake: ProviderFake, prepared: PreparedRequest) -> FakeRequest:
    """Translate a prepared ``requests`` request into the fake's terms."""
    parts = urlsplit(str(prepared.url))
    base_path = urlsplit(fake.base_url).path.rstrip("/")
    path = unquote(parts.path.removeprefix(base_path))
    body = prepared.body
    raw = body.encode("utf-8") if isinstance(body, str) else body if isinstance(body, bytes) else b""
    headers = {
        name: value.decode("latin-1") if isinstance(value, bytes) else value for name, value in prepared.headers.items()
    }
    kwargs: dict[str, Any] = getattr(prepared, "req_kwargs", {}) or {}
    return FakeRequest(
        method=str(prepared.method),
        path=path,
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        headers=headers,
        body=raw,
        timeout=read_timeout(kwargs.get("timeout")),
    )


def waited(outcome: Outcome, delay: float, timeout: float | None) -> float:
    """How long the client waited for this outcome."""
    if outcome in (Outcome.CONNECT_TIMEOUT, Outcome.READ_TIMEOUT):
        return timeout if timeout is not None else delay
    if outcome is Outcome.ANSWERED:
        return min(delay, timeout) if timeout is not None else delay
    return 0.0


def _answer(fake: ProviderFake, elapse: Elapse | None, prepared: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    request = fake_request(fake, prepared)
    response = fake.handle(request)
    seconds = waited(response.outcome, response.delay, request.timeout)
    if elapse is not None and seconds > 0:
        elapse(seconds)
    if response.outcome is Outcome.ANSWERED:
        return response.status, response.all_headers(), response.body_bytes()
    raise transport_error(response.outcome, prepared)


def transport_error(outcome: Outcome, prepared: PreparedRequest) -> Exception:
    """The exception ``requests`` raises for ``outcome``."""
    timeouts = (getattr(prepared, "req_kwargs", {}) or {}).get("timeout")
    parts = urlsplit(str(prepared.url))
    https = parts.scheme == "https"
    host = parts.hostname or "localhost"
    port = parts.port or (443 if https else 80)
    pool = HTTPSConnectionPool(host, port) if https else HTTPConnectionPool(host, port)
    conn = HTTPSConnection(host, port) if https else HTTPConnection(host, port)
    url = prepared.path_url
    if outcome is Outcome.CONNECT_TIMEOUT:
        reason = ConnectTimeoutError(
            conn, f"Connection to {host} timed out. (connect timeout={read_timeout(timeouts, 0)})"
        )
        return ConnectTimeout(MaxRetryError(pool, url, reason), request=prepared)
    if outcome is Outcome.READ_TIMEOUT:
        error = ReadTimeoutError(pool, url, f"Read timed out. (read timeout={read_timeout(timeouts)})")
        return ReadTimeout(error, request=prepared)
    if outcome is Outcome.CONNECTION_REFUSED:
        refused = NewConnectionError(conn, "Failed to establish a new connection: [Errno 111] Connection refused")
        return ConnectionError(MaxRetryError(pool, url, refused), request=prepared)
    reset = ConnectionResetError(104, "Connection reset by peer")
    return ConnectionError(ProtocolError("Connection aborted.", reset), request=prepared)
