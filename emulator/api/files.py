"""Uploading attachments (signed-in users) and serving them by public URL (for the providers)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, UploadFile, status
from fastapi.responses import FileResponse
from sqlalchemy import select

from emulator import files
from emulator.api import presenters
from emulator.api.bearer_route import BearerRoute
from emulator.api.dependencies import AdminDep, SessionDep, SettingsDep
from emulator.api.process_schemas import FileOut
from emulator.errors import NotFound
from emulator.models import StoredFile

router = APIRouter(tags=["Файлы"], route_class=BearerRoute)


@router.post("/api/files", response_model=FileOut, status_code=status.HTTP_201_CREATED)
def upload(file: UploadFile, session: SessionDep, settings: SettingsDep, user: AdminDep) -> FileOut:
    stored = files.store_upload(session, settings.files_dir, file.filename or "", file.content_type, file.file, user)
    return presenters.file_out(settings, stored)


@router.get("/files/{token}/{filename}", include_in_schema=False)
def download(token: str, filename: str, session: SessionDep) -> FileResponse:
    stored = session.scalar(select(StoredFile).where(StoredFile.public_token == token))
    if stored is None or stored.filename != filename or not Path(stored.storage_path).exists():
        raise NotFound("Файл", filename)
    # Always a download (never shown inline from the CRM's origin), the declared type taken as it is.
    headers = {"Content-Disposition": files.content_disposition(stored.filename), "X-Content-Type-Options": "nosniff"}
    return FileResponse(stored.storage_path, media_type=stored.content_type, headers=headers)
