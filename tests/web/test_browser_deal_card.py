"""The deal card in a real browser: every line of the task's screenshot, the live parts, statuses and confirmations."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from drivers.api_driver import ApiDriver
from drivers.protocol import ProcessSpec, TimelineItem
from emulator.client import CrmClient
from harness.clock import SCENARIO_START
from mocks.registry import ProviderFakes
from pages.confirm_dialog import ConfirmDialog
from pages.deal_page import DealPage

SEND = "Отправка сообщения в WhatsApp из бизнес процесса"


def _card(page: Page, base_url: str) -> DealPage:
    return DealPage(page, base_url).open(9396)


def _not_reloaded(page: Page) -> None:
    """Mark the document: a reload would lose the mark (checked with _still_the_same_document)."""
    page.evaluate("window.__sameDocument = true")


def _still_the_same_document(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded instead of updating itself"


def test_the_card_shows_each_line_of_the_task_screenshot(admin_page: Page, base_url: str) -> None:
    _card(admin_page, base_url)
    main = admin_page.get_by_role("region", name="9396")
    for line in (
        "Воронка 2: Новая",
        "Регион клиента: Не выбрано",
        "Сделка: Сделка",
        "Генератор клиентов",
        "Ответственный: Ксения Администратор",
        "Участники:",
        "Мобильный: +7(999)888-55-22",
    ):
        expect(main.get_by_text(line, exact=False).first).to_be_visible()
    expect(main.get_by_role("link", name="Все", exact=True)).to_be_visible()
    for button in ("+ Создать сделку", "#ТЕГИРОВАТЬ", "Добавить участника", "+ ДОБАВИТЬ"):
        expect(main.get_by_role("button", name=button, exact=True)).to_be_visible()
    contacts = main.get_by_role("list", name="Контакты")
    expect(contacts.get_by_test_id("contact-label")).to_have_text(["Основной контакт", "Не основной контакт"])
    expect(contacts.locator(".num")).to_have_text(["1", "2"])
    expect(contacts.get_by_role("button", name="Добавить контактные данные")).to_have_count(2)
    expect(main.get_by_role("heading", name="Контакты", exact=True)).to_be_visible()
    tasks = admin_page.get_by_role("region", name="Задачи")
    expect(tasks.get_by_text("Связаться с клиентом", exact=True)).to_be_visible()
    expect(tasks.get_by_text(re.compile(r"^Выполнить сегодня в \d\d:\d\d$"))).to_be_visible()
    expect(tasks.get_by_text("Обязательно в это время", exact=True)).to_be_visible()
    expect(tasks.get_by_role("button", name="Загрузить файл", exact=True)).to_be_visible()
    expect(admin_page.get_by_role("heading", name="Диалоги", exact=True)).to_be_visible()
    expect(admin_page.get_by_role("heading", name="Детально", exact=True)).to_be_visible()


def test_contacts_collapse_and_expand(admin_page: Page, base_url: str) -> None:
    _card(admin_page, base_url)
    contacts = admin_page.get_by_role("list", name="Контакты")
    toggle = admin_page.get_by_role("button", name=re.compile(r"^(Свернуть|Развернуть) список контактов$"))
    expect(toggle).to_have_text("Свернуть список контактов")
    toggle.click()
    expect(contacts).to_be_hidden()
    expect(toggle).to_have_text("Развернуть список контактов")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(contacts).to_be_visible()
    expect(toggle).to_have_text("Свернуть список контактов")


def test_a_control_the_emulator_lacks_says_so(admin_page: Page, base_url: str) -> None:
    _card(admin_page, base_url)
    admin_page.get_by_role("button", name="#ТЕГИРОВАТЬ", exact=True).click()
    expect(admin_page.get_by_text("«#ТЕГИРОВАТЬ»: в эмуляторе CRM не реализовано", exact=True)).to_be_visible()


def test_the_log_shows_first_names_and_keeps_full_names_for_the_driver(admin_page: Page, base_url: str) -> None:
    card = _card(admin_page, base_url)
    assert set(card.timeline_authors_shown()) == {"Ксения"}
    assert {item.author for item in card.timeline()} == {"Ксения Администратор"}
    expect(admin_page.get_by_role("region", name="Диалоги").get_by_text("Сообщений нет", exact=True)).to_be_visible()
    runs = admin_page.get_by_role("region", name="Запланированные действия")
    expect(runs.get_by_text("Нет запланированных действий", exact=True)).to_be_visible()


def test_a_send_reaches_the_card_by_itself(
    admin_page: Page, base_url: str, crm_client: CrmClient, fakes: ProviderFakes
) -> None:
    """Moving the demo deal to «В работе» sends the task's process; the open card shows it without a reload."""
    card = _card(admin_page, base_url)
    card.move_to_stage("В работе")
    _not_reloaded(admin_page)
    crm_client.run_due()  # what the live emulator's scheduler does about once a second
    dialogs = admin_page.get_by_role("region", name="Диалоги")
    expect(dialogs.get_by_test_id("dialog-number")).to_have_text(["+7(999)888-55-22", "+7(999)555-88-22"])
    expect(dialogs.get_by_test_id("message-status")).to_have_text(["Отправлено", "Отправлено"])
    _still_the_same_document(admin_page)
    assert [(m.to, m.service, m.channel, m.status) for m in card.dialog()] == [
        ("+7(999)888-55-22", "I2CRM", "+7(937)000-00-02", "Отправлено"),
        ("+7(999)555-88-22", "I2CRM", "+7(937)000-00-02", "Отправлено"),
    ]
    sends = [item for item in card.timeline() if item.title == SEND]
    assert [(s.body, s.service, s.channel, s.number) for s in sends] == [
        ("Статус: Отправлено", "I2CRM", "+7(937)000-00-02", "+7(999)555-88-22"),
        ("Статус: Отправлено", "I2CRM", "+7(937)000-00-02", "+7(999)888-55-22"),
    ]
    assert {s.process_id for s in sends} == {1}
    assert {s.author for s in sends} == {None}
    assert [m.to for m in fakes.i2crm.outbox] == ["79998885522", "79995558822"]
    assert sends == [item for item in ApiDriver(crm_client).timeline(9396) if item.title == SEND]


def test_a_stage_change_elsewhere_shows_on_the_open_card_with_its_scheduled_run(
    admin_page: Page, base_url: str, crm_client: CrmClient
) -> None:
    api = ApiDriver(crm_client)
    spec = ProcessSpec(
        "Воронка 2", "Оплата", when="С задержкой", delay="2", unit="часы", service="Wazzup", text="Напоминание"
    )
    spec.channel = "+7(937)000-00-01"
    assert api.save_business_process(spec).saved
    card = _card(admin_page, base_url)
    _not_reloaded(admin_page)
    api.move_deal_to_stage(9396, "Оплата")  # another user, another tab
    expect(admin_page.get_by_test_id("deal-stage")).to_have_text("Оплата")
    runs = admin_page.get_by_role("region", name="Запланированные действия")
    expect(runs.get_by_test_id("scheduled-run")).to_have_count(1)
    expect(runs.get_by_test_id("run-stage")).to_have_text("Оплата")
    [run] = card.scheduled_runs()
    # the CRM's clock started at SCENARIO_START for this test (tests/web/conftest.py: demo) and keeps running
    assert run.due_at is not None and run.due_at - SCENARIO_START > dt.timedelta(minutes=119)
    api.cancel_scheduled_run(9396, run.id)
    expect(runs.get_by_text("Нет запланированных действий", exact=True)).to_be_visible()
    _still_the_same_document(admin_page)


def test_cancelling_a_run_asks_first(admin_page: Page, base_url: str, crm_client: CrmClient) -> None:
    api = ApiDriver(crm_client)
    spec = ProcessSpec("Воронка 2", "Оплата", when="С задержкой", delay="1", unit="дни", service="I2CRM", text="x")
    spec.channel = "+7(937)000-00-02"
    assert api.save_business_process(spec).saved
    api.move_deal_to_stage(9396, "Оплата")
    card = _card(admin_page, base_url)
    [run] = card.scheduled_runs()
    button = admin_page.get_by_role("button", name=f"Отменить запуск №{run.id}", exact=True)
    dialog = ConfirmDialog(admin_page).open_by(button)
    assert dialog.question() == f"Отменить запуск №{run.id}? Сообщение по нему не будет отправлено."
    dialog.dismiss()
    assert [r.id for r in api.scheduled_runs(9396)] == [run.id]
    card.cancel_run(run.id)
    assert api.scheduled_runs(9396) == []
    entry = card.timeline()[0]
    assert entry.body == "Статус: Отменено: отменено пользователем Ксения Администратор"
    assert card.timeline_tones()[0] == "muted"


def test_statuses_are_coloured_by_meaning(
    admin_page: Page, base_url: str, crm_client: CrmClient, fakes: ProviderFakes
) -> None:
    api = ApiDriver(crm_client)
    fakes.wazzup.fail_next("status", status=400, method="POST", path="/message")  # a refusal, not retried
    spec = ProcessSpec("Воронка 2", "Оплата", service="Wazzup", channel="+7(937)000-00-01", text="Спасибо!")
    spec.recipients = "На основной контакт, первый номер"
    assert api.save_business_process(spec).saved
    api.move_deal_to_stage(9396, "Оплата")
    crm_client.run_due()
    card = _card(admin_page, base_url)
    [send] = [item for item in card.timeline() if item.title == SEND]
    assert send.body.startswith("Статус: Ошибка")
    assert card.timeline_tones()[0] == "error"
    [message] = card.dialog()
    assert message.status == "Ошибка"
    status = admin_page.get_by_role("region", name="Диалоги").get_by_test_id("message-status")
    expect(status).to_have_class(re.compile(r"\btone-error\b"))
    # the stage changes before it are neutral, as in the task's log
    assert set(card.timeline_tones()[1:]) == {None}


def test_timeline_items_without_a_message_name_nothing(admin_page: Page, base_url: str) -> None:
    items = _card(admin_page, base_url).timeline()
    assert items[-1] == TimelineItem("Лид создан вручную", "", "Ксения Администратор", items[-1].when)
    assert all(item.service is None and item.number is None for item in items)


def test_a_change_waits_while_the_stage_list_is_open(admin_page: Page, base_url: str, crm_client: CrmClient) -> None:
    """The card does not swap the stage list away under the user's pointer; it updates once the list closes."""
    _card(admin_page, base_url)
    admin_page.get_by_role("button", name="Этап: Новая").click()
    menu = admin_page.get_by_role("menu", name="Выберите этап")
    expect(menu).to_be_visible()
    admin_page.evaluate(_AWAIT_NEXT_EVENT, "crm:live-deferred")
    ApiDriver(crm_client).add_task(9396, "Перезвонить", SCENARIO_START + dt.timedelta(hours=2))
    assert admin_page.evaluate("() => window.__nextLiveEvent"), "the card never saw the change"
    expect(menu).to_be_visible()
    tasks = admin_page.get_by_role("region", name="Задачи").get_by_test_id("task")
    expect(tasks).to_have_count(1)
    menu.press("Escape")
    expect(tasks).to_have_count(2)


# window.__nextLiveEvent: a promise of the next event of that name on the document (false after 10 s, so a
# card that never sees the change fails the test instead of hanging it).
_AWAIT_NEXT_EVENT = """name => {
  window.__nextLiveEvent = new Promise(resolve => {
    document.addEventListener(name, () => resolve(true), {once: true});
    setTimeout(() => resolve(false), 10000);
  });
}"""
