"""The fakes' one source of "now": read at call time so freezegun's frozen clock drives every window."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current instant in UTC (frozen under freezegun)."""
    return datetime.now(UTC)
