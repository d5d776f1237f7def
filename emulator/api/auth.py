"""Signing in to the API: login and password -> the user's bearer token."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select

from emulator.api.dependencies import SessionDep
from emulator.models import User

router = APIRouter(prefix="/api/auth", tags=["Вход"])


class Credentials(BaseModel):
    login: str
    password: str


class TokenOut(BaseModel):
    token: str
    name: str
    role: str


def check_password(session: SessionDep, login: str, password: str) -> User | None:
    if "\x00" in login + password:  # no login or password holds NUL (and PostgreSQL could not compare it)
        return None
    user = session.scalar(select(User).where(User.login == login.strip()))
    if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
        return None
    return user


@router.post("/token", response_model=TokenOut)
def token(body: Credentials, session: SessionDep) -> TokenOut:
    user = check_password(session, body.login, body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Неверный логин или пароль")
    return TokenOut(token=user.token, name=user.name, role=user.role)
