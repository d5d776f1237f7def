"""Who is on a page: the browser's server-side session (cookie ``crm_session``); settings for admins only.

The route class (:mod:`emulator.web.page_route`) identifies the visitor once, from the headers, before any
body is read, and keeps the answer on ``request.state.visitor``; the dependencies below read it. A page may
also be read (GET) with the REST API's bearer token (the API driver opens deal links that way); a form is
only ever accepted from a browser session with its CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from emulator import clock, web_sessions
from emulator.api.dependencies import bearer_token, user_of_token
from emulator.db import Database
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


def identify(database: Database, request: Request) -> Visitor:
    """The visitor of a request, from its headers only (run before the body is read)."""
    with database.session() as session:
        cookie = request.cookies.get(SESSION_COOKIE, "")
        found = web_sessions.find(session, cookie, clock.now()) if cookie else None
        if found is not None:
            user = session.get(User, found.user_id) if found.user_id is not None else None
            return Visitor(cookie, user.id if user else None, bool(user and user.is_admin))
        if request.method in SAFE_METHODS:
            user = user_of_token(session, bearer_token(request))
            if user is not None:
                return Visitor(None, user.id, user.is_admin, by_bearer=True)
        return Visitor()


def visitor_of(request: Request) -> Visitor:
    visitor: Visitor = getattr(request.state, "visitor", Visitor())
    return visitor


def page_session(request: Request) -> Iterator[Session]:
    """One unit of work per page request; kept on the request so an error page can roll it back."""
    database: Database = request.app.state.database
    with database.session() as session:
        request.state.page_session = session
        yield session


# scope="function": the unit of work ends (commits) before the answer is sent, so a redirect is never
# followed to stale data and a failed commit is an error answer, not a lost write.
PageSession = Annotated[Session, Depends(page_session, scope="function")]


def page_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def page_user(request: Request, session: PageSession) -> User:
    visitor = visitor_of(request)
    user = session.get(User, visitor.user_id) if visitor.user_id is not None else None
    if user is None:
        raise LoginRequired()
    request.state.page_user = user
    return user


def page_admin(user: Annotated[User, Depends(page_user)]) -> User:
    if not user.is_admin:
        raise Forbidden(FORBIDDEN_MESSAGE)
    return user


PageSettings = Annotated[Settings, Depends(page_settings)]
PageUser = Annotated[User, Depends(page_user)]
PageAdmin = Annotated[User, Depends(page_admin)]
