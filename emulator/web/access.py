"""Who may open a page: the session cookie's user; settings pages for admins only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from emulator.api.dependencies import user_from_request
from emulator.db import Database
from emulator.errors import Forbidden
from emulator.models import User
from emulator.settings import Settings

FORBIDDEN_TITLE = "Недостаточно прав"
FORBIDDEN_MESSAGE = "Недостаточно прав: доступно только администратору"


class LoginRequired(Exception):
    """No signed-in user: the page answers with a redirect to /login."""


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
    user = user_from_request(request, session)
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
