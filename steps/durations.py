"""Russian durations as steps say them: "3 дня", "2 дня 23 часа 59 минут", "10 секунд"."""

from __future__ import annotations

import datetime as dt
import re

_UNITS = {
    "секунд": "seconds", "секунда": "seconds", "секунду": "seconds", "секунды": "seconds",
    "минут": "minutes", "минута": "minutes", "минуту": "minutes", "минуты": "minutes",
    "час": "hours", "часа": "hours", "часов": "hours",
    "день": "days", "дня": "days", "дней": "days",
}  # fmt: skip
_PART = re.compile(r"(\d+)\s+([а-яё]+)")


def parse_duration(text: str) -> dt.timedelta:
    total = dt.timedelta(0)
    parts = _PART.findall(text.strip().lower())
    if not parts or _PART.sub("", text.lower()).replace(",", "").replace(" и ", " ").strip():
        raise ValueError(f"не понимаю длительность «{text}» (пример: «2 дня 23 часа 59 минут»)")
    for amount, unit in parts:
        if unit not in _UNITS:
            raise ValueError(f"неизвестная единица «{unit}» в «{text}»")
        total += dt.timedelta(**{_UNITS[unit]: int(amount)})
    return total
