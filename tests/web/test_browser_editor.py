"""The editor «Настройки бизнес-процесса» in a real browser: every control the task's screenshots show."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from drivers.api_driver import ApiDriver
from drivers.protocol import FileSpec, ProcessSpec
from emulator.client import CrmClient
from pages.process_editor_page import ProcessEditorPage
from pages.processes_page import ProcessesPage

STAGE_CHECK = "Проверить, находится ли сделка на выбранном этапе"
PHOTO = "photo_2023-05-01_12-00-00.jpg"


def _new_editor(page: Page, base_url: str) -> ProcessEditorPage:
    return ProcessesPage(page, base_url).open("Воронка 2").add("Новая")


def _pdf(name: str, size: int = 8) -> FileSpec:
    return FileSpec(name, b"%PDF-1.4" + b"0" * max(0, size - 8), "application/pdf")


def test_the_question_marks_explain_their_fields(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    assert editor.hint("Выберите действие") == (
        "Что сделает бизнес-процесс, когда сделка перейдёт на этот этап. Доступное действие — отправить "
        "клиенту сообщение в WhatsApp через подключённый сервис."
    )
    assert editor.hint("Когда выполнить действие") == (
        "«Сразу» — в момент перехода сделки на этап. «С задержкой» — через заданное число минут, часов "
        "или дней после перехода (от 1 минуты до 365 дней)."
    )
    assert editor.hint("Выберите сервис") is None
    editor.choose_timing("С задержкой")
    assert (editor.hint(STAGE_CHECK) or "").startswith("Если отмечено («Да»), перед отправкой CRM проверит")


def test_the_delay_is_a_number_and_a_unit_shown_only_with_a_delay(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    number, unit = editor.field("Задержка"), editor.field("Единица задержки")
    expect(number).to_be_hidden()
    editor.choose_timing("С задержкой")
    expect(number).to_be_visible()
    expect(unit.locator("option")).to_have_text(["минуты", "часы", "дни"])
    assert editor.value_of("Единица задержки") == "минуты"
    number.fill("3")
    unit.select_option(label="дни")
    editor.choose_service("Wazzup")
    editor.choose_channel("+7(937)000-00-01")
    editor.type_text("Через три дня")
    saved = editor.save()
    assert saved.saved and saved.process_id is not None
    admin_page.goto(f"{base_url}/settings/business-processes/{saved.process_id}/edit")
    view = ProcessEditorPage(admin_page).view()
    assert (view.when, view.delay, view.unit, view.check_stage) == ("С задержкой", "3", "дни", "Нет")


def test_the_stage_check_is_the_tasks_checkbox_saying_yes_or_no(
    admin_page: Page, base_url: str, crm_client: CrmClient
) -> None:
    editor = _new_editor(admin_page, base_url)
    assert not editor.is_stage_check_visible()
    editor.choose_timing("С задержкой")
    assert editor.is_stage_check_visible()
    checkbox = editor.field(STAGE_CHECK)
    expect(checkbox).to_have_attribute("type", "checkbox")
    expect(checkbox).not_to_be_checked()
    assert editor.value_of(STAGE_CHECK) == "Нет"
    checkbox.check()
    assert editor.value_of(STAGE_CHECK) == "Да"
    checkbox.uncheck()
    assert editor.value_of(STAGE_CHECK) == "Нет"
    spec = ProcessSpec(
        "Воронка 2",
        "Новая",
        when="С задержкой",
        delay="10",
        unit="минуты",
        check_stage="Да",
        service="I2CRM",
        channel="+7(937)000-00-02",
        text="Проверка",
    )
    assert editor.fill(spec) == []
    saved = editor.save()
    assert saved.process_id is not None
    assert ApiDriver(crm_client).business_process(saved.process_id).check_stage == "Да"
    admin_page.goto(f"{base_url}/settings/business-processes/{saved.process_id}/edit")
    reopened = ProcessEditorPage(admin_page)
    assert reopened.value_of(STAGE_CHECK) == "Да"
    expect(reopened.field(STAGE_CHECK)).to_be_checked()
    reopened.choose_timing("Сразу")
    assert not reopened.is_stage_check_visible()


def test_errors_stand_under_their_fields(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    editor.choose_timing("С задержкой")
    editor.field("Задержка").fill("0")
    result = editor.save()
    assert not result.saved
    assert editor.field_error("Задержка") == "задержка должна быть не меньше 1"
    assert editor.field_error("Выберите сервис") == "выберите сервис"
    assert editor.field_error("Введите текст сообщения") == "введите текст сообщения или прикрепите файл"
    assert editor.field_error("Выберите на какие контакты отправлять сообщение") is None
    for label, error_id in (("Выберите сервис", "error-provider"), ("Введите текст сообщения", "error-text")):
        field = editor.field(label).bounding_box()
        error = admin_page.locator(f"[id='{error_id}']").bounding_box()
        assert field is not None and error is not None
        assert 0 <= error["y"] - (field["y"] + field["height"]) < 40, f"the error of «{label}» is not under it"
    # the summary at the top names the same fields, the inline errors are what the user sees next to them
    assert {e.label for e in editor.errors()} == {"Задержка", "Выберите сервис", "Введите текст сообщения"}


def test_file_chips_show_a_short_name_keep_the_chosen_order_and_go_with_x(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    # The first file is the biggest, so its upload finishes last; the chips still follow the chosen order.
    chosen = [FileSpec(PHOTO, b"\xff\xd8" + b"j" * 3_000_000, "image/jpeg"), _pdf("b.pdf"), _pdf("c.pdf")]
    editor.attach_together(chosen)
    assert editor.files() == [PHOTO, "b.pdf", "c.pdf"]
    assert editor.file_chips() == ["photo_2023-0...", "b.pdf", "c.pdf"]
    expect(admin_page.get_by_role("button", name=f"Удалить файл {PHOTO}", exact=True)).to_have_text("X")
    editor.remove_file("b.pdf")
    editor.choose_service("I2CRM")
    editor.choose_channel("+7(937)000-00-02")
    saved = editor.save()
    assert saved.process_id is not None
    listed = ProcessesPage(admin_page, base_url).processes("Новая")
    assert [p.files for p in listed] == [[PHOTO, "c.pdf"]]


def test_the_limits_are_told_when_files_are_chosen(admin_page: Page, base_url: str, tmp_path: Path) -> None:
    editor = _new_editor(admin_page, base_url)
    expect(admin_page.get_by_text("До 10 файлов, каждый до 50 МБ", exact=False)).to_be_visible()
    editor.attach_together([_pdf(f"f{n:02}.pdf") for n in range(1, 12)])
    assert editor.files() == [f"f{n:02}.pdf" for n in range(1, 11)]
    assert editor.errors()[-1].message == "не больше 10 файлов: «f11.pdf» не добавлен"
    editor.remove_file("f10.pdf")
    big = tmp_path / "video.mp4"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)
    editor.attach_together([big])
    assert [(e.label, e.message) for e in editor.errors()] == [("Добавить файлы", "файл «video.mp4» больше 50 МБ")]
    assert editor.field_error("Добавить файлы") == "Добавить файлы: файл «video.mp4» больше 50 МБ"
    editor.attach(FileSpec("setup.exe", b"MZ\x90\x00", "application/octet-stream"))
    assert [e.message for e in editor.errors()] == ["исполняемые файлы запрещены: «setup.exe»"]
    assert len(editor.files()) == 9


@pytest.mark.parametrize("where", ["editor", "list"])
def test_an_unavailable_service_is_marked(admin_page: Page, base_url: str, crm_client: CrmClient, where: str) -> None:
    api = ApiDriver(crm_client)
    spec = ProcessSpec("Воронка 2", "Новая", service="Wazzup", channel="+7(937)000-00-01", text="Привет")
    saved = api.save_business_process(spec)
    assert saved.process_id is not None
    api.disconnect_integration("Wazzup")
    expected = api.business_process(saved.process_id)
    assert (expected.service, expected.service_available, expected.channel_available) == ("Wazzup", False, True)
    if where == "editor":
        admin_page.goto(f"{base_url}/settings/business-processes/{saved.process_id}/edit")
        editor = ProcessEditorPage(admin_page)
        assert editor.value_of("Выберите сервис") == "Wazzup (недоступен)"
        assert editor.services() == ["I2CRM", "Wazzup (недоступен)"]
        assert editor.view() == expected
        return
    processes = ProcessesPage(admin_page, base_url).open("Воронка 2")
    assert processes.processes("Новая") == [expected]
    assert processes.summaries("Новая")[0].startswith("Отправить сообщение в WhatsApp · Сразу · Wazzup (недоступен)")
    assert processes.warnings("Новая") == [
        "Сервис Wazzup недоступен: процесс не отправит сообщение, пока сервис не подключат или не выберут другой"
    ]


def test_deleting_a_process_asks_first_and_empty_stages_say_so(admin_page: Page, base_url: str) -> None:
    processes = ProcessesPage(admin_page, base_url).open()
    assert processes.funnel() == "Воронка 2"  # opens on the funnel that has processes, the demo deal's
    [process_id] = processes.process_ids("В работе")
    empty = admin_page.get_by_role("list", name="Бизнес-процессы этапа «Новая»")
    expect(empty.get_by_text("Бизнес-процессов нет", exact=True)).to_be_visible()
    button = admin_page.get_by_role("button", name=f"Удалить бизнес-процесс №{process_id}", exact=True)
    button.click()
    dialog = admin_page.get_by_role("dialog")
    expect(dialog.get_by_role("heading")).to_have_text(f"Удалить бизнес-процесс №{process_id}?")
    dialog.get_by_role("button", name="ОТМЕНА", exact=True).click()
    assert processes.process_ids("В работе") == [process_id]
    processes.delete(process_id)
    assert processes.notice() == f"Бизнес-процесс №{process_id} удалён"
    assert processes.process_ids("В работе") == []
