"""The one source of "now" for the emulator.

Everything reads time through :func:`now`. Tests freeze time with freezegun (which patches
``datetime.datetime``); a live emulator can be moved through time by the control API, which
keeps an offset from the real clock here.

Several worker processes serving one CRM (a team stand: ``uvicorn --workers N``) must agree on that
offset, whichever of them the control API's request reached: with ``CRM_CLOCK_FILE`` set, the offset
lives in that file (microseconds, replaced atomically on every change) and each process reads it again
when the file has changed (one ``stat`` per call).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")
CLOCK_FILE_ENV = "CRM_CLOCK_FILE"

_lock = threading.Lock()
_offset = dt.timedelta(0)
_shared = Path(os.environ[CLOCK_FILE_ENV]) if os.environ.get(CLOCK_FILE_ENV) else None
_seen: tuple[int, int, int] | None = None  # the shared file's (inode, mtime, size) when last read


def _current_offset() -> dt.timedelta:
    """The offset, as the shared file now says when there is one."""
    global _offset, _seen
    if _shared is None:
        return _offset
    try:
        status = os.stat(_shared)
    except FileNotFoundError:
        return _offset
    stamp = (status.st_ino, status.st_mtime_ns, status.st_size)
    if stamp != _seen:
        text = _shared.read_text(encoding="ascii").strip()
        _offset = dt.timedelta(microseconds=int(text)) if text else dt.timedelta(0)
        _seen = stamp
    return _offset


def _store(offset: dt.timedelta) -> None:
    global _offset
    _offset = offset
    if _shared is not None:
        temporary = _shared.with_name(f".{_shared.name}.{os.getpid()}")
        temporary.write_text(str(offset // dt.timedelta(microseconds=1)), encoding="ascii")
        os.replace(temporary, _shared)


def now() -> dt.datetime:
    """Current instant, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC) + _current_offset()


def local(moment: dt.datetime) -> dt.datetime:
    """The instant as the CRM shows it (Europe/Moscow)."""
    return moment.astimezone(MOSCOW)


def set_now(target: dt.datetime) -> None:
    """Make :func:`now` return ``target`` from this moment on (time keeps flowing)."""
    if target.tzinfo is None:
        target = target.replace(tzinfo=MOSCOW)
    with _lock:
        _store(target - dt.datetime.now(dt.UTC))


def advance(seconds: float) -> None:
    with _lock:
        _store(_current_offset() + dt.timedelta(seconds=seconds))


def reset() -> None:
    with _lock:
        _store(dt.timedelta(0))
