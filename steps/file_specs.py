"""Files as steps name them: "прайс.pdf", "фото.jpg (2 МБ)", "virus.exe", "big.mp4 (51 МБ)"."""

from __future__ import annotations

import re

from drivers.protocol import FileSpec

_SIZED = re.compile(r"^(?P<name>.+?)\s*\((?P<size>[\d.,]+)\s*(?P<unit>Б|КБ|МБ)\)$")
_UNIT_BYTES = {"Б": 1, "КБ": 1024, "МБ": 1024 * 1024}
_HEADS = {
    ".pdf": b"%PDF-1.4\n",
    ".jpg": b"\xff\xd8\xff\xe0",
    ".jpeg": b"\xff\xd8\xff\xe0",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".exe": b"MZ\x90\x00",
}


def file_spec(text: str) -> FileSpec:
    match = _SIZED.match(text.strip())
    name = (match.group("name") if match else text).strip()
    size = 2048
    if match:
        size = int(float(match.group("size").replace(",", ".")) * _UNIT_BYTES[match.group("unit")])
    head = next((h for suffix, h in _HEADS.items() if name.lower().endswith(suffix)), b"")
    body = (head + b"x" * max(0, size - len(head)))[:size]
    return FileSpec(name=name, content=body)


def file_specs(text: str) -> list[FileSpec]:
    """A comma-separated list; "—" or empty means no files."""
    items = [part.strip() for part in re.split(r",\s*(?![^()]*\))", text) if part.strip()]
    return [file_spec(item) for item in items if item not in {"—", "-"}]
