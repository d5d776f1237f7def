"""What a QA author writes instead of unwieldy literals in texts, keys and table cells.

- ``—`` is empty: no value, no text, no files, an empty list (the one spelling of "empty" in every table);
- ``(пробелы)`` is three spaces;
- ``\\n`` is a line break;
- ``{Имя клиента}`` is the token the editor inserts for that parameter (``[Имя клиента#2001]``);
- ``{ж × 4096}`` is the character (or string) repeated that many times.
"""

from __future__ import annotations

import re
from collections.abc import Callable

EMPTY = "—"
_REPEAT = re.compile(r"\{(?P<chunk>[^{}×]+?) × (?P<times>\d+)\}")
_PARAMETER = re.compile(r"\{(?P<label>[^{}«»×]+)\}")
SPECIAL = {EMPTY: "", "(пробелы)": "   "}


def is_empty(cell: str | None) -> bool:
    return cell is None or cell.strip() in {"", EMPTY}


def _no_parameters(label: str) -> str:
    raise KeyError(f"здесь нельзя подставить параметр «{label}»")


def expand(value: str, token_of: Callable[[str], str] = _no_parameters) -> str:
    """The text as the user would have typed it into the CRM."""
    if value.strip() in SPECIAL:
        return SPECIAL[value.strip()]
    text = value.replace("\\n", "\n")
    text = _REPEAT.sub(lambda m: m.group("chunk") * int(m.group("times")), text)
    return _PARAMETER.sub(lambda m: token_of(m.group("label").strip()), text)


def split_list(cell: str) -> list[str]:
    """ "a, b, c" -> ["a", "b", "c"]; "—" -> []."""
    if is_empty(cell):
        return []
    return [part.strip() for part in cell.split(",") if part.strip()]


def optional(cell: str) -> str | None:
    """A cell's value, or None for "—"."""
    return None if is_empty(cell) else cell.strip()
