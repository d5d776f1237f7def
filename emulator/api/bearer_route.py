"""The route class of the JSON API: the bearer token (and the administrator's role where the handler needs
it) is checked before FastAPI reads the body, so a 300 MB upload without a token is refused at once.

FastAPI parses a request's body before it runs the dependencies; this check runs first and looks only at
the headers. The handler's own dependencies still check the same things again on the way in.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from emulator.api.dependencies import (
    ADMIN_ONLY,
    bearer_token,
    current_user,
    require_admin,
    unauthenticated,
    user_of_token,
)
from emulator.db import Database
from emulator.dependency_graph import depends_on


def _role_of(request: Request) -> tuple[bool, bool]:
    """(signed in, administrator) of the request's bearer token."""
    database: Database = request.app.state.database
    with database.session() as session:
        user = user_of_token(session, bearer_token(request))
        return user is not None, bool(user is not None and user.is_admin)


def _answer(error: HTTPException) -> Response:
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)


class BearerRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        needs_admin = depends_on(self.dependant, require_admin)
        if not (needs_admin or depends_on(self.dependant, current_user)):
            return handler

        async def checked_first(request: Request) -> Response:
            signed_in, is_admin = await run_in_threadpool(_role_of, request)
            if not signed_in:
                return _answer(unauthenticated(request))
            if needs_admin and not is_admin:
                return JSONResponse({"detail": ADMIN_ONLY}, status_code=403)
            return await handler(request)

        return checked_first
