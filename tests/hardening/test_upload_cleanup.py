"""No stored file outlives its use: a refused save deletes the uploads made for it, a rolled-back upload
leaves no file, and the scheduler sweeps what nothing has used for a day (on the scenario clock).

Before the fix the files of refused saves were never cleaned up (233 files on disk against 28 rows).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from emulator import files
from emulator.api.process_schemas import FileOut, ProcessIn
from emulator.models import StoredFile
from emulator.seed import ADMIN_TOKEN
from harness.world import DEMO_CHANNELS, World

PDF = b"%PDF-1.4\n" + b"x" * 100
DAY = dt.timedelta(hours=24)
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _on_disk(world: World) -> set[str]:
    folder = world.settings.files_dir
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _token(file: FileOut) -> str:
    return file.url.split("/files/", 1)[1].split("/", 1)[0]


def _rows(world: World) -> set[int]:
    with world.database.session() as session:
        return set(session.scalars(select(StoredFile.id)))


def _downloads(file: FileOut) -> bool:
    return requests.get(file.url, timeout=30).status_code == 200


def test_a_refused_save_deletes_the_files_uploaded_for_it(world: World) -> None:
    used = world.client.upload_file("договор.pdf", PDF)
    world.process("default", file_ids=[used.id])
    fresh = [world.client.upload_file(name, PDF) for name in ("прайс.pdf", "фото.jpg")]
    before = _on_disk(world)
    answer = requests.post(
        f"{world.crm_url}/api/business-processes",
        headers=ADMIN,
        json={
            "stage_id": world.stage("Воронка 2", "В работе"),
            "provider": "default",
            "text": "x" * 4097,  # refused: longer than 4096 characters
            "file_ids": [used.id] + [f.id for f in fresh],
        },
        timeout=30,
    )
    assert answer.status_code == 422, answer.text
    assert before - _on_disk(world) == {_token(f) for f in fresh}
    assert _rows(world) & {f.id for f in fresh} == set()
    assert [_downloads(f) for f in fresh] == [False, False]
    assert _downloads(used)  # a file a saved process uses stays


def test_an_upload_whose_transaction_rolls_back_leaves_no_file(world: World) -> None:
    before = _on_disk(world)
    with pytest.raises(RuntimeError), world.database.session() as session:
        files.store_upload(session, world.settings.files_dir, "прайс.pdf", None, io.BytesIO(PDF), None)
        assert len(_on_disk(world) - before) == 1
        raise RuntimeError("the request failed after the upload was written")
    assert _on_disk(world) == before


def test_a_refused_upload_leaves_no_file(world: World) -> None:
    before = _on_disk(world)
    assert (
        requests.post(
            f"{world.crm_url}/api/files",
            headers=ADMIN,
            files={"file": ("счёт.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")},
            timeout=30,
        ).status_code
        == 422
    )
    assert _on_disk(world) == before


def test_the_scheduler_sweeps_uploads_nothing_used_for_a_day(world: World) -> None:
    unused = world.client.upload_file("забытый.pdf", PDF)
    in_process = world.client.upload_file("прайс.pdf", PDF)
    sent_then_dropped = world.client.upload_file("старый.pdf", PDF)
    process_id = world.process("default", file_ids=[in_process.id, sent_then_dropped.id])
    world.enter(world.deal())  # a message carries both files' URLs
    world.client.update_process(
        process_id,
        ProcessIn(
            stage_id=world.stage("Воронка 2", "В работе"),
            provider="default",
            channel_id=world.channel("default", DEMO_CHANNELS["default"]),
            text="Здравствуйте!",
            file_ids=[in_process.id],
        ),
    )

    world.clock.advance(DAY - dt.timedelta(seconds=1))
    assert [_downloads(f) for f in (unused, in_process, sent_then_dropped)] == [True, True, True]

    world.clock.advance(dt.timedelta(seconds=2))
    assert [_downloads(f) for f in (unused, in_process, sent_then_dropped)] == [False, True, True]
    assert _token(unused) not in _on_disk(world)
    assert unused.id not in _rows(world)


def test_the_sweep_removes_files_no_row_names_once_a_day_old(world: World) -> None:
    folder: Path = world.settings.files_dir
    folder.mkdir(parents=True, exist_ok=True)
    stray_old, stray_new = folder / "stray-old", folder / "stray-new"
    stray_old.write_bytes(PDF)
    stray_new.write_bytes(PDF)
    day_ago = time.clock_gettime(time.CLOCK_REALTIME) - DAY.total_seconds() - 60
    os.utime(stray_old, (day_ago, day_ago))
    world.clock.run_due()
    assert (stray_old.exists(), stray_new.exists()) == (False, True)
    stray_new.unlink()


def test_a_reset_removes_the_uploads_with_their_rows(world: World) -> None:
    kept = world.client.upload_file("договор.pdf", PDF)
    world.process("default", file_ids=[kept.id])  # in use by a business process: a sweep would keep it
    loose = world.client.upload_file("прайс.pdf", PDF)
    assert len(_on_disk(world)) == 2 and _downloads(kept) and _downloads(loose)
    world.client.reset(with_processes=False)
    assert _rows(world) == set()
    assert _on_disk(world) == set()  # no file of an earlier scenario is left on disk for the next one
    assert not _downloads(kept) and not _downloads(loose)
