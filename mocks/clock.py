"""The fakes' one source of "now": the frozen clock in-process, the scenario clock standalone.

In-process, freezegun freezes ``datetime.now`` for the emulator and the fakes alike. A standalone server
(``python -m mocks``) keeps an offset from the wall clock that a remote scenario sets through the control
API (``PUT /_fakes/clock``), so its windows and webhook timestamps follow the same scenario time as the
emulator's control API clock.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta(0)


def utc_now() -> datetime:
    """The current instant in UTC (frozen under freezegun, shifted by the control API)."""
    return datetime.now(UTC) + _offset


def set_now(moment: datetime) -> None:
    """From now on ``utc_now()`` reads ``moment`` (and time keeps flowing)."""
    global _offset
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    with _lock:
        _offset = moment - datetime.now(UTC)


def reset() -> None:
    global _offset
    with _lock:
        _offset = timedelta(0)
