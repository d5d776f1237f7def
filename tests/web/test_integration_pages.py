"""Settings → ИНТЕГРАЦИЯ → СОЦ. СЕТИ И МЕССЕНДЖЕРЫ: tabs, cards, connect form errors, settings, access."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from emulator import integrations
from tests.web.conftest import Crm

SETTINGS_TABS = "ОБЩИЕ КЛИЕНТ СДЕЛКА ОПЛАТА СОТРУДНИКИ ИНТЕГРАЦИЯ БИЗНЕС-ПРОЦЕССЫ ИМПОРТ БЕЗОПАСНОСТЬ"
INTEGRATION_TABS = [
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
]
CARDS = ["ВКонтакте", "facebook", "I2CRM", "WAZZUP", "Telegram", "Viber", "Avito", "Default"]


def _tabs(html: str, label: str) -> list[str]:
    nav = html[html.index(f'aria-label="{label}"') : html.index("</nav>", html.index(f'aria-label="{label}"'))]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def _card_buttons(html: str) -> dict[str, list[str]]:
    cards = {}
    for article in re.findall(r"<article.*?</article>", html, re.S):
        title = re.search(r"<h2[^>]*>([^<]+)</h2>", article)
        assert title
        cards[title.group(1)] = re.findall(r"<button[^>]*>([^<]+)</button>", article)
    return cards


def test_the_integrations_page_reproduces_the_task(admin: TestClient) -> None:
    html = admin.get("/settings/integrations/messengers").text
    assert _tabs(html, "Разделы настроек") == SETTINGS_TABS.split()
    assert _tabs(html, "Разделы интеграций") == INTEGRATION_TABS
    assert 'aria-current="page" class="current">СОЦ. СЕТИ И МЕССЕНДЖЕРЫ<' in html
    assert 'aria-current="page" class="current">ИНТЕГРАЦИЯ<' in html
    assert "В нашей CRM есть возможность подключить социальные сети и мессенджеры" in html
    cards = _card_buttons(html)
    assert list(cards) == CARDS
    assert cards["I2CRM"] == ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"]
    assert cards["WAZZUP"] == ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"]
    assert cards["Default"] == ["ПОДКЛЮЧИТЬ"]
    assert cards["ВКонтакте"] == ["ПОДКЛЮЧИТЬ"]
    assert html.count(">Инструкция по подключению</a>") == 8
    assert ">https://wazzup24.com/</a>" in html


def test_the_connect_form_of_a_messaging_service_asks_for_key_and_address(admin: TestClient) -> None:
    html = admin.get("/settings/integrations/default/connect").text
    assert '<label for="api_key">API ключ</label>' in html
    assert '<label for="base_url">Адрес API</label>' in html
    assert ">ПОДКЛЮЧИТЬ</button>" in html
    assert ">ОТМЕНА</a>" in html
    assert "Адрес API" not in admin.get("/settings/integrations/vk/connect").text


def test_an_empty_key_is_refused_next_to_the_field_and_nothing_is_kept(web_app: Crm, admin: TestClient) -> None:
    answer = admin.post("/settings/integrations/default/connect", data={"api_key": "  "})
    assert answer.status_code == 422
    assert 'aria-invalid="true" aria-describedby="error-api_key"' in answer.text
    assert '<p class="field-error" id="error-api_key">обязательное поле</p>' in answer.text
    with web_app.database.session() as session:
        assert not integrations.get_integration(session, "default").connected


def test_connecting_a_card_redirects_to_the_cards(admin: TestClient) -> None:
    answer = admin.post("/settings/integrations/vk/connect", data={"api_key": "vk-key"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings/integrations/messengers?notice=connected&provider=vk"
    html = admin.get(answer.headers["location"]).text
    assert _card_buttons(html)["ВКонтакте"] == ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"]
    assert "Интеграция ВКонтакте подключена" in html


def test_disconnecting_keeps_the_channels(admin: TestClient) -> None:
    answer = admin.post("/settings/integrations/wazzup/disconnect")
    assert answer.status_code == 303
    assert _card_buttons(admin.get("/settings/integrations/messengers").text)["WAZZUP"] == ["ПОДКЛЮЧИТЬ"]
    assert "+7(937)000-00-01" in admin.get("/settings/integrations/wazzup").text


def test_the_settings_of_a_service_list_channels_and_webhook(admin: TestClient) -> None:
    html = admin.get("/settings/integrations/i2crm").text
    assert "<caption>Каналы</caption>" in html
    assert 'data-testid="channel-number">+7(937)000-00-02<' in html
    assert 'data-state="active" data-active="true">Активен<' in html
    assert "http://testserver/api/webhooks/i2crm" in html
    assert 'data-testid="webhook-secret"></dd>' in html  # i2crm signs with the channel's own key: no CRM secret
    assert ">Обновить каналы</button>" in html
    assert 'aria-label="Сменить API ключ"' in html


def test_the_key_and_the_webhook_secret_are_shown_masked_and_never_whole(web_app: Crm, admin: TestClient) -> None:
    with web_app.database.session() as session:
        wazzup = integrations.get_integration(session, "wazzup")
        key, secret = wazzup.api_key, wazzup.webhook_secret
    assert key and secret
    html = admin.get("/settings/integrations/wazzup").text
    assert f'data-testid="api-key">••••••••{key[-4:]}</dd>' in html
    assert f'data-testid="webhook-secret">••••••••{secret[-4:]}</dd>' in html
    answer = admin.get("/api/integrations/wazzup").text
    for whole in (key, secret):
        assert whole not in html and whole not in answer


def test_a_refused_new_key_is_shown_and_the_old_one_kept(web_app: Crm, admin: TestClient) -> None:
    answer = admin.post("/settings/integrations/wazzup/reconnect", data={"api_key": ""})
    assert answer.status_code == 422
    assert "обязательное поле" in answer.text
    with web_app.database.session() as session:
        assert integrations.get_integration(session, "wazzup").api_key == "demo-wazzup-key"


@pytest.mark.parametrize(
    "path",
    [
        "/settings",
        "/settings/client",
        "/settings/integrations/messengers",
        "/settings/integrations/i2crm",
        "/settings/integrations/default/connect",
    ],
)
def test_a_manager_may_not_open_settings(manager: TestClient, path: str) -> None:
    answer = manager.get(path)
    assert answer.status_code == 403
    assert "<h1>Недостаточно прав</h1>" in answer.text


def test_a_manager_may_not_disconnect(web_app: Crm, manager: TestClient) -> None:
    assert manager.post("/settings/integrations/i2crm/disconnect").status_code == 403
    with web_app.database.session() as session:
        assert integrations.get_integration(session, "i2crm").connected


def test_placeholder_tabs_and_unknown_pages(admin: TestClient) -> None:
    assert "Этот раздел настроек в эмуляторе не реализован." in admin.get("/settings/security").text
    assert 'aria-current="page" class="current">SMS РАССЫЛКИ<' in admin.get("/settings/integrations/sms").text
    assert admin.get("/settings/integrations/nope").status_code == 404
    assert admin.get("/settings/nope").status_code == 404
