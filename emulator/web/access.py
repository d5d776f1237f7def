"""Who is on a page: the browser's server-side session (cookie ``crm_session``); settings for admins only.

The route class (:mod:`emulator.web.page_route`) identifies the visitor once, from the headers, before any
body is read, and keeps the answer on ``request.state.visitor``; the dependencies below read it. A page may
also be read (GET) with the REST API's bearer token (the API driver opens deal links that way); a form is
only ever accepted from a browser session with its CSRF token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from emulator import clock, unit_of_work, web_sessions
from emulator.api.dependencies import bearer_token, user_of_token
from emulator.errors import Forbidden
from emulator.models import User
from emulator.settings import Settings
from emulator.web import csrf

SESSION_COOKIE = "crm_session"
FORBIDDEN_TITLE = "Недостаточно прав"
FORBIDDEN_MESSAGE = "Недостаточно прав: доступно только администратору"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """No signed-in user: the page answers with a redirect to /login."""


@dataclass(frozen=True)
class Visitor:
    """What the request's credentials say: a live session (its token), its user, or a bearer token's user."""

    session_token: str | None = None
    user_id: int | None = None
    is_admin: bool = False
    by_bearer: bool = False

    @property
    def csrf_token(self) -> str:
        return csrf.token_for(self.session_token) if self.session_token else ""


def _visitor(session: Session, request: Request) -> tuple[Visitor, User | None]:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    found = web_sessions.find(session, cookie, clock.now()) if cookie else None
    if found is not None:
        user = session.get(User, found.user_id) if found.user_id is not None else None
        return Visitor(cookie, user.id if user else None, bool(user and user.is_admin)), user
    if request.method in SAFE_METHODS:
        user = user_of_token(session, bearer_token(request))
        if user is not None:
            return Visitor(None, user.id, user.is_admin, by_bearer=True), user
    return Visitor(), None


def identify(request: Request) -> Visitor:
    """The visitor of a request, from its headers only (run before the body is read, in a worker thread),
    read in the request's own unit of work: ``page_user`` takes the user found from there."""
    visitor, user = unit_of_work.read_first(request, lambda session: _visitor(session, request))
    unit_of_work.remember_user(request, user)
    return visitor


def visitor_of(request: Request) -> Visitor:
    visitor: Visitor = getattr(request.state, "visitor", Visitor())
    return visitor


async def page_session(request: Request) -> AsyncIterator[Session]:
    """The page request's unit of work (emulator/unit_of_work.py); kept on the request so an error page
    can roll it back."""
    async with unit_of_work.unit_of_work(request) as session:
        request.state.page_session = session
        yield session


# scope="function": the unit of work ends (commits) before the answer is sent, so a redirect is never
# followed to stale data and a failed commit is an error answer, not a lost write.
PageSession = Annotated[Session, Depends(page_session, scope="function")]


# Coroutines where no database is touched: a plain function would cost a round trip to a worker thread.
async def page_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def page_user(request: Request, session: PageSession) -> User:
    """The visitor's user, as the route class found it in this request's session."""
    identified, user = unit_of_work.remembered_user(request)
    if not identified:
        visitor = visitor_of(request)
        if visitor.user_id is not None:
            user = await run_in_threadpool(session.get, User, visitor.user_id)
    if user is None:
        raise LoginRequired()
    request.state.page_user = user
    return user


async def page_admin(user: Annotated[User, Depends(page_user)]) -> User:
    if not user.is_admin:
        raise Forbidden(FORBIDDEN_MESSAGE)
    return user


PageSettings = Annotated[Settings, Depends(page_settings)]
PageUser = Annotated[User, Depends(page_user)]
PageAdmin = Annotated[User, Depends(page_admin)]
