"""The REST client's requests to the in-process CRM, handed to its ASGI app on the server's own event loop.

The in-process stand serves the emulator with uvicorn on a loopback port (the browser and the fakes'
webhooks go there). The API scenarios' client does not need the socket: a request sent through this
adapter reaches the same application object, with its whole middleware stack (request limits, request
slots, authentication, CSRF, error handlers), on the loop uvicorn runs it on, and comes back as a
``requests.Response``. What it skips is the part the suite does not test through the API: TCP and the
HTTP/1.1 parsing on both sides (about three quarters of a local request's cost). The remote mode
(``--base-url``), the browser and the hardening tests that speak raw HTTP still go through uvicorn.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.exceptions import ReadTimeout
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from starlette.types import ASGIApp, Message
from urllib3 import HTTPHeaderDict, HTTPResponse

LOG = logging.getLogger("uvicorn.error")
# Where the request seems to come from: loopback, as for a client on this machine.
CLIENT_ADDRESS = ("127.0.0.1", 50000)


class AsgiAdapter(BaseAdapter):
    """A requests transport adapter that calls an ASGI application running on ``loop`` (another thread)."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._app = app
        self._loop = loop

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        scope, body = _scope_of(request)
        future = asyncio.run_coroutine_threadsafe(_exchange(self._app, scope, body), self._loop)
        limit = timeout[1] if isinstance(timeout, tuple) else timeout
        try:
            status, headers, content = future.result(limit)
        except TimeoutError as error:
            future.cancel()
            raise ReadTimeout(f"the CRM did not answer {request.method} {request.url} within {limit} s") from error
        return _response(request, status, headers, content)

    def close(self) -> None:
        """Nothing to release: no connections are held."""


def _scope_of(request: PreparedRequest) -> tuple[dict[str, Any], bytes]:
    url = urlsplit(request.url or "")
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = b"".join(body)  # a generator of chunks (requests never streams the client's own bodies)
    headers = [(b"host", url.netloc.encode("latin-1"))]
    headers += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers.items()]
    if body and "content-length" not in {name for name, _ in headers}:
        headers.append((b"content-length", str(len(body)).encode("latin-1")))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": unquote(url.path),
        "raw_path": url.path.encode("latin-1"),
        "query_string": url.query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": CLIENT_ADDRESS,
        "server": (url.hostname, url.port),
    }
    return scope, body


async def _exchange(app: ASGIApp, scope: dict[str, Any], body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Runs one request through the app as uvicorn would: the body at once, a disconnect once it has answered."""
    answered = asyncio.Event()
    request_sent = False
    status = 0
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                answered.set()

    try:
        await app(scope, receive, send)
    except Exception:
        # As uvicorn: the error is logged, the client keeps what was sent, or gets a 500 if nothing was.
        LOG.exception("Exception in ASGI application")
        if not status:
            return 500, [(b"content-type", b"text/plain; charset=utf-8")], b"Internal Server Error"
    finally:
        answered.set()
    return status, headers, b"".join(chunks)


def _response(request: PreparedRequest, status: int, headers: list[tuple[bytes, bytes]], content: bytes) -> Response:
    """The answer as requests builds it from a socket's: ``raw`` is a urllib3 response (its headers keep
    repeated names, which schemathesis and cookie handling read), ``headers`` a case-insensitive view."""
    raw = HTTPResponse(
        body=io.BytesIO(content),
        headers=HTTPHeaderDict([(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]),
        status=status,
        version=11,
        reason=HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "",
        preload_content=False,
        decode_content=False,
        request_url=request.url,
    )
    response = Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(raw.headers)
    response.raw = raw
    response._content = content
    response.encoding = get_encoding_from_headers(response.headers)
    response.url = request.url or ""
    response.request = request
    response.reason = raw.reason or ""
    return response
