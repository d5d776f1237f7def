"""The CRM's relative time form: "сегодня в 14:24", "вчера в 09:05", "завтра в 10:00", "05.11.2026 в 14:24"."""

from __future__ import annotations

import datetime as dt

from emulator import clock


def relative(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    here = clock.local(moment)
    today = clock.local(now or clock.now()).date()
    time = here.strftime("%H:%M")
    days = (here.date() - today).days
    if days == 0:
        return f"сегодня в {time}"
    if days == -1:
        return f"вчера в {time}"
    if days == 1:
        return f"завтра в {time}"
    return f"{here.strftime('%d.%m.%Y')} в {time}"


def full(moment: dt.datetime) -> str:
    """ "дд.мм.гггг чч:мм" in Moscow time (the task-date parameter's format)."""
    return clock.local(moment).strftime("%d.%m.%Y %H:%M")
