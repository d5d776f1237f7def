"""Signing in to the API: login and password -> the user's bearer token (rate-limited like the sign-in page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from emulator import clock
from emulator.api.dependencies import SessionDep
from emulator.api.error_schemas import ErrorOut
from emulator.sign_in import WRONG_CREDENTIALS, TooManyAttempts, authenticate

router = APIRouter(prefix="/api/auth", tags=["Вход"])


class Credentials(BaseModel):
    login: str
    password: str


class TokenOut(BaseModel):
    token: str
    name: str
    role: str


TOO_MANY_ATTEMPTS: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorOut,
        "description": "Слишком много неудачных попыток входа под этим логином (5 за 15 минут): ждать Retry-After",
        "headers": {"Retry-After": {"description": "секунд до следующей попытки", "schema": {"type": "integer"}}},
    }
}


@router.post("/token", response_model=TokenOut, responses=TOO_MANY_ATTEMPTS)
def token(body: Credentials, session: SessionDep) -> TokenOut:
    try:
        user = authenticate(session, body.login, body.password, clock.now())
    except TooManyAttempts as exc:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, str(exc), headers={"Retry-After": str(exc.retry_after)}
        ) from exc
    if user is None:
        # A raised HTTPException rolls the unit of work back: keep the counted failure first.
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG_CREDENTIALS)
    return TokenOut(token=user.token, name=user.name, role=user.role)
