"""The provider fakes' page in a real browser: Russian, filtered by provider, channel and number, live."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import Page, expect

from tests.web.conftest import FakesServer

DEFAULT_KEY = {"Authorization": "Bearer demo-default-key"}
WAZZUP_KEY = {"Authorization": "Bearer demo-wazzup-key"}


def _send_default(server: FakesServer, to: str, text: str) -> None:
    channel = server.fakes.default.channel("79370000003")
    body = {"channel_id": channel.id, "to": to, "text": text}
    headers = {**DEFAULT_KEY, "Idempotency-Key": str(uuid.uuid4())}
    answer = requests.post(f"{server.base_url}/default/v1/messages", json=body, headers=headers, timeout=10)
    assert answer.status_code in (200, 201, 202), answer.text


def _send_wazzup(server: FakesServer, to: str, text: str) -> None:
    channel = server.fakes.wazzup.channel("79370000001")
    body = {"channelId": channel.id, "chatType": "whatsapp", "chatId": to, "text": text}
    answer = requests.post(f"{server.base_url}/wazzup/v3/message", json=body, headers=WAZZUP_KEY, timeout=10)
    assert answer.status_code == 201, answer.text


def _rows(page: Page) -> list[list[str]]:
    table = page.get_by_role("table", name="Сообщения")
    return [
        [cell.strip() for cell in row.get_by_role("cell").all_text_contents()][1:5]
        for row in table.get_by_role("row").all()[1:]
        if row.get_by_role("cell").count() > 1
    ]


def test_each_message_arrives_on_the_open_page(ui_page: Page, fakes_server: FakesServer) -> None:
    ui_page.goto(fakes_server.base_url)
    expect(ui_page.get_by_role("heading", level=1)).to_have_text("Исходящие сообщения")
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("0")
    expect(ui_page.get_by_role("table", name="Сообщения").get_by_text("Сообщений нет", exact=True)).to_be_visible()
    ui_page.evaluate("window.__sameDocument = true")
    _send_wazzup(fakes_server, "79998885522", "Первое")
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("1")
    _send_wazzup(fakes_server, "79995558822", "Второе")
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("2")
    assert _rows(ui_page) == [
        ["Wazzup", "+7(937)000-00-01", "+7(999)555-88-22", "Второе"],
        ["Wazzup", "+7(937)000-00-01", "+7(999)888-55-22", "Первое"],
    ]
    assert ui_page.evaluate("window.__sameDocument === true"), "the page reloaded instead of updating itself"
    channels = ui_page.get_by_role("table", name="Номера WhatsApp, подключённые у каждого провайдера")
    expect(channels.get_by_role("row").filter(has_text="+7(937)000-00-04")).to_contain_text("неактивен")


def test_the_filter_keeps_one_provider_channel_or_number(ui_page: Page, fakes_server: FakesServer) -> None:
    _send_wazzup(fakes_server, "79998885522", "Wazzup 1")
    _send_default(fakes_server, "79998885522", "Default 1")
    _send_default(fakes_server, "79995558822", "Default 2")
    ui_page.goto(fakes_server.base_url)
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("3")
    ui_page.get_by_label("Провайдер", exact=True).select_option(label="Default")
    with ui_page.expect_navigation():  # the filter is a form: the rows are read on the ui_page it leads to
        ui_page.get_by_role("button", name="Показать").click()
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("2")
    assert [row[3] for row in _rows(ui_page)] == ["Default 2", "Default 1"]
    ui_page.get_by_label("Номер получателя").fill("+7(999)888-55-22")
    with ui_page.expect_navigation():  # the filter is a form: the rows are read on the ui_page it leads to
        ui_page.get_by_role("button", name="Показать").click()
    assert [row[3] for row in _rows(ui_page)] == ["Default 1"]
    with ui_page.expect_navigation():
        ui_page.get_by_role("link", name="Сбросить").click()
    ui_page.get_by_label("Канал", exact=True).select_option(label="+7(937)000-00-01 (Wazzup)")
    with ui_page.expect_navigation():  # the filter is a form: the rows are read on the ui_page it leads to
        ui_page.get_by_role("button", name="Показать").click()
    assert [row[3] for row in _rows(ui_page)] == ["Wazzup 1"]
    # a new message of another channel does not show in the filtered, live list; one of this channel does
    _send_default(fakes_server, "79991112233", "Default 3")
    _send_wazzup(fakes_server, "79991112233", "Wazzup 2")
    expect(ui_page.get_by_test_id("outbox-count")).to_have_text("2")
    assert [row[3] for row in _rows(ui_page)] == ["Wazzup 2", "Wazzup 1"]
