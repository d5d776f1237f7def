"""Files as steps name them: "прайс.pdf", "фото.jpg (2 МБ)", "big.mp4 (50 МБ + 1 Б)", "счёт.pdf (исполняемый)".

Contents are generated in memory: a plausible file header for the extension, then filler up to the size.
"(исполняемый)" gives the file a Windows executable header whatever its name says.
"""

from __future__ import annotations

import re

from drivers.protocol import FileSpec
from steps.text_macros import is_empty

_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<how>[^()]*)\)$")
_SIZE_PART = re.compile(r"(?P<size>\d+(?:[.,]\d+)?)\s*(?P<unit>Б|КБ|МБ)")
_UNIT_BYTES = {"Б": 1, "КБ": 1024, "МБ": 1024 * 1024}
_HEADS = {
    ".pdf": b"%PDF-1.4\n",
    ".jpg": b"\xff\xd8\xff\xe0",
    ".jpeg": b"\xff\xd8\xff\xe0",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".mp4": b"\x00\x00\x00\x18ftypmp42",
    ".exe": b"MZ\x90\x00",
    ".sh": b"#!/bin/sh\n",
}
EXECUTABLE_HEAD = b"MZ\x90\x00"
DEFAULT_SIZE = 2048


def parse_size(text: str) -> int:
    """ "50 МБ + 1 Б" -> bytes; every part is added up."""
    parts = _SIZE_PART.findall(text)
    if not parts or _SIZE_PART.sub("", text).replace("+", "").strip():
        raise ValueError(f"не понимаю размер «{text}» (пример: «16 МБ + 1 Б»)")
    return sum(int(float(size.replace(",", ".")) * _UNIT_BYTES[unit]) for size, unit in parts)


def file_spec(text: str) -> FileSpec:
    match = _SUFFIX.match(text.strip())
    name = (match.group("name") if match else text).strip()
    how = match.group("how").strip() if match else ""
    size = DEFAULT_SIZE
    head = next((h for suffix, h in _HEADS.items() if name.lower().endswith(suffix)), b"")
    if how == "исполняемый":
        head = EXECUTABLE_HEAD
    elif how:
        size = parse_size(how)
    body = (head + b"x" * max(0, size - len(head)))[:size]
    return FileSpec(name=name, content=body)


def file_specs(text: str) -> list[FileSpec]:
    """A comma-separated list; "—" or empty means no files."""
    items = [part.strip() for part in re.split(r",\s*(?![^()]*\))", text) if part.strip()]
    return [file_spec(item) for item in items if not is_empty(item)]


def file_names(text: str) -> list[str]:
    return [spec.name for spec in file_specs(text)]
