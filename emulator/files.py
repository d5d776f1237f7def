"""Uploaded attachments: stored on disk, described in the database, served by an unguessable public URL.

A stored file lives exactly as long as its row: the file of an upload whose transaction rolls back is
deleted with it, the files of a refused process save that nothing uses are deleted at once, and the
scheduler sweeps uploads that nothing has used for :data:`UNREFERENCED_UPLOAD_TTL`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import secrets
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from sqlalchemy import String, cast, delete, event, exists, select
from sqlalchemy.orm import Session

from emulator import clock, row_ids
from emulator.errors import ValidationFailed
from emulator.message_models import OutgoingMessage
from emulator.models import BusinessProcessFile, StoredFile, User
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
# Names Windows keeps for devices, with any extension ("CON.txt" is the console too).
WINDOWS_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in "0123456789¹²³"}
)
# An upload nothing uses (no process, no message) is deleted once it is this old: the editor uploads a
# file when it is chosen and saves the process later; a day covers an editor left open overnight.
UNREFERENCED_UPLOAD_TTL = dt.timedelta(hours=24)
_CHUNK = 1024 * 1024
_WRITTEN = "emulator.files.written"  # Session.info: files written in this transaction
_REMOVED = "emulator.files.removed"  # Session.info: files whose rows this transaction deletes


def _effective_name(filename: str) -> str:
    """The name Windows would create: without an alternate data stream and trailing dots and spaces."""
    return filename.split(":", 1)[0].rstrip(". ")


def is_executable(filename: str, head: bytes) -> bool:
    suffix = Path(_effective_name(filename).lower()).suffix
    return suffix in EXECUTABLE_EXTENSIONS or head.startswith(EXECUTABLE_MAGIC)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _shown(name: str) -> str:
    return "".join("\N{REPLACEMENT CHARACTER}" if _is_control(c) else c for c in name)


def name_refusal(name: str) -> str | None:
    """Why a file may not be stored under ``name`` (as the editor says it), or None when it may."""
    if not name.strip():
        return "у файла нет имени"
    if len(name) > MAX_FILENAME_LENGTH:
        return f"имя файла длиннее {MAX_FILENAME_LENGTH} символов"
    if is_executable(name, b""):
        return f"исполняемые файлы запрещены: «{_shown(name)}»"
    if any(_is_control(c) for c in name):
        return f"имя файла «{_shown(name)}» содержит управляющие символы"
    if "/" in name or "\\" in name:
        return f"имя файла «{name}» содержит путь: символы «/» и «\\» запрещены"
    if ":" in name:
        return f"имя файла «{name}» содержит «:»"
    if name in {".", ".."}:
        return f"недопустимое имя файла «{name}»"
    if name.endswith((".", " ")):
        return f"имя файла «{name}» оканчивается точкой или пробелом"
    if name.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_RESERVED_NAMES:
        return f"имя файла «{name}» зарезервировано для устройства Windows"
    return None


def store_upload(
    session: Session,
    files_dir: Path,
    filename: str,
    content_type: str | None,
    stream: BinaryIO,
    user: User | None,
) -> StoredFile:
    """Stream the upload to disk, refusing unsafe names, executables and anything over 50 MB before it is kept.

    The name is taken as sent: a path, an alternate data stream or a name Windows would change is refused,
    not trimmed into something else. The file on disk goes if the transaction that records it rolls back.
    """
    name = filename or ""
    refusal = name_refusal(name)
    if refusal is not None:
        raise ValidationFailed.one("file", FILE_LABEL, refusal)
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
            raise ValidationFailed.one("file", FILE_LABEL, f"файл «{name}» пустой")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    session.info.setdefault(_WRITTEN, []).append(str(target))
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


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_REMOVED, []):
        Path(path).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_REMOVED, None)
    for path in session.info.pop(_WRITTEN, []):
        Path(path).unlink(missing_ok=True)


def _in_a_message(session: Session, stored: StoredFile) -> bool:
    """A message keeps the file's public URL among its attachments (its provider may still fetch it)."""
    column = cast(OutgoingMessage.attachments, String)
    return (
        session.scalar(select(OutgoingMessage.id).where(column.contains(stored.public_token, autoescape=True)))
        is not None
    )


def discard_unreferenced(session: Session, candidates: Iterable[StoredFile]) -> int:
    """Delete the rows of those files no process and no message uses; their files go when this commits."""
    unused = [f for f in candidates if not _in_a_message(session, f)]
    if not unused:
        return 0
    ids = [f.id for f in unused]
    session.execute(
        delete(StoredFile)
        .where(StoredFile.id.in_(ids), ~exists().where(BusinessProcessFile.file_id == StoredFile.id))
        .execution_options(synchronize_session=False)
    )
    kept = set(session.scalars(select(StoredFile.id).where(StoredFile.id.in_(ids))))
    gone = [f for f in unused if f.id not in kept]
    for stored in gone:
        session.expunge(stored)
    session.info.setdefault(_REMOVED, []).extend(f.storage_path for f in gone)
    return len(gone)


def discard_refused(session: Session, file_ids: Iterable[int]) -> int:
    """After a refused process save: the files chosen for it that nothing uses are deleted."""
    ids = [i for i in file_ids if row_ids.storable(i)]  # a refused save may have named ids no row can have
    if not ids:
        return 0
    unreferenced = ~exists().where(BusinessProcessFile.file_id == StoredFile.id)
    return discard_unreferenced(
        session, session.scalars(select(StoredFile).where(StoredFile.id.in_(ids), unreferenced))
    )


def sweep(session: Session, files_dir: Path, now: dt.datetime) -> int:
    """Delete uploads nothing has used for :data:`UNREFERENCED_UPLOAD_TTL` (scenario clock), and files on
    disk that no row names and that were last written that long ago (wall clock: they have no row)."""
    cutoff = now - UNREFERENCED_UPLOAD_TTL
    unreferenced = ~exists().where(BusinessProcessFile.file_id == StoredFile.id)
    old = session.scalars(select(StoredFile).where(StoredFile.created_at < cutoff, unreferenced))
    removed = discard_unreferenced(session, old)
    if files_dir.is_dir():
        named = {Path(p).name for p in session.scalars(select(StoredFile.storage_path))}
        wall_cutoff = time.clock_gettime(time.CLOCK_REALTIME) - UNREFERENCED_UPLOAD_TTL.total_seconds()
        for path in files_dir.iterdir():
            if path.name not in named and path.is_file() and path.stat().st_mtime < wall_cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def remove_all(files_dir: Path) -> int:
    """Delete every stored upload on disk (a reset emptied the table that named them)."""
    removed = 0
    if files_dir.is_dir():
        for path in files_dir.iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def content_disposition(filename: str) -> str:
    """Always ``attachment`` (never shown inline from the CRM's origin); a name that is not plain ASCII, or
    holds a quote, backslash, percent sign or semicolon, only as RFC 5987 ``filename*`` (percent-encoded)."""
    if all(c.isascii() and c.isprintable() and c not in '"\\%;' for c in filename):
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


def public_url(base_url: str, stored: StoredFile) -> str:
    return f"{base_url}/files/{stored.public_token}/{quote(stored.filename)}"
