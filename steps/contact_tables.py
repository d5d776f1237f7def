"""Contacts written as a table: Контакт | Основной (да/нет) | Телефоны | Email."""

from __future__ import annotations

from collections.abc import Sequence

from drivers.protocol import ContactSpec
from steps.text_macros import is_empty


def _split(cell: str) -> tuple[str, ...]:
    """Comma-separated; a phone may itself contain no commas. "—" means none."""
    if is_empty(cell):
        return ()
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def contacts_from_table(rows: Sequence[Sequence[str]]) -> list[ContactSpec]:
    header = [cell.strip().lower() for cell in rows[0]]
    missing = {"контакт", "основной", "телефоны"} - set(header)
    if missing:
        raise KeyError(f"в таблице контактов нет столбцов {sorted(missing)}; нужны: Контакт | Основной | Телефоны")
    result = []
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        result.append(
            ContactSpec(
                name=cells.get("контакт", "").strip(),
                primary=cells.get("основной", "нет").strip().lower() == "да",
                phones=_split(cells.get("телефоны", "")),
                emails=_split(cells.get("email", "")),
            )
        )
    return result


def numbered_phones(first: str, count: int) -> tuple[str, ...]:
    """``count`` consecutive numbers starting at ``first`` (+7(999)100-00-01 -> ...-02, ...)."""
    digits = "".join(ch for ch in first if ch.isdigit())
    start = int(digits)
    result = []
    for n in range(count):
        value = str(start + n).rjust(len(digits), "0")
        result.append(f"+{value[0]}({value[1:4]}){value[4:7]}-{value[7:9]}-{value[9:11]}")
    return tuple(result)
