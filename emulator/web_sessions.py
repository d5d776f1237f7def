"""Server-side sessions of the browser pages, apart from the REST API's bearer tokens.

The cookie carries a random token (``secrets``); the ``sessions`` table keeps only its SHA-256, so a copy
of the database signs nobody in. A session ends when it expires (on the emulator's clock) or when the user
signs out (revoked: the same cookie is refused from then on). The sign-in form gets a short session
without a user: its CSRF token lives on it, and signing in replaces it with a new one (no fixation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emulator.models import WebSession

USER_SESSION_LIFETIME = dt.timedelta(days=30)
SIGN_IN_FORM_LIFETIME = dt.timedelta(hours=1)


def token_hash(token: str) -> str:
    """What the table stores of a session token (the token itself has 256 random bits: no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user_id: int | None, now: dt.datetime) -> str:
    """A new session (of ``user_id``, or of the sign-in form when None); returns the cookie's token."""
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    lifetime = USER_SESSION_LIFETIME if user_id is not None else SIGN_IN_FORM_LIFETIME
    session.add(WebSession(token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=now + lifetime))
    session.flush()
    return token


def find(session: Session, token: str, now: dt.datetime) -> WebSession | None:
    """The live session of a cookie's token: neither revoked nor expired."""
    if not token:
        return None
    return session.scalar(
        select(WebSession).where(
            WebSession.token_hash == token_hash(token),
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > now,
        )
    )


def revoke(session: Session, token: str, now: dt.datetime) -> None:
    """End the session of ``token`` now (sign-out, or the sign-in form's session once signed in)."""
    found = find(session, token, now)
    if found is not None:
        found.revoked_at = now
        session.flush()
