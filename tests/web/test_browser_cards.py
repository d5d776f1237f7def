"""ИНТЕГРАЦИЯ → СОЦ. СЕТИ И МЕССЕНДЖЕРЫ in a real browser: the cards' titles, descriptions, links, buttons."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from drivers.api_driver import ApiDriver
from emulator.client import CrmClient
from pages.confirm_dialog import ConfirmDialog
from pages.integration_settings_page import IntegrationSettingsPage
from pages.integrations_page import IntegrationsPage

# From the task's screenshot (the Default card is the change's own).
CARDS = {
    "ВКонтакте": (
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют в вашу группу ВКонтакте.",
        "https://vk.com/",
        ["ПОДКЛЮЧИТЬ"],
    ),
    "facebook": (
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют на вашу страницу в Facebook.",
        "https://facebook.com/",
        ["ПОДКЛЮЧИТЬ"],
    ),
    "I2CRM": ("Сервис интеграции Instagram, WhatsApp и CRM-систем.", "https://i2crm.ru/", ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"]),
    "WAZZUP": (
        "Это - «переходник» для WhatsApp, Instagram и Telegram, чтобы подключить их к нашей CRM.",
        "https://wazzup24.com/",
        ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"],
    ),
    "Telegram": (
        "Telegram - это облачное приложение для обмена сообщениями между мобильными и настольными системами, "
        "ориентированное на безопасность и скорость.",
        "https://telegram.org/",
        ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"],
    ),
    "Viber": (
        "Данная интеграция позволяет получать сообщения, которые пользователи отправляют в ваш публичный "
        "аккаунт Viber.",
        "https://viber.com/",
        ["ПОДКЛЮЧИТЬ"],
    ),
    "Avito": (
        "Авито - интернет-сервис для размещения объявлений о товарах, вакансиях и резюме на рынке труда, а также "
        "услуг от частных лиц и компаний, занимающий второе место в мире и первое в России среди "
        "онлайн-классифайдов.",
        "https://www.avito.ru/",
        ["ПОДКЛЮЧИТЬ"],
    ),
}


def test_each_card_has_its_title_description_links_and_buttons(admin_page: Page, base_url: str) -> None:
    cards = IntegrationsPage(admin_page, base_url).open()
    assert cards.titles() == [*CARDS, "Default"]
    for title, (description, site, buttons) in CARDS.items():
        assert cards.description(title) == description
        assert cards.links(title) == [
            ("Инструкция по подключению", f"/settings/integrations/{_key(title)}/instruction"),
            (site, site),
        ]
        assert cards.actions(title) == buttons
    assert cards.description("Default").startswith("Сервис отправки сообщений в WhatsApp.")
    assert cards.actions("Default") == ["ПОДКЛЮЧИТЬ"]
    site_link = cards.card("WAZZUP").get_by_role("link", name="https://wazzup24.com/", exact=True)
    expect(site_link).to_have_attribute("target", "_blank")
    expect(site_link).to_have_attribute("rel", "noopener noreferrer")


def _key(title: str) -> str:
    return {"ВКонтакте": "vk", "WAZZUP": "wazzup", "I2CRM": "i2crm"}.get(title, title.lower())


def test_the_instruction_link_opens_the_services_instruction(admin_page: Page, base_url: str) -> None:
    cards = IntegrationsPage(admin_page, base_url).open()
    cards.card("Default").get_by_role("link", name="Инструкция по подключению Default").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Инструкция по подключению Default")
    expect(admin_page.get_by_text("нажмите «ПОДКЛЮЧИТЬ» на карточке", exact=False)).to_be_visible()


def test_connecting_default_turns_its_card_into_configure_and_disconnect(
    admin_page: Page, base_url: str, crm_client: CrmClient
) -> None:
    cards = IntegrationsPage(admin_page, base_url).open()
    cards.press("Default", "ПОДКЛЮЧИТЬ")
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Подключение Default")
    admin_page.get_by_role("link", name="ОТМЕНА", exact=True).click()
    expect(admin_page.get_by_role("article")).to_have_count(8)
    assert ApiDriver(crm_client).integration("Default").connected is False


def test_disconnecting_asks_first(admin_page: Page, base_url: str, crm_client: CrmClient) -> None:
    api = ApiDriver(crm_client)
    cards = IntegrationsPage(admin_page, base_url).open()
    dialog = ConfirmDialog(admin_page).open_by(cards.card("WAZZUP").get_by_role("button", name="ОТКЛЮЧИТЬ"))
    assert dialog.question() == "Отключить интеграцию WAZZUP?"
    expect(dialog.dialog).to_contain_text("Бизнес-процессы с этим сервисом перестанут отправлять сообщения")
    dialog.dismiss()
    assert api.integration("Wazzup").connected
    cards.press("WAZZUP", "ОТКЛЮЧИТЬ")
    assert cards.notice() == "Интеграция WAZZUP отключена"
    assert cards.actions("WAZZUP") == ["ПОДКЛЮЧИТЬ"]
    assert not api.integration("Wazzup").connected


def test_the_settings_page_disconnects_after_asking_and_lists_no_channels_when_there_are_none(
    admin_page: Page, base_url: str
) -> None:
    settings = IntegrationSettingsPage(admin_page, base_url).open("i2crm")
    ConfirmDialog(admin_page).open_by(admin_page.get_by_role("button", name="ОТКЛЮЧИТЬ", exact=True)).confirm(
        "ОТКЛЮЧИТЬ"
    )
    expect(admin_page.get_by_role("status")).to_have_text("Интеграция I2CRM отключена")
    settings.open("default")
    assert not settings.connected()
    expect(admin_page.get_by_role("table", name="Каналы").get_by_text("Каналов нет", exact=True)).to_be_visible()


def test_the_settings_tab_rows_are_the_tasks(admin_page: Page, base_url: str) -> None:
    IntegrationsPage(admin_page, base_url).open()
    rows = {
        "Разделы настроек": [
            "ОБЩИЕ",
            "КЛИЕНТ",
            "СДЕЛКА",
            "ОПЛАТА",
            "СОТРУДНИКИ",
            "ИНТЕГРАЦИЯ",
            "БИЗНЕС-ПРОЦЕССЫ",
            "ИМПОРТ",
            "БЕЗОПАСНОСТЬ",
        ],
        "Разделы интеграций": [
            "ТЕЛЕФОННАЯ",
            "ПОЧТА",
            "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ",
            "ПОЧТОВЫЕ РАССЫЛКИ",
            "SMS РАССЫЛКИ",
            "СЕРВИСЫ",
            "ОБЛАЧНОЕ ХРАНИЛИЩЕ",
            "API",
            "WEBHOOK",
            "РАСШИРЕНИЯ",
        ],
    }
    for name, tabs in rows.items():
        links = admin_page.get_by_role("navigation", name=name).get_by_role("link")
        expect(links).to_have_text(tabs)
    current = admin_page.get_by_role("navigation", name="Разделы интеграций").locator("[aria-current=page]")
    expect(current).to_have_text("СОЦ. СЕТИ И МЕССЕНДЖЕРЫ")
    admin_page.get_by_role("link", name="ТЕЛЕФОННАЯ", exact=True).click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Телефонная")
