"""The credentials' tables: signed-in browser sessions and failed logins (the rate limit's memory)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from emulator.db import Base, UtcDateTime


class WebSession(Base):
    """A browser's session: the cookie holds a random token, the table only its SHA-256.

    ``user_id`` is empty for the short session the sign-in form gets (its CSRF token lives on it);
    signing in replaces it with a new session of the user, signing out revokes it.
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginFailure(Base):
    """One refused password for a login; the rate limit counts them in a sliding window."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_login_at", "login", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100))
    failed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
