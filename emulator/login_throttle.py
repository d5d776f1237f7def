"""The sign-in rate limit: at most 5 wrong passwords per login in 15 minutes of the emulator's clock.

Failures are counted in the database (``login_failures``), so every worker of a stand shares them and a
restart forgets nothing. The window slides: the 6th try is refused until the oldest of the last 5
failures is 15 minutes old. A right password within the limit clears the login's failures. Counting per
login, not per address, stops a slow guess spread over many addresses; the price is that anyone can hold
a login locked for 15 minutes by failing on purpose (documented in docs/DECISIONS.md).
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emulator.models import LoginFailure

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def _key(login: str) -> str:
    """One counter however the login is spelt (``Admin``, `` admin ``)."""
    return login.strip().casefold()[:100]


def retry_after(session: Session, login: str, now: dt.datetime) -> int | None:
    """Seconds until ``login`` may try again, or None while it is under the limit."""
    failures = list(
        session.scalars(
            select(LoginFailure.failed_at)
            .where(LoginFailure.login == _key(login), LoginFailure.failed_at > now - WINDOW)
            .order_by(LoginFailure.failed_at.desc())
            .limit(MAX_FAILURES)
        )
    )
    if len(failures) < MAX_FAILURES:
        return None
    return max(1, math.ceil((failures[-1] + WINDOW - now).total_seconds()))


def record_failure(session: Session, login: str, now: dt.datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))
    session.add(LoginFailure(login=_key(login), failed_at=now))
    session.flush()


def clear(session: Session, login: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.login == _key(login)))
