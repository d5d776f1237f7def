"""БИЗНЕС-ПРОЦЕССЫ and the editor "Настройки бизнес-процесса": field order, options, errors, saving (PRG)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from emulator import business_processes, integrations
from tests.web.conftest import Crm

LABELS = [
    "Выберите действие",
    "Когда выполнить действие",
    "Проверить, находится ли сделка на выбранном этапе",
    "Выберите сервис",
    "Выберите название канала",
    "Выберите на какие контакты отправлять сообщение",
    "Введите текст сообщения",
    "Вы можете использовать параметры:",
    "Добавить файлы:",
]


def _valid(web_app: Crm) -> dict[str, str]:
    """A form the editor saves: on «Новая» of «Воронка 2», through the demo Wazzup channel."""
    return {
        "stage_id": _new_stage(web_app),
        "action": "whatsapp_message",
        "timing": "immediate",
        "provider": "wazzup",
        "channel_id": _wazzup_channel(web_app),
        "recipient_rule": "all_contacts_all_numbers",
        "text": "Здравствуйте, [Имя клиента#2001]!",
    }


def _labels(html: str) -> list[str]:
    return re.findall(r'data-testid="field-label"[^>]*>([^<]+)<', html)


def _options(html: str, select_id: str) -> list[str]:
    block = html[
        html.index(f'<select id="{select_id}"') : html.index("</select>", html.index(f'<select id="{select_id}"'))
    ]
    return re.findall(r"<option [^>]*>([^<]*)</option>", block)


def _count(web_app: Crm) -> int:
    with web_app.database.session() as session:
        return len(business_processes.list_processes(session))


def _new_stage(web_app: Crm) -> str:
    return str(web_app.stage("Воронка 2", "Новая"))


def _wazzup_channel(web_app: Crm) -> str:
    return str(web_app.channel("wazzup", "79370000001"))


def test_editor_fields_are_in_the_task_order(web_app: Crm, admin: TestClient) -> None:
    html = admin.get(f"/settings/business-processes/new?stage_id={_new_stage(web_app)}").text
    assert '<h1 id="editor-heading">Настройки бизнес-процесса</h1>' in html
    assert _labels(html) == LABELS
    assert _options(html, "action") == ["Отправить сообщение в WhatsApp"]
    assert _options(html, "delay_unit") == ["минуты", "часы", "дни"]
    # The stage check is the task's checkbox with «Нет» beside it, unticked by default.
    assert re.search(r'<input type="checkbox" id="check_stage" name="check_stage" value="true" aria-describedby', html)
    assert '<span id="check-stage-state" class="check-state" data-testid="check-stage-state">Нет</span>' in html
    # «?» after «Выберите действие» and «Когда выполнить действие», as in the task's screenshots.
    assert 'aria-label="Подсказка: Выберите действие"' in html
    assert 'aria-label="Подсказка: Когда выполнить действие"' in html
    assert _options(html, "recipient_rule") == [
        "На все контакты и номера",
        "На основной контакт, все номера",
        "На основной контакт, первый номер",
        "На все контакты, первый номер",
    ]
    assert '<option value="all_contacts_all_numbers" selected>' in html
    assert 'aria-label="Удалить файл' not in html
    assert '<label for="file-input" class="button">Загрузить файл</label>' in html
    assert ">ОТМЕНА</a>" in html and ">СОХРАНИТЬ</button>" in html


def test_stage_check_is_shown_only_with_a_delay(web_app: Crm, admin: TestClient) -> None:
    html = admin.get(f"/settings/business-processes/new?stage_id={_new_stage(web_app)}").text
    assert '<div class="field-row check-row" id="check-stage-row" hidden>' in html
    assert '<span id="delay-fields" class="inline delay" hidden>' in html
    with web_app.database.session() as session:
        draft = business_processes.ProcessDraft(
            stage_id=web_app.stage("Воронка 2", "Новая"),
            timing="delayed",
            delay_value=3,
            delay_unit="days",
            check_stage=True,
            provider="wazzup",
            channel_id=_wazzup_channel(web_app),
            text="x",
        )
        process = business_processes.save(session, draft)
    html = admin.get(f"/settings/business-processes/{process.id}/edit").text
    assert '<div class="field-row check-row" id="check-stage-row">' in html
    assert 'name="check_stage" value="true" checked' in html
    assert 'data-testid="check-stage-state">Да</span>' in html
    assert 'value="3"' in html and '<option value="days" selected>дни</option>' in html


def test_only_available_services_and_active_channels_are_offered(web_app: Crm, admin: TestClient) -> None:
    html = admin.get(f"/settings/business-processes/new?stage_id={_new_stage(web_app)}").text
    assert _options(html, "provider") == ["Не выбрано", "I2CRM", "Wazzup"]
    assert _options(html, "channel_id") == ["Не выбрано"]
    data = re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', html, re.S)
    assert data and '"label": "+7(937)000-00-01"' in data.group(1)


def test_parameters_list_the_built_ins_then_custom_fields(web_app: Crm, admin: TestClient) -> None:
    html = admin.get(f"/settings/business-processes/new?stage_id={_new_stage(web_app)}").text
    options = re.findall(r'role="option"[^>]*data-token="([^"]+)">([^<]+)<', html)
    labels = [label for _, label in options]
    assert labels[:3] == ["Имя клиента", "Регион клиента", "Все email адреса основного контакта"]
    assert labels[11] == "Ответственный"
    assert labels[12:] == ["телефон кастомный (сделка)"]
    assert options[11][0] == "[Ответственный#2000]"


def test_a_refused_save_names_each_field_keeps_the_input_and_stores_nothing(web_app: Crm, admin: TestClient) -> None:
    upload = admin.post(
        "/settings/business-processes/files",
        files={"file": ("photo_2023-05-01_long_name.jpg", b"jpeg", "image/jpeg")},
    )
    assert upload.status_code == 201, upload.text
    file_id = str(upload.json()["id"])
    before = _count(web_app)
    form = {
        "stage_id": _new_stage(web_app),
        "action": "whatsapp_message",
        "timing": "delayed",
        "delay_value": "abc",
        "delay_unit": "hours",
        "check_stage": "true",
        "provider": "",
        "channel_id": "",
        "recipient_rule": "primary_first_number",
        "text": "Текст <b>жирный</b>",
        "file_ids": [file_id],
    }
    answer = admin.post("/settings/business-processes/new", data=form)
    assert answer.status_code == 422
    html = answer.text
    assert 'role="alert" aria-labelledby="summary-heading"' in html
    assert "<li>Задержка: укажите целое число</li>" in html
    assert "<li>Выберите сервис: выберите сервис</li>" in html
    assert re.search(
        r'<select id="provider" name="provider" aria-invalid="true" aria-describedby="error-provider">', html
    )
    assert '<p class="field-error" id="error-provider">выберите сервис</p>' in html
    assert 'value="abc" aria-invalid="true"' in html
    assert '<option value="hours" selected>' in html
    assert '<option value="primary_first_number" selected>' in html
    assert "Текст &lt;b&gt;жирный&lt;/b&gt;</textarea>" in html
    assert f'<input type="hidden" name="file_ids" value="{file_id}">' in html
    assert 'title="photo_2023-05-01_long_name.jpg" data-testid="file-name">photo_2023-0...</span>' in html
    assert 'aria-label="Удалить файл photo_2023-05-01_long_name.jpg">X</button>' in html
    assert '<div class="field-row check-row" id="check-stage-row">' in html
    assert '<p class="field-error" id="error-delay_value">укажите целое число</p>' in html
    assert _count(web_app) == before


def test_a_valid_save_redirects_to_the_list_and_reopens_as_saved(web_app: Crm, admin: TestClient) -> None:
    form = dict(_valid(web_app), text="Строка 1\r\nСтрока 2 <script>alert(1)</script>")
    answer = admin.post("/settings/business-processes/new", data=form)
    assert answer.status_code == 303
    funnel_id = web_app.funnel("Воронка 2")
    found = re.fullmatch(
        rf"/settings/business-processes\?funnel_id={funnel_id}&saved=(\d+)", answer.headers["location"]
    )
    assert found
    process_id = int(found.group(1))
    with web_app.database.session() as session:
        assert business_processes.get_process(session, process_id).text == (
            "Строка 1\nСтрока 2 <script>alert(1)</script>"
        )
    listing = admin.get(answer.headers["location"]).text
    assert f"Бизнес-процесс №{process_id} сохранён" in listing
    assert f'aria-label="Изменить бизнес-процесс №{process_id}"' in listing
    assert "<script>alert(1)</script>" not in listing
    editor = admin.get(f"/settings/business-processes/{process_id}/edit").text
    assert '<option value="wazzup" selected>Wazzup</option>' in editor
    assert "Строка 2 &lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in editor


def test_a_service_no_longer_available_stays_chosen_and_marked(web_app: Crm, admin: TestClient) -> None:
    with web_app.database.session() as session:
        draft = business_processes.ProcessDraft(
            stage_id=web_app.stage("Воронка 2", "Новая"),
            provider="wazzup",
            channel_id=_wazzup_channel(web_app),
            text="x",
        )
        process = business_processes.save(session, draft)
        integrations.disconnect(session, "wazzup")
    html = admin.get(f"/settings/business-processes/{process.id}/edit").text
    assert '<option value="wazzup" selected>Wazzup (недоступен)</option>' in html
    answer = admin.post(f"/settings/business-processes/{process.id}/edit", data=_valid(web_app))
    assert answer.status_code == 422
    assert "Выберите сервис: сервис Wazzup недоступен: интеграция отключена" in answer.text


def test_list_shows_stages_of_the_chosen_funnel_and_deletes(web_app: Crm, admin: TestClient) -> None:
    html = admin.get(f"/settings/business-processes?funnel_id={web_app.funnel('Воронка 2')}").text
    assert re.findall(r'<h2 id="stage-\d+">([^<]+)</h2>', html) == ["Новая", "В работе", "Оплата"]
    assert 'aria-label="Добавить бизнес-процесс на этап «Новая»"' in html
    assert 'aria-current="page" class="current">Воронка 2<' in html
    process_id = re.search(r'aria-label="Удалить бизнес-процесс №(\d+)"', html)
    assert process_id
    answer = admin.post(f"/settings/business-processes/{process_id.group(1)}/delete")
    assert answer.status_code == 303
    assert f"Бизнес-процесс №{process_id.group(1)} удалён" in admin.get(answer.headers["location"]).text
    assert _count(web_app) == 0


def test_a_manager_may_not_open_or_save_business_processes(web_app: Crm, manager: TestClient) -> None:
    assert manager.get("/settings/business-processes").status_code == 403
    assert manager.get("/settings/business-processes/new").status_code == 403
    before = _count(web_app)
    assert manager.post("/settings/business-processes/new", data=_valid(web_app)).status_code == 403
    assert _count(web_app) == before


def test_the_editor_uploads_a_file_of_several_megabytes(admin: TestClient) -> None:
    """The editor's upload route admits what the editor promises (files up to 50 MB), not the 1 MB of a form."""
    body = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    upload = admin.post("/settings/business-processes/files", files={"file": ("price.pdf", body, "application/pdf")})
    assert upload.status_code == 201, upload.text[:300]
    assert upload.json()["size"] == len(body)
