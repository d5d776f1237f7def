"""The size of a request's body, bounded per route before any work is done (an ASGI middleware).

A body declared larger than its route's limit (``Content-Length``) is refused at once with 413, unread,
before authentication, parsing or a database session; a body without a length (chunked) is counted as
it streams in and refused with 413 as soon as it passes the limit. The limits (docs/DECISIONS.md,
"Request limits"): a provider's webhook 1 MB, an uploaded file 50 MB plus 1 MB for its form envelope,
anything else (JSON, HTML forms) 1 MB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.files import MAX_FILE_BYTES

MB = 1024 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """The largest body of the routes under ``prefix`` and what a refusal says about it."""

    prefix: str
    max_bytes: int
    what: str

    def covers(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix.rstrip("/") + "/")

    @property
    def message(self) -> str:
        return f"Слишком большой запрос: {self.what} — не больше {self.max_bytes // MB} МБ"


LIMITS = (
    BodyLimit("/api/webhooks", 1 * MB, "вебхук"),
    BodyLimit("/api/files", MAX_FILE_BYTES + 1 * MB, "загрузка файла (файл до 50 МБ и заголовки формы)"),
    # The editor's own upload (a page route, with the session's CSRF token): the same file, the same limit.
    BodyLimit(
        "/settings/business-processes/files",
        MAX_FILE_BYTES + 1 * MB,
        "загрузка файла (файл до 50 МБ и заголовки формы)",
    ),
)
DEFAULT_LIMIT = BodyLimit("/", 1 * MB, "тело запроса")


def limit_for(path: str) -> BodyLimit:
    return next((limit for limit in LIMITS if limit.covers(path)), DEFAULT_LIMIT)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit; answered 413 by the app's handler
    (FastAPI re-raises an HTTPException met while it reads a body) or, failing that, by the middleware."""

    def __init__(self, limit: BodyLimit) -> None:
        super().__init__(413, limit.message, headers={"Connection": "close"})


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read: this connection cannot carry another request
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Bounds every HTTP request's body by its route's :class:`BodyLimit`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            text = declared.decode("latin-1").strip()
            if not (text.isascii() and text.isdigit()):
                await _answer(send, 400, "Некорректный заголовок Content-Length")
                return
            if int(text) > limit.max_bytes:
                await _answer(send, 413, limit.message)
                return
        counted = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal counted
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > limit.max_bytes:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await _answer(send, 413, limit.message)
