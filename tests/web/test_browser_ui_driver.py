"""UiDriver in a real browser against a live server: the same answers as the API driver on the same data."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from drivers.api_driver import ApiDriver
from drivers.protocol import ChannelView, ConnectResult, ProcessSpec
from emulator.client import CrmClient
from emulator.seed import ADMIN_TOKEN, MANAGER_TOKEN
from pages.refusal import NotOffered
from pages.signed_in import SignIns
from pages.ui_driver import UiDriver
from tests.web.conftest import Crm

CARDS = ["ВКонтакте", "facebook", "I2CRM", "WAZZUP", "Telegram", "Viber", "Avito", "Default"]


@pytest.fixture
def api(demo: Crm, base_url: str) -> ApiDriver:
    return ApiDriver(CrmClient(base_url, ADMIN_TOKEN))


@pytest.fixture
def ui(ui_page: Page, base_url: str, api: ApiDriver, browser_sign_ins: SignIns) -> UiDriver:
    """The UI driver signed in as the administrator with the session's cookies, as the @ui scenarios' driver
    (the sign-in screen has tests of its own; the manager's test below signs in through it)."""
    driver = UiDriver(ui_page, base_url, api)
    browser_sign_ins.sign_in(ui_page, base_url, "admin", "admin")
    return driver


def test_deal_reads_and_changes_match_the_api(ui: UiDriver, api: ApiDriver) -> None:
    assert ui.deal(9396) == api.deal(9396)
    ui.move_deal_to_stage(9396, "Новая")
    ui.press_deal_button(9396, "Оплата")
    assert api.deal(9396).stage == "Оплата"
    ui.change_funnel(9396, "Воронка логики кнопок", "В работе")
    assert (api.deal(9396).funnel, api.deal(9396).stage) == ("Воронка логики кнопок", "В работе")
    assert [(t.title, t.body, t.author) for t in ui.timeline(9396)] == [
        (t.title, t.body, t.author) for t in api.timeline(9396)
    ]


def test_a_delayed_process_schedules_a_run_that_the_card_cancels(ui: UiDriver, api: ApiDriver) -> None:
    spec = ProcessSpec(
        "Воронка 2",
        "Оплата",
        when="С задержкой",
        delay="2",
        unit="часы",
        service="I2CRM",
        channel="+7(937)000-00-02",
        text="Напоминание",
    )
    saved = ui.save_business_process(spec)
    assert saved.saved
    assert ui.business_process(saved.process_id or 0) == api.business_process(saved.process_id or 0)
    assert ui.business_processes("Воронка 2", "Оплата") == api.business_processes("Воронка 2", "Оплата")
    ui.move_deal_to_stage(9396, "Оплата")
    runs = ui.scheduled_runs(9396)
    assert runs == api.scheduled_runs(9396)
    assert [r.stage for r in runs] == ["Оплата"]
    ui.cancel_scheduled_run(9396, runs[0].id)
    assert api.scheduled_runs(9396) == []
    ui.delete_business_process(saved.process_id or 0)
    assert api.business_processes("Воронка 2", "Оплата") == []


def test_a_refused_save_reports_the_same_fields_as_the_api(ui: UiDriver, api: ApiDriver) -> None:
    spec = ProcessSpec("Воронка 2", "Новая", service="Wazzup", channel="+7(937)000-00-01", text="")
    ui_result = ui.save_business_process(spec)
    assert ui_result == api.save_business_process(spec)
    assert [e.label for e in ui_result.errors] == ["Введите текст сообщения"]
    refused = api.save_business_process(ProcessSpec("Воронка 2", "Новая", service="Default", text="x"))
    assert "Выберите сервис" in [e.label for e in refused.errors]
    # The browser cannot even choose a service the editor does not list: the driver says so, it does not make up
    # a CRM refusal.
    with pytest.raises(NotOffered, match=r"в списке «Выберите сервис» нет «Default» \(есть: I2CRM, Wazzup\)"):
        ui.save_business_process(ProcessSpec("Воронка 2", "Новая", service="Default", text="x"))


def test_integrations_match_the_api(ui: UiDriver, api: ApiDriver) -> None:
    cards = ui.integration_cards()
    assert [c.title for c in cards] == CARDS
    # the REST API shows no buttons (the API driver reports none): compare what both see, buttons on the page
    seen = [(c.title, c.connected, c.channels) for c in api.integration_cards()]
    assert [(c.title, c.connected, c.channels) for c in cards] == seen
    assert all(c.actions for c in cards)
    assert ui.integration("wazzup").channels == [ChannelView("+7(937)000-00-01", "active", True)]
    assert ui.available_services() == api.available_services() == ["I2CRM", "Wazzup"]
    assert ui.available_channels("WAZZUP") == api.available_channels("Wazzup") == ["+7(937)000-00-01"]
    assert ui.available_channels("Default") == []


def test_connect_errors_and_disconnect(ui: UiDriver, api: ApiDriver) -> None:
    assert ui.connect_integration("Default", "") == ConnectResult(False, "обязательное поле")
    assert ui.connect_integration("Default", "") == api.connect_integration("Default", "")
    assert ui.connect_integration("ВКонтакте", "vk-key") == ConnectResult(True, None)
    ui.disconnect_integration("ВКонтакте")
    assert ui.integration("ВКонтакте").actions == ["ПОДКЛЮЧИТЬ"]


def test_a_manager_is_refused_the_settings_like_through_the_api(ui: UiDriver, base_url: str) -> None:
    ui.sign_in("manager", "manager")
    manager_api = ApiDriver(CrmClient(base_url, MANAGER_TOKEN))
    for name in ("Настройки", "Интеграции", "Бизнес-процессы"):
        assert ui.open_page(name) == manager_api.open_page(name)
        assert not ui.open_page(name).allowed
    assert ui.open_page("Сделка 9396").allowed
