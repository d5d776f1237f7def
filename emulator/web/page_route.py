"""The route class of the HTML routers: domain errors become pages, not JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from emulator.errors import Forbidden, NotFound
from emulator.web.access import FORBIDDEN_MESSAGE, FORBIDDEN_TITLE, LoginRequired
from emulator.web.rendering import redirect, render


def _rollback(request: Request) -> None:
    session = getattr(request.state, "page_session", None)
    if session is not None:
        session.rollback()


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    context = {"title": title, "message": message, "status_code": status_code}
    return render(request, "error.html", context, status_code=status_code)


class PageRoute(APIRoute):
    """Sign-in redirect for anonymous users, 403 "Недостаточно прав", 404 and 400 pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                _rollback(request)
                target = request.url.path if request.method == "GET" else "/deals"
                if request.method == "GET" and request.url.query:
                    target += "?" + request.url.query
                return redirect(f"/login?next={quote(target, safe='')}")
            except Forbidden as exc:
                _rollback(request)
                return error_page(request, 403, FORBIDDEN_TITLE, str(exc) or FORBIDDEN_MESSAGE)
            except NotFound as exc:
                _rollback(request)
                return error_page(request, 404, "Страница не найдена", str(exc))
            except RequestValidationError:
                _rollback(request)
                return error_page(request, 400, "Некорректный запрос", "Проверьте адрес страницы.")

        return page_handler
