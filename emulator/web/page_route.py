"""The route class of the HTML routers: credentials first, then domain errors become pages, not JSON.

Before FastAPI reads a body, the visitor is identified from the headers (``access.identify``): a form
posted without a signed-in browser session goes to /login, an administrator's form posted by a manager is
refused 403, and neither body is read. Then every state-changing request (everything but GET/HEAD/OPTIONS)
must carry the CSRF token of its session (hidden field ``csrf_token`` or header ``X-CSRF-Token``) — the
sign-in form too, whose session is the one ``GET /login`` opened (no login CSRF from another site).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from emulator.api.worker_trip import OneTripRoute
from emulator.dependency_graph import depends_on
from emulator.errors import Forbidden, NotFound
from emulator.web import csrf
from emulator.web.access import (
    FORBIDDEN_MESSAGE,
    FORBIDDEN_TITLE,
    SAFE_METHODS,
    LoginRequired,
    Visitor,
    identify,
    page_admin,
)
from emulator.web.rendering import redirect, render

SIGN_IN_PATH = "/login"
CSRF_TITLE = "Запрос отклонён"
NO_SESSION = "Форма устарела: сессия браузера истекла или не начиналась. Откройте страницу заново и повторите действие."
BAD_CSRF_TOKEN = (
    "В форме нет действительного CSRF-токена этой сессии: она устарела или отправлена с другого сайта. "
    "Откройте страницу заново и повторите действие."
)


class CsrfRefused(Exception):
    """A state-changing request without the CSRF token of its browser session."""


def _rollback(request: Request) -> None:
    session = getattr(request.state, "page_session", None)
    if session is not None:
        session.rollback()


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    context = {"title": title, "message": message, "status_code": status_code}
    return render(request, "error.html", context, status_code=status_code)


async def _presented_token(request: Request) -> str | None:
    """The header (the editor's uploads) or the form's hidden field (read only now, credentials checked)."""
    header = request.headers.get(csrf.HEADER)
    if header:
        return header
    value = (await request.form()).get(csrf.FORM_FIELD)
    return value if isinstance(value, str) else None


async def _check_state_change(request: Request, visitor: Visitor, *, sign_in: bool, needs_admin: bool) -> None:
    if not sign_in and visitor.user_id is None:
        raise LoginRequired()
    if needs_admin and not visitor.is_admin:
        raise Forbidden(FORBIDDEN_MESSAGE)
    if visitor.session_token is None:
        raise CsrfRefused(NO_SESSION)
    if not csrf.matches(visitor.session_token, await _presented_token(request)):
        raise CsrfRefused(BAD_CSRF_TOKEN)


class PageRoute(OneTripRoute):
    """Sign-in redirect for anonymous users, 403 "Недостаточно прав" and CSRF refusals, 404 and 400 pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        sign_in = self.path == SIGN_IN_PATH
        needs_admin = depends_on(self.dependant, page_admin)

        async def page_handler(request: Request) -> Response:
            visitor = await run_in_threadpool(identify, request)
            request.state.visitor = visitor
            request.state.csrf_token = visitor.csrf_token
            try:
                if request.method not in SAFE_METHODS:
                    await _check_state_change(request, visitor, sign_in=sign_in, needs_admin=needs_admin)
                return await handler(request)
            except LoginRequired:
                _rollback(request)
                target = request.url.path if request.method == "GET" else "/deals"
                if request.method == "GET" and request.url.query:
                    target += "?" + request.url.query
                return redirect(f"/login?next={quote(target, safe='')}")
            except CsrfRefused as exc:
                _rollback(request)
                return error_page(request, 403, CSRF_TITLE, str(exc))
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
