"""Uploaded attachments: stored on disk, described in the database, served by an unguessable public URL."""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from sqlalchemy.orm import Session

from emulator import clock
from emulator.errors import ValidationFailed
from emulator.models import StoredFile, User
from emulator.vocabulary import FIELD_LABELS

FILE_LABEL = FIELD_LABELS["file_ids"]  # "Добавить файлы": upload refusals name the editor's field
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILES_PER_PROCESS = 10
MAX_FILENAME_LENGTH = 255
EXECUTABLE_EXTENSIONS = frozenset(
    {
        ".exe",
        ".msi",
        ".bat",
        ".cmd",
        ".com",
        ".scr",
        ".pif",
        ".cpl",
        ".dll",
        ".sys",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".ps1",
        ".psm1",
        ".sh",
        ".bash",
        ".jar",
        ".apk",
        ".app",
        ".deb",
        ".rpm",
        ".run",
        ".bin",
        ".elf",
        ".hta",
        ".lnk",
        ".reg",
    }
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")
_CHUNK = 1024 * 1024


def is_executable(filename: str, head: bytes) -> bool:
    suffix = Path(filename.lower()).suffix
    return suffix in EXECUTABLE_EXTENSIONS or head.startswith(EXECUTABLE_MAGIC)


def store_upload(
    session: Session,
    files_dir: Path,
    filename: str,
    content_type: str | None,
    stream: BinaryIO,
    user: User | None,
) -> StoredFile:
    """Stream the upload to disk, refusing executables and anything over 50 MB before it is kept."""
    name = Path(filename or "").name.strip()
    if not name:
        raise ValidationFailed.one("file", FILE_LABEL, "у файла нет имени")
    if len(name) > MAX_FILENAME_LENGTH:
        raise ValidationFailed.one("file", FILE_LABEL, f"имя файла длиннее {MAX_FILENAME_LENGTH} символов")
    files_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    target = files_dir / token
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with target.open("wb") as out:
            while chunk := stream.read(_CHUNK):
                if not head:
                    head = chunk[:8]
                    if is_executable(name, head):
                        raise ValidationFailed.one("file", FILE_LABEL, f"исполняемые файлы запрещены: «{name}»")
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ValidationFailed.one("file", FILE_LABEL, f"файл «{name}» больше 50 МБ")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            if is_executable(name, head):
                raise ValidationFailed.one("file", FILE_LABEL, f"исполняемые файлы запрещены: «{name}»")
            raise ValidationFailed.one("file", FILE_LABEL, f"файл «{name}» пустой")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    guessed = mimetypes.guess_type(name)[0]
    stored = StoredFile(
        public_token=token,
        filename=name,
        content_type=(content_type if content_type and content_type != "application/octet-stream" else None)
        or guessed
        or "application/octet-stream",
        size=size,
        sha256=digest.hexdigest(),
        storage_path=str(target),
        uploaded_by=user.id if user else None,
        created_at=clock.now(),
    )
    session.add(stored)
    session.flush()
    return stored


def public_url(base_url: str, stored: StoredFile) -> str:
    return f"{base_url}/files/{stored.public_token}/{quote(stored.filename)}"
