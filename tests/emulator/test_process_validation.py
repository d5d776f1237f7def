"""Saving a business process: every invalid field is refused by name and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.demo_rows import DemoRows

TEXT = "Здравствуйте, [Имя клиента#2001]! Ваш менеджер [Ответственный#2000], тел. [телефон кастомный (сделка)#657292]"


def _wazzup_channel(demo_rows: DemoRows) -> int:
    """The demo Wazzup channel: +7(937)000-00-01, active."""
    return demo_rows.channel("wazzup", "79370000001")


def _valid(demo_rows: DemoRows) -> dict[str, Any]:
    """A process the API saves: on «В работе» of «Воронка 2», through the demo Wazzup channel."""
    return {
        "stage_id": demo_rows.stage("Воронка 2", "В работе"),
        "timing": "immediate",
        "provider": "wazzup",
        "channel_id": _wazzup_channel(demo_rows),
        "recipient_rule": "all_contacts_all_numbers",
        "text": TEXT,
    }


def _refused(api: TestClient, demo_rows: DemoRows, changes: dict[str, Any]) -> list[tuple[str, str]]:
    before = api.get("/api/business-processes").json()
    answer = api.post("/api/business-processes", json={**_valid(demo_rows), **changes})
    assert answer.status_code == 422, answer.text
    assert api.get("/api/business-processes").json() == before, "a refused save stored something"
    return [(e["field"], e["label"]) for e in answer.json()["errors"]]


@pytest.mark.parametrize(
    ("changes", "field", "label"),
    [
        ({"provider": None}, "provider", "Выберите сервис"),
        ({"provider": "telegram"}, "provider", "Выберите сервис"),
        ({"provider": "default", "channel_id": None}, "provider", "Выберите сервис"),
        ({"channel_id": None}, "channel_id", "Выберите название канала"),
        ({"text": ""}, "text", "Введите текст сообщения"),
        ({"text": "   "}, "text", "Введите текст сообщения"),
        ({"text": "я" * 4097}, "text", "Введите текст сообщения"),
        ({"text": "[Неизвестный#123456]"}, "text", "Введите текст сообщения"),
        ({"timing": "delayed", "delay_value": 0, "delay_unit": "minutes"}, "delay_value", "Задержка"),
        ({"timing": "delayed", "delay_value": "три", "delay_unit": "days"}, "delay_value", "Задержка"),
        ({"timing": "delayed", "delay_value": "1.5", "delay_unit": "hours"}, "delay_value", "Задержка"),
        ({"timing": "delayed", "delay_value": 366, "delay_unit": "days"}, "delay_value", "Задержка"),
        ({"timing": "delayed", "delay_value": 3, "delay_unit": "weeks"}, "delay_unit", "Единица задержки"),
        ({"timing": "sometimes"}, "timing", "Когда выполнить действие"),
        ({"action": "send_email"}, "action", "Выберите действие"),
        ({"recipient_rule": "everyone"}, "recipient_rule", "Выберите на какие контакты отправлять сообщение"),
        ({"file_ids": [999]}, "file_ids", "Добавить файлы"),
        ({"stage_id": 999}, "stage_id", "Этап"),
    ],
)
def test_invalid_field_is_named(
    api: TestClient, demo_rows: DemoRows, changes: dict[str, Any], field: str, label: str
) -> None:
    assert (field, label) in _refused(api, demo_rows, changes)


def test_a_channel_of_another_provider_is_refused(api: TestClient, demo_rows: DemoRows) -> None:
    i2crm_channel = demo_rows.channel("i2crm", "79370000002")
    assert ("channel_id", "Выберите название канала") in _refused(api, demo_rows, {"channel_id": i2crm_channel})


def test_inactive_channel_is_refused(api: TestClient, demo_rows: DemoRows, session: Any) -> None:
    from emulator.models import Channel

    session.get(Channel, _wazzup_channel(demo_rows)).active = False
    session.commit()
    assert ("channel_id", "Выберите название канала") in _refused(api, demo_rows, {})


def test_eleventh_file_is_refused(api: TestClient, demo_rows: DemoRows) -> None:
    ids = [api.post("/api/files", files={"file": (f"f{n}.pdf", b"%PDF-1.4 x")}).json()["id"] for n in range(11)]
    assert ("file_ids", "Добавить файлы") in _refused(api, demo_rows, {"file_ids": ids, "text": ""})


def test_the_same_file_attached_twice_is_refused(api: TestClient, demo_rows: DemoRows) -> None:
    file_id = api.post("/api/files", files={"file": ("прайс.pdf", b"%PDF-1.4 x")}).json()["id"]
    assert ("file_ids", "Добавить файлы") in _refused(api, demo_rows, {"file_ids": [file_id, file_id]})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00rest", "исполняемые файлы запрещены"),
        ("report.pdf", b"MZ\x90\x00disguised", "исполняемые файлы запрещены"),
        ("run.sh", b"#!/bin/sh\necho", "исполняемые файлы запрещены"),
        ("empty.txt", b"", "пустой"),
    ],
)
def test_refused_uploads_are_not_kept(api: TestClient, settings: Any, name: str, content: bytes, message: str) -> None:
    answer = api.post("/api/files", files={"file": (name, content)})
    assert answer.status_code == 422
    assert message in answer.json()["errors"][0]["message"]
    assert not settings.files_dir.exists() or not any(settings.files_dir.iterdir())


def test_a_file_over_50_mb_is_refused(api: TestClient) -> None:
    answer = api.post("/api/files", files={"file": ("big.mp4", b"\x00" * (50 * 1024 * 1024 + 1))})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "файл «big.mp4» больше 50 МБ"


def test_a_file_of_exactly_50_mb_is_accepted(api: TestClient) -> None:
    answer = api.post("/api/files", files={"file": ("ok.mp4", b"\x00" * (50 * 1024 * 1024))})
    assert answer.status_code == 201, answer.text


def test_reopen_shows_every_field_as_saved_and_edits_bump_the_version(api: TestClient, demo_rows: DemoRows) -> None:
    file_id = api.post("/api/files", files={"file": ("прайс.pdf", b"%PDF-1.4 x")}).json()["id"]
    body = {**_valid(demo_rows), "timing": "delayed", "delay_value": "3", "delay_unit": "days", "check_stage": True,
            "recipient_rule": "primary_first_number", "file_ids": [file_id]}  # fmt: skip
    created = api.post("/api/business-processes", json=body).json()
    reopened = api.get(f"/api/business-processes/{created['id']}").json()
    assert {k: reopened[k] for k in ("timing_label", "delay_value", "delay_unit_label", "check_stage",
                                     "provider_label", "recipient_rule_label", "text", "version")} == {
        "timing_label": "С задержкой", "delay_value": 3, "delay_unit_label": "дни", "check_stage": True,
        "provider_label": "Wazzup", "recipient_rule_label": "На основной контакт, первый номер",
        "text": TEXT, "version": 1,
    }  # fmt: skip
    assert reopened["channel"]["display"] == "+7(937)000-00-01"
    assert [f["filename"] for f in reopened["files"]] == ["прайс.pdf"]
    same = api.put(f"/api/business-processes/{created['id']}", json=body).json()
    assert same["version"] == 1, "saving without a change is not a new version"
    changed = api.put(f"/api/business-processes/{created['id']}", json={**body, "text": "Новый текст"}).json()
    assert changed["version"] == 2


def test_immediate_timing_drops_the_delay_and_the_stage_check(api: TestClient, demo_rows: DemoRows) -> None:
    body = {**_valid(demo_rows), "delay_value": 5, "delay_unit": "hours", "check_stage": True}
    saved = api.post("/api/business-processes", json=body).json()
    assert (saved["delay_value"], saved["delay_unit"], saved["check_stage"]) == (None, None, False)


def test_only_an_admin_edits_processes(api: TestClient, demo_rows: DemoRows) -> None:
    manager = {"Authorization": "Bearer manager-token"}
    assert api.get("/api/business-processes", headers=manager).status_code == 403
    assert api.post("/api/business-processes", json=_valid(demo_rows), headers=manager).status_code == 403
    assert api.get("/api/business-processes", headers={"Authorization": "Bearer nope"}).status_code == 401
