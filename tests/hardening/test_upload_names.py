"""Upload names: a strict safe-name policy (each refusal a 422 naming «Добавить файлы»), and downloads
that are always attachments with ``X-Content-Type-Options: nosniff``.

Before the fix ``x.exe.``, ``x.exe::$DATA``, backslash paths and a file named ``..`` were stored.
The names below are sent as they are (the multipart encoder of ``requests`` changes only CR, LF and
double quotes, none of which appear here).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from emulator.seed import ADMIN_TOKEN
from harness.world import World

PDF = b"%PDF-1.4\n" + b"x" * 100
FILE_FIELD = "Добавить файлы"


def _upload(world: World, name: str, content: bytes = PDF) -> requests.Response:
    return requests.post(
        f"{world.crm_url}/api/files",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        files={"file": (name, content, "application/pdf")},
        timeout=30,
    )


def _refusal(answer: requests.Response) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    body: dict[str, Any] = answer.json()
    assert FILE_FIELD in body["detail"]
    [error] = body["errors"]
    assert error["label"] == FILE_FIELD
    return error


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x.exe.", "исполняемые файлы запрещены: «x.exe.»"),
        ("x.exe ", "исполняемые файлы запрещены: «x.exe »"),
        ("x.EXE. . .", "исполняемые файлы запрещены: «x.EXE. . .»"),
        ("x.exe::$DATA", "исполняемые файлы запрещены: «x.exe::$DATA»"),
        ("setup.bat:stream", "исполняемые файлы запрещены: «setup.bat:stream»"),
        ("notes.txt:hidden", "имя файла «notes.txt:hidden» содержит «:»"),
        ("report.pdf.", "имя файла «report.pdf.» оканчивается точкой или пробелом"),
        ("report.pdf ", "имя файла «report.pdf » оканчивается точкой или пробелом"),
        ("..\\прайс.pdf", "имя файла «..\\прайс.pdf» содержит путь: символы «/» и «\\» запрещены"),
        ("docs\\прайс.pdf", "имя файла «docs\\прайс.pdf» содержит путь: символы «/» и «\\» запрещены"),
        ("docs/прайс.pdf", "имя файла «docs/прайс.pdf» содержит путь: символы «/» и «\\» запрещены"),
        ("..", "недопустимое имя файла «..»"),
        (".", "недопустимое имя файла «.»"),
        ("CON.txt", "имя файла «CON.txt» зарезервировано для устройства Windows"),
        ("nul", "имя файла «nul» зарезервировано для устройства Windows"),
        ("com1.pdf", "имя файла «com1.pdf» зарезервировано для устройства Windows"),
        ("LPT9 .pdf", "имя файла «LPT9 .pdf» зарезервировано для устройства Windows"),
        ("a\tb.pdf", "имя файла «a\ufffdb.pdf» содержит управляющие символы"),
        ("a\x01b.pdf", "имя файла «a\ufffdb.pdf» содержит управляющие символы"),
        ("a\x7fb.pdf", "имя файла «a\ufffdb.pdf» содержит управляющие символы"),
    ],
)
def test_an_unsafe_name_is_refused_naming_the_files_field(world: World, name: str, message: str) -> None:
    assert _refusal(_upload(world, name))["message"] == message


@pytest.mark.parametrize("name", ["прайс.pdf", "Схема проезда.png", "report.v2.pdf", "CONTRACT.pdf", "com10.pdf"])
def test_an_ordinary_name_is_kept_as_given(world: World, name: str) -> None:
    answer = _upload(world, name)
    assert answer.status_code == 201, answer.text
    assert answer.json()["filename"] == name


def test_a_download_is_an_attachment_the_browser_may_not_sniff(world: World) -> None:
    stored = _upload(world, "прайс.pdf").json()
    answer = requests.get(stored["url"], timeout=30)
    assert answer.status_code == 200
    assert answer.content == PDF
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Disposition"] == "attachment; filename*=UTF-8''%D0%BF%D1%80%D0%B0%D0%B9%D1%81.pdf"


def test_a_plain_ascii_name_is_downloaded_under_that_name(world: World) -> None:
    stored = _upload(world, "report.v2.pdf").json()
    answer = requests.get(stored["url"], timeout=30)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="report.v2.pdf"'


def test_a_name_with_a_semicolon_cannot_add_a_parameter_to_the_download_header(world: World) -> None:
    stored = _upload(world, "report; filename=evil.html").json()
    disposition = requests.get(stored["url"], timeout=30).headers["Content-Disposition"]
    assert disposition == "attachment; filename*=UTF-8''report%3B%20filename%3Devil.html"
