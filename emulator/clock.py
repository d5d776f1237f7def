"""The one source of "now" for the emulator.

Everything reads time through :func:`now`. Tests freeze time with freezegun (which patches
``datetime.datetime``); a live emulator can be moved through time by the control API, which
keeps an offset from the real clock here.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")

_lock = threading.Lock()
_offset = dt.timedelta(0)


def now() -> dt.datetime:
    """Current instant, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC) + _offset


def local(moment: dt.datetime) -> dt.datetime:
    """The instant as the CRM shows it (Europe/Moscow)."""
    return moment.astimezone(MOSCOW)


def set_now(target: dt.datetime) -> None:
    """Make :func:`now` return ``target`` from this moment on (time keeps flowing)."""
    global _offset
    if target.tzinfo is None:
        target = target.replace(tzinfo=MOSCOW)
    with _lock:
        _offset = target - dt.datetime.now(dt.UTC)


def advance(seconds: float) -> None:
    global _offset
    with _lock:
        _offset += dt.timedelta(seconds=seconds)


def reset() -> None:
    global _offset
    with _lock:
        _offset = dt.timedelta(0)
