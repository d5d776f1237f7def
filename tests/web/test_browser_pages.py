"""The page objects in a real browser against a live server: sign-in, the deal card, the editor."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from drivers.protocol import FileSpec, ProcessSpec
from emulator import business_processes
from pages.deal_page import DealPage
from pages.login_page import LoginPage
from pages.process_editor_page import ProcessEditorPage
from pages.processes_page import ProcessesPage
from tests.web.conftest import Crm

EDITOR_LABELS = [
    "Выберите действие",
    "Когда выполнить действие",
    "Выберите сервис",
    "Выберите название канала",
    "Выберите на какие контакты отправлять сообщение",
    "Введите текст сообщения",
    "Вы можете использовать параметры",
    "Добавить файлы",
]
STAGE_CHECK = "Проверить, находится ли сделка на выбранном этапе"


def _new_editor(page: Page, base_url: str) -> ProcessEditorPage:
    return ProcessesPage(page, base_url).open("Воронка 2").add("Новая")


def test_sign_in_refuses_a_wrong_password_then_lets_the_admin_in(ui_page: Page, demo: Crm, base_url: str) -> None:
    login = LoginPage(ui_page, base_url).open()
    login.sign_in("admin", "wrong")
    assert login.error() == "Неверный логин или пароль"
    login.sign_in("admin", "admin")
    expect(ui_page.get_by_role("heading", level=1, name="Сделки")).to_be_visible()
    expect(ui_page.get_by_role("link", name="Сделка 9396")).to_be_visible()


def test_the_demo_deal_moves_to_a_stage_picked_from_the_stage_list(admin_page: Page, base_url: str) -> None:
    deal = DealPage(admin_page, base_url).open(9396)
    view = deal.view()
    assert (view.funnel, view.stage, view.client_region, view.responsible) == (
        "Воронка 2",
        "Новая",
        "Не выбрано",
        "Ксения Администратор",
    )
    assert [c.label for c in view.contacts] == ["Основной контакт", "Не основной контакт"]
    assert view.contacts[1].phones == ["+7(999)555-88-22", "+7(999)555-88-22"]
    assert view.buttons == ["Оплата"]
    assert deal.stage_list() == ["Новая", "В работе", "Оплата"]
    deal.move_to_stage("Оплата")
    assert deal.view().stage == "Оплата"
    expect(admin_page.get_by_role("button", name="Этап: Оплата")).to_be_visible()
    entry = deal.timeline()[0]
    assert (entry.title, entry.author) == ("Смена этапа с Новая на Оплата", "Ксения Администратор")
    assert re.fullmatch(r"(сегодня|вчера) в \d\d:\d\d", entry.when)


def test_the_editor_shows_its_fields_in_order_and_the_stage_check_only_with_a_delay(
    admin_page: Page, base_url: str
) -> None:
    editor = _new_editor(admin_page, base_url)
    assert editor.field_labels() == EDITOR_LABELS
    assert not editor.is_stage_check_visible()
    editor.choose_timing("С задержкой")
    assert editor.is_stage_check_visible()
    assert editor.field_labels() == [*EDITOR_LABELS[:2], STAGE_CHECK, *EDITOR_LABELS[2:]]
    expect(editor.field(STAGE_CHECK)).not_to_be_checked()
    assert editor.value_of(STAGE_CHECK) == "Нет"
    editor.choose_timing("Сразу")
    assert not editor.is_stage_check_visible()


def test_the_channel_resets_when_the_service_changes(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    assert editor.services() == ["I2CRM", "Wazzup"]
    editor.choose_service("WAZZUP")
    assert editor.channels() == ["+7(937)000-00-01"]
    editor.choose_channel("+7(937)000-00-01")
    assert editor.chosen_channel() == "+7(937)000-00-01"
    assert editor.value_of("Выберите сервис") == "Wazzup"
    editor.choose_service("I2CRM")
    assert editor.chosen_channel() is None
    assert editor.value_of("Выберите название канала") == "Не выбрано"
    assert editor.value_of("Когда выполнить действие") == "Сразу"
    assert editor.channels() == ["+7(937)000-00-02"]


def test_a_parameter_goes_in_at_the_caret(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    parameters = editor.parameters()
    assert parameters[:2] == ["Имя клиента", "Регион клиента"]
    assert parameters[11:] == ["Ответственный", "телефон кастомный (сделка)"]
    editor.type_text("Здравствуйте, ! Ваш менеджер")
    editor.place_caret_after("Здравствуйте, ")
    editor.insert_parameter("Имя клиента")
    assert editor.text() == "Здравствуйте, [Имя клиента#2001]! Ваш менеджер"
    editor.set_caret(len(editor.text()))
    editor.insert_parameter("Ответственный")
    assert editor.text().endswith("Ваш менеджер[Ответственный#2000]")


def test_files_are_uploaded_as_chips_and_removed_with_x(admin_page: Page, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    editor.attach(FileSpec("photo_2023-05-01_12-00-00.jpg", b"\xff\xd8jpeg", "image/jpeg"))
    editor.attach(FileSpec("price.pdf", b"%PDF-1.4", "application/pdf"))
    assert editor.files() == ["photo_2023-05-01_12-00-00.jpg", "price.pdf"]
    expect(admin_page.get_by_text("photo_2023-0...", exact=True)).to_be_visible()
    editor.attach(FileSpec("setup.exe", b"MZ\x90\x00", "application/octet-stream"))
    assert [e.label for e in editor.errors()] == ["Добавить файлы"]
    assert "исполняемые файлы запрещены" in editor.errors()[0].message
    editor.remove_file("photo_2023-05-01_12-00-00.jpg")
    assert editor.files() == ["price.pdf"]


def test_a_refused_save_shows_every_error_and_keeps_the_input(admin_page: Page, demo: Crm, base_url: str) -> None:
    editor = _new_editor(admin_page, base_url)
    editor.choose_timing("С задержкой")
    editor.field("Задержка").fill("0")
    editor.type_text("Текст")
    editor.attach(FileSpec("price.pdf", b"%PDF-1.4", "application/pdf"))
    result = editor.save()
    assert not result.saved
    assert {e.label for e in result.errors} == {"Задержка", "Выберите сервис"}
    assert editor.field_error("Выберите сервис") == "выберите сервис"
    assert editor.field_error("Задержка") == "задержка должна быть не меньше 1"
    assert editor.is_stage_check_visible()
    assert editor.text() == "Текст"
    assert editor.files() == ["price.pdf"]
    with demo.database.session() as session:
        assert [p.stage_id for p in business_processes.list_processes(session)] == [5]


def test_a_saved_process_reopens_with_every_field(admin_page: Page, base_url: str) -> None:
    spec = ProcessSpec(
        funnel="Воронка 2",
        stage="Новая",
        when="С задержкой",
        delay="3",
        unit="дни",
        check_stage="Да",
        service="Wazzup",
        channel="+7(937)000-00-01",
        recipients="На основной контакт, первый номер",
        text="Строка 1\nСтрока 2 [Имя клиента#2001]",
        files=[FileSpec("price.pdf", b"%PDF-1.4", "application/pdf")],
    )
    editor = _new_editor(admin_page, base_url)
    assert editor.fill(spec) == []
    result = editor.save()
    assert result.saved and result.process_id is not None
    listed = ProcessesPage(admin_page, base_url).processes("Новая")
    assert [p.id for p in listed] == [result.process_id]
    admin_page.goto(f"{base_url}/settings/business-processes/{result.process_id}/edit")
    view = ProcessEditorPage(admin_page).view()
    assert view == listed[0]
    assert (view.funnel, view.stage, view.when, view.delay, view.unit, view.check_stage) == (
        "Воронка 2",
        "Новая",
        "С задержкой",
        "3",
        "дни",
        "Да",
    )
    assert (view.service, view.channel, view.recipients) == ("Wazzup", "+7(937)000-00-01", spec.recipients)
    assert (view.text, view.files, view.version) == (spec.text, ["price.pdf"], 1)
