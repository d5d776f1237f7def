"""The route class of the JSON API: the bearer token (and the administrator's role where the handler needs
it) is checked before FastAPI reads the body, so a 300 MB upload without a token is refused at once.

FastAPI parses a request's body before it runs the dependencies; this check runs first and looks only at
the headers, reading the user in the request's own unit of work (emulator/unit_of_work.py); the handler's
dependencies take that user from there and still refuse a request without one.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from emulator import unit_of_work
from emulator.api.dependencies import (
    ADMIN_ONLY,
    bearer_token,
    current_user,
    require_admin,
    unauthenticated,
    user_of_token,
)
from emulator.api.worker_trip import OneTripRoute
from emulator.dependency_graph import depends_on
from emulator.models import User


def _user_of(request: Request) -> User | None:
    """The user of the request's bearer token, read in the request's session (in a worker thread)."""
    user = unit_of_work.read_first(request, lambda session: user_of_token(session, bearer_token(request)))
    unit_of_work.remember_user(request, user)
    return user


def _answer(error: HTTPException) -> Response:
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)


class BearerRoute(OneTripRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        needs_admin = depends_on(self.dependant, require_admin)
        if not (needs_admin or depends_on(self.dependant, current_user)):
            return handler

        async def checked_first(request: Request) -> Response:
            user = await run_in_threadpool(_user_of, request)
            if user is None:
                return _answer(unauthenticated(request))
            if needs_admin and not user.is_admin:
                return JSONResponse({"detail": ADMIN_ONLY}, status_code=403)
            return await handler(request)

        return checked_first
