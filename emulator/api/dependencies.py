"""Request-scoped dependencies of the JSON API: settings, the unit of work, the user of the bearer token.

The API takes only ``Authorization: Bearer <API token>``; the browser's session cookie is refused, so a page
of another site (or of this one) cannot act through the API with a signed-in user's cookie."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from emulator import unit_of_work
from emulator.db import Database
from emulator.models import User
from emulator.settings import Settings

BROWSER_SESSION_COOKIE = "crm_session"  # named here only to explain a refusal: the API never reads it
MISSING_TOKEN = "Требуется вход: передайте токен API в заголовке Authorization: Bearer"
COOKIE_NOT_ACCEPTED = "API не принимает cookie сессии браузера: передайте токен API в заголовке Authorization: Bearer"
ADMIN_ONLY = "Недостаточно прав: доступно только администратору"


# The dependencies that touch no database are coroutines: FastAPI runs a plain function in a worker
# thread, a round trip that costs more than the function itself.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def user_of_token(session: Session, token: str | None) -> User | None:
    if not token:
        return None
    return session.scalar(select(User).where(User.token == token))


def unauthenticated(request: Request) -> HTTPException:
    """401 naming what is wrong: no token, or a browser cookie where the API wants a token."""
    cookie_only = bearer_token(request) is None and BROWSER_SESSION_COOKIE in request.cookies
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        COOKIE_NOT_ACCEPTED if cookie_only else MISSING_TOKEN,
        headers={"WWW-Authenticate": "Bearer"},
    )


# One transaction per request (emulator/unit_of_work.py). scope="function": the transaction commits
# before the answer is sent, so a client that got 200 can rely on the write (and a failed commit is an
# error answer, not a silent loss).
async def get_session(request: Request) -> AsyncIterator[Session]:
    async with unit_of_work.unit_of_work(request) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def current_user(request: Request, session: SessionDep) -> User:
    """The user of the bearer token: the one the route class found (api/bearer_route.py), else looked up."""
    identified, user = unit_of_work.remembered_user(request)
    if not identified:
        user = await run_in_threadpool(user_of_token, session, bearer_token(request))
    if user is None:
        raise unauthenticated(request)
    return user


async def require_admin(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, ADMIN_ONLY)
    return user


SettingsDep = Annotated[Settings, Depends(get_settings)]
UserDep = Annotated[User, Depends(current_user)]
AdminDep = Annotated[User, Depends(require_admin)]
