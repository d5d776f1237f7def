"""Шаги о странице интеграций: подключение сервисов, ключи, каналы и карточки."""

from __future__ import annotations

from pytest_bdd import given, then, when

from drivers.protocol import CrmDriver, UiOnly
from mocks.interface import FakeProviders
from steps import text_macros, vocabulary as words
from steps.connections import connect_account, connect_with_channels, table_rows
from steps.context import ScenarioContext
from steps.phrases import phrase
from steps.provider_terms import fake_of
from steps.services import standard_channel


@given(phrase("сервис «{service}» подключён с активным каналом «{phone}»"))
def service_with_active_channel(crm_api: CrmDriver, providers: FakeProviders, service: str, phone: str) -> None:
    """У сервиса канал ``phone`` активен; CRM подключается к сервису тестовым ключом."""
    connect_with_channels(crm_api, providers, service, [{"канал": phone, "состояние": "active"}])


@given(phrase("сервис «{service}» подключён с каналами:"))
def service_with_channels(
    crm_api: CrmDriver, providers: FakeProviders, service: str, datatable: list[list[str]]
) -> None:
    """Столбцы: Канал | Состояние (слово сервиса: active, inactive, blocked, ...) | Транспорт | Название."""
    connect_with_channels(crm_api, providers, service, table_rows(datatable))


@given(phrase("сервис «{service}» отключён"))
def service_disconnected(crm_api: CrmDriver, service: str) -> None:
    crm_api.disconnect_integration(service)


@given(phrase("у сервиса «{service}» есть ключ «{key}»"))
def provider_key(providers: FakeProviders, service: str, key: str) -> None:
    """Сервис принимает ключ ``key`` (CRM его ещё не знает)."""
    fake_of(providers, service).add_api_key(key)


@given(phrase("у сервиса «{service}» появился канал «{phone}» в состоянии «{state}»"))
def provider_channel(providers: FakeProviders, service: str, phone: str, state: str) -> None:
    fake_of(providers, service).add_channel(phone, state)


@given(phrase("у сервиса «{service}» удалён канал «{phone}»"))
def provider_channel_removed(providers: FakeProviders, service: str, phone: str) -> None:
    fake_of(providers, service).remove_channel(phone)


@given(phrase("администратор подключил сервис «{service}» с ключом «{key}»"))
def connected_with_key(crm_api: CrmDriver, providers: FakeProviders, service: str, key: str) -> None:
    connect_account(crm_api, providers, service, key)


@when(phrase("администратор подключает сервис «{service}» с ключом «{key}»"))
def connect(crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, service: str, key: str) -> None:
    """Ключ может быть «(пусто)», «(пробелы)» или ``{k × 301}``."""
    ctx.last_connect = crm.connect_integration(service, text_macros.expand(key))


@when(phrase("администратор отключает сервис «{service}»"))
def disconnect(crm: CrmDriver, service: str) -> None:
    crm.disconnect_integration(service)


@given(phrase("администратор обновил каналы сервиса «{service}»"))
@when(phrase("администратор обновляет каналы сервиса «{service}»"))
def refresh(crm: CrmDriver, service: str) -> None:
    crm.refresh_channels(service)


@then(phrase("сервис «{service}» подключён"))
def is_connected(crm: CrmDriver, service: str) -> None:
    """Подключён по словам CRM; в браузере — и кнопки его карточки «НАСТРОИТЬ», «ОТКЛЮЧИТЬ»."""
    view = crm.integration(service)
    assert view.connected, f"ожидался подключённый {service}, он не подключён; кнопки карточки: {view.actions}"
    if view.actions is not None:
        assert view.actions == words.CONNECTED_ACTIONS, f"у подключённого {service} кнопки {view.actions}"


@then(phrase("сервис «{service}» не подключён"))
def is_not_connected(crm: CrmDriver, service: str) -> None:
    """Не подключён по словам CRM; в браузере — и кнопка его карточки «ПОДКЛЮЧИТЬ»."""
    view = crm.integration(service)
    assert not view.connected, f"ожидался не подключённый {service}, а он подключён (кнопки {view.actions})"
    if view.actions is not None:
        assert view.actions == words.DISCONNECTED_ACTIONS, f"у отключённого {service} кнопки {view.actions}"


@then(phrase("подключение отклонено с ошибкой «{text:A}»"))
def connect_refused(ctx: ScenarioContext, text: str) -> None:
    result = ctx.last_connect
    assert result is not None, "в сценарии не было попытки подключения"
    assert not result.connected, f"ожидался отказ с ошибкой «{text}», а подключение прошло"
    assert result.error == text, f"ожидалась ошибка «{text}», показано: «{result.error}»"


@then(phrase("у сервиса «{service}» каналы:"))
def channels_are(crm: CrmDriver, service: str, datatable: list[list[str]]) -> None:
    """Столбцы: Канал | Активен (да/нет) | Состояние (необязательный)."""
    rows = table_rows(datatable)
    with_state = all("состояние" in row for row in rows)
    expected = [(r["канал"], r["активен"].lower() == "да") + ((r["состояние"],) if with_state else ()) for r in rows]
    actual = [(c.number, c.active) + ((c.state,) if with_state else ()) for c in crm.integration(service).channels]
    assert actual == expected, f"каналы {service}: ожидались {expected}, в CRM {actual}"


@then("на странице интеграций карточки по порядку:")
def cards_are(crm: CrmDriver, datatable: list[list[str]]) -> None:
    """Столбцы: Карточка | Подключена (да/нет) | Кнопки (через запятую)."""
    rows = table_rows(datatable)
    cards = crm.integration_cards()
    with_buttons = "кнопки" in rows[0] if rows else False
    if with_buttons and any(c.actions is None for c in cards):
        raise UiOnly("кнопки карточек видны только на странице: отметьте сценарий @ui или @both")
    expected = [
        (r["карточка"], r["подключена"] == "да", text_macros.split_list(r["кнопки"]) if with_buttons else None)
        for r in rows
    ]
    actual = [(c.title, c.connected, c.actions if with_buttons else None) for c in cards]
    assert actual == expected, f"карточки: ожидались\n{expected}\nна странице\n{actual}"


@given(phrase("запомнен секрет вебхука сервиса «{service}»"))
def remember_secret(crm_api: CrmDriver, ctx: ScenarioContext, service: str) -> None:
    secret = crm_api.integration(service).webhook_secret_masked
    assert secret, f"у подключённого {service} нет секрета вебхука"
    ctx.remembered[f"secret:{service}"] = secret


@then(phrase("секрет вебхука сервиса «{service}» не изменился"))
def secret_kept(crm: CrmDriver, ctx: ScenarioContext, service: str) -> None:
    before = ctx.remembered.get(f"secret:{service}")
    after = crm.integration(service).webhook_secret_masked
    assert after == before, f"секрет вебхука {service} был «{before}», стал «{after}»: подписи перестанут проходить"


@given(phrase("подключён сервис «{service}»"))
def service_connected(crm_api: CrmDriver, providers: FakeProviders, service: str) -> None:
    """Со своим единственным активным каналом: I2CRM +7(937)000-00-02, Wazzup …-01, Default …-03."""
    connect_with_channels(crm_api, providers, service, [{"канал": standard_channel(service), "состояние": "active"}])


@given(phrase("подключены сервисы «{services}»"))
def services_connected(crm_api: CrmDriver, providers: FakeProviders, services: str) -> None:
    for service in text_macros.split_list(services):
        service_connected(crm_api, providers, service)
