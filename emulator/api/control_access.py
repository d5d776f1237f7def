"""Who may use the control API (/_control/*: reset, seed, clock, due work), checked before any body is read.

With ``CRM_CONTROL_TOKEN`` set, every call needs ``Authorization: Bearer <that token>``. Without one (a
developer's loopback emulator, the in-process test server) a call is refused when a browser sent it (it
carries ``Origin`` or ``Sec-Fetch-Site``), so a web page cannot reset the CRM behind its user's back; and
``python -m emulator`` refuses to serve the control API on a non-loopback address without a token.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from emulator.api.dependencies import bearer_token
from emulator.api.worker_trip import OneTripRoute
from emulator.settings import Settings

TOKEN_REQUIRED = "Управляющий API: нужен заголовок Authorization: Bearer <CRM_CONTROL_TOKEN>"
TOKEN_WRONG = "Управляющий API: неверный токен (Authorization: Bearer <CRM_CONTROL_TOKEN>)"
BROWSER_REFUSED = (
    "Управляющий API без токена не принимает запросы из браузера: задайте CRM_CONTROL_TOKEN "
    "и передавайте его в заголовке Authorization: Bearer"
)


def refusal(settings: Settings, request: Request) -> tuple[int, str] | None:
    """(status, message) when the request may not use the control API, else None."""
    if settings.control_token:
        presented = bearer_token(request)
        if presented is None:
            return 401, TOKEN_REQUIRED
        if not hmac.compare_digest(presented.encode(), settings.control_token.encode()):
            return 401, TOKEN_WRONG
        return None
    if "origin" in request.headers or "sec-fetch-site" in request.headers:
        return 403, BROWSER_REFUSED
    return None


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def startup_refusal(host: str, settings: Settings) -> str | None:
    """Why the emulator must not start with these settings on ``host``, or None."""
    if settings.control_api and not settings.control_token and not is_loopback(host):
        return (
            f"Управляющий API (/_control: сброс данных, часы) не запускается на адресе {host} без токена: "
            "задайте переменную окружения CRM_CONTROL_TOKEN (длинную случайную строку) или слушайте 127.0.0.1."
        )
    return None


class ControlRoute(OneTripRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked_first(request: Request) -> Response:
            refused = refusal(request.app.state.settings, request)
            if refused is not None:
                status_code, message = refused
                headers = {"WWW-Authenticate": "Bearer"} if status_code == 401 else None
                return JSONResponse({"detail": message}, status_code=status_code, headers=headers)
            return await handler(request)

        return checked_first
