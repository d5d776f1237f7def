"""The REST client's requests to the in-process CRM, handed to its ASGI app on the server's own event loop.

The in-process stand serves the emulator with uvicorn on a loopback port (the browser and the fakes'
webhooks go there). The API scenarios' client does not need the socket: a request sent this way reaches
the same application object, with its whole middleware stack (request limits, request slots,
authentication, CSRF, error handlers), on the loop uvicorn runs it on. What it skips is the part the
suite does not test through the API: TCP and the HTTP/1.1 parsing on both sides. The remote mode
(``--base-url``), the browser and the hardening tests that speak raw HTTP still go through uvicorn.

Two doors to the same exchange:

- :class:`AsgiTransport`, the typed client's transport (``CrmClient.transport``): JSON, a query or a
  multipart upload in, status and body out, without building ``requests``' request and response objects
  (they cost more than the exchange itself);
- :class:`AsgiAdapter`, a ``requests`` transport adapter for a ``requests.Session`` (the fuzz run's
  schemathesis, tests comparing with the socket): a full ``requests.Response`` with a urllib3 ``raw``.
"""

from __future__ import annotations

import asyncio
import io
import json as json_module
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO, Any
from urllib.parse import unquote, urlencode, urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.exceptions import ReadTimeout
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from starlette.types import ASGIApp, Message
from urllib3 import HTTPHeaderDict, HTTPResponse, encode_multipart_formdata

LOG = logging.getLogger("uvicorn.error")
# Where the request seems to come from: loopback, as for a client on this machine.
CLIENT_ADDRESS = ("127.0.0.1", 50000)
RawHeaders = list[tuple[bytes, bytes]]


class _Exchanges:
    """Runs one request through the app on its loop and waits for the answer."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self._app = app
        self._loop = loop

    def run(
        self, method: str, url: str, headers: RawHeaders, body: bytes, timeout: float | None
    ) -> tuple[int, RawHeaders, bytes]:
        scope = _scope(method, url, headers, body)
        future = asyncio.run_coroutine_threadsafe(_exchange(self._app, scope, body), self._loop)
        try:
            return future.result(timeout)
        except TimeoutError as error:
            future.cancel()
            raise ReadTimeout(f"the CRM did not answer {method} {url} within {timeout} s") from error


@dataclass(frozen=True)
class AsgiAnswer:
    """What the typed client reads of an answer (the shape of ``requests.Response`` it uses)."""

    status_code: int
    content: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json_module.loads(self.content)


class AsgiTransport(_Exchanges):
    """The typed client's requests, encoded as ``requests`` encodes them (JSON, query, multipart)."""

    def exchange(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes | IO[bytes], str]] | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str],
        timeout: float | None,
    ) -> AsgiAnswer:
        fields = {name.lower(): value for name, value in headers.items()}
        body = b""
        if files is not None:
            parts = {name: (filename, _bytes(data), kind) for name, (filename, data, kind) in files.items()}
            body, fields["content-type"] = encode_multipart_formdata(parts)
        elif json is not None:
            body = json_module.dumps(json, allow_nan=False).encode("utf-8")
            fields["content-type"] = "application/json"
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, doseq=True)}"
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in fields.items()]
        status, answer_headers, content = self.run(method, url, raw, body, timeout)
        return AsgiAnswer(status, content, {k.decode("latin-1"): v.decode("latin-1") for k, v in answer_headers})


def _bytes(data: bytes | IO[bytes]) -> bytes:
    return data if isinstance(data, bytes) else data.read()


class AsgiAdapter(BaseAdapter):
    """A requests transport adapter that calls an ASGI application running on ``loop`` (another thread)."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._exchanges = _Exchanges(app, loop)

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = b"".join(body)  # a generator of chunks (requests never streams the client's own bodies)
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers.items()]
        limit = timeout[1] if isinstance(timeout, tuple) else timeout
        status, answer_headers, content = self._exchanges.run(
            request.method or "GET", request.url or "", headers, body, limit
        )
        return _response(request, status, answer_headers, content)

    def close(self) -> None:
        """Nothing to release: no connections are held."""


def _scope(method: str, url: str, headers: RawHeaders, body: bytes) -> dict[str, Any]:
    parts = urlsplit(url)
    all_headers = [(b"host", parts.netloc.encode("latin-1")), *headers]
    if body and not any(name == b"content-length" for name, _ in headers):
        all_headers.append((b"content-length", str(len(body)).encode("latin-1")))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": parts.scheme,
        "path": unquote(parts.path),
        "raw_path": parts.path.encode("latin-1"),
        "query_string": parts.query.encode("latin-1"),
        "root_path": "",
        "headers": all_headers,
        "client": CLIENT_ADDRESS,
        "server": (parts.hostname, parts.port),
    }


async def _exchange(app: ASGIApp, scope: dict[str, Any], body: bytes) -> tuple[int, RawHeaders, bytes]:
    """Runs one request through the app as uvicorn would: the body at once, a disconnect once it has answered."""
    answered = asyncio.Event()
    request_sent = False
    status = 0
    headers: RawHeaders = []
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


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status the standard does not name
        return ""


def _response(request: PreparedRequest, status: int, headers: RawHeaders, content: bytes) -> Response:
    """The answer as requests builds it from a socket's: ``raw`` is a urllib3 response (its headers keep
    repeated names, which schemathesis and cookie handling read), ``headers`` a case-insensitive view."""
    raw = HTTPResponse(
        body=io.BytesIO(content),
        headers=HTTPHeaderDict([(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]),
        status=status,
        version=11,
        reason=_reason(status),
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
