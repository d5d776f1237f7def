"""Checking a login and password, for the sign-in page and the REST API alike (rate-limited)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import login_throttle, passwords
from emulator.models import User

WRONG_CREDENTIALS = "Неверный логин или пароль"


class TooManyAttempts(Exception):
    """The login failed too often lately; ``retry_after`` seconds until it may try again."""

    def __init__(self, login: str, retry_after: int) -> None:
        minutes = -(-retry_after // 60)  # rounded up: never "через 0 мин."
        super().__init__(
            f"Слишком много неудачных попыток входа под логином «{login.strip()}»: "
            f"не больше {login_throttle.MAX_FAILURES} за {int(login_throttle.WINDOW.total_seconds() // 60)} минут. "
            f"Повторите через {minutes} мин."
        )
        self.retry_after = retry_after


def authenticate(session: Session, login: str, password: str, now: dt.datetime) -> User | None:
    """The user whose password this is, or None; raises :class:`TooManyAttempts` over the limit (before the
    password is even checked, so a locked login tells nothing about a guess)."""
    if "\x00" in login + password:  # no login or password holds NUL (and PostgreSQL could not compare it)
        return None
    wait = login_throttle.retry_after(session, login, now)
    if wait is not None:
        raise TooManyAttempts(login, wait)
    user = session.scalar(select(User).where(User.login == login.strip()))
    if not passwords.verify_password(password, user.password_hash if user is not None else None) or user is None:
        login_throttle.record_failure(session, login, now)
        return None
    login_throttle.clear(session, login)
    return user
