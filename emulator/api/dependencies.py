"""Request-scoped dependencies: settings, the unit of work, the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator.db import Database
from emulator.models import User
from emulator.settings import Settings

SESSION_COOKIE = "crm_session"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed before the answer leaves, rolled back on error."""
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


def user_from_request(request: Request, session: Session) -> User | None:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return session.scalar(select(User).where(User.token == token))


# scope="function": the transaction commits before the answer is sent, so a client that got
# 200 can rely on the write (and a failed commit is an error answer, not a silent loss).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_user(request: Request, session: SessionDep) -> User:
    user = user_from_request(request, session)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Требуется вход: передайте токен в заголовке Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def require_admin(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Недостаточно прав: доступно только администратору")
    return user


SettingsDep = Annotated[Settings, Depends(get_settings)]
UserDep = Annotated[User, Depends(current_user)]
AdminDep = Annotated[User, Depends(require_admin)]
