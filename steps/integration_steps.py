"""Steps about the integrations page: connecting services, their keys and channels."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from drivers import names
from drivers.protocol import CrmDriver
from steps.context import ScenarioContext


def test_key(service: str) -> str:
    return f"{names.provider_key(service)}-test-key"


def connect_with_channels(crm: CrmDriver, providers: Any, service: str, channels: list[tuple[str, str]]) -> None:
    """The provider account exists with these channels, and the CRM is connected to it."""
    fake = providers.get(names.provider_key(service))
    key = test_key(service)
    fake.add_api_key(key)
    known = {c.phone for c in fake.channels.values()}
    for phone, state in channels:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if digits in known:
            fake.set_channel_state(phone, state)
        else:
            fake.add_channel(phone, state)
    result = crm.connect_integration(service, key)
    assert result.connected, f"сервис {service} не подключился: {result.error}"
    fake.webhook_secret = crm.integration(service).webhook_secret


@given(parsers.parse("сервис «{service}» подключён с активным каналом «{phone}»"))
def service_with_active_channel(crm_api: CrmDriver, providers: Any, service: str, phone: str) -> None:
    connect_with_channels(crm_api, providers, service, [(phone, "active")])


@given(parsers.parse("сервис «{service}» подключён с каналами:"))
def service_with_channels(crm_api: CrmDriver, providers: Any, service: str, datatable: list[list[str]]) -> None:
    """Columns: Канал | Состояние (the provider's own state word: active, inactive, blocked, ...)."""
    connect_with_channels(crm_api, providers, service, [(row[0], row[1]) for row in datatable[1:]])


@given(parsers.parse("сервис «{service}» отключён"))
def service_disconnected(crm_api: CrmDriver, service: str) -> None:
    crm_api.disconnect_integration(service)


@given(parsers.parse("у сервиса «{service}» есть ключ «{key}» и канал «{phone}» в состоянии «{state}»"))
def provider_account(providers: Any, service: str, key: str, phone: str, state: str) -> None:
    fake = providers.get(names.provider_key(service))
    fake.add_api_key(key)
    fake.add_channel(phone, state)


@when(parsers.parse("администратор подключает сервис «{service}» с ключом «{key}»"))
def connect(crm: CrmDriver, ctx: ScenarioContext, providers: Any, service: str, key: str) -> None:
    ctx.last_connect = crm.connect_integration(service, key)
    if ctx.last_connect.connected:
        providers.get(names.provider_key(service)).webhook_secret = crm.integration(service).webhook_secret


@when(parsers.parse("администратор отключает сервис «{service}»"))
def disconnect(crm: CrmDriver, service: str) -> None:
    crm.disconnect_integration(service)


@when(parsers.parse("администратор обновляет каналы сервиса «{service}»"))
def refresh(crm: CrmDriver, service: str) -> None:
    crm.refresh_channels(service)


@then(parsers.parse("сервис «{service}» подключён"))
def is_connected(crm: CrmDriver, service: str) -> None:
    view = crm.integration(service)
    assert view.connected, f"сервис {service} не подключён; кнопки карточки: {view.actions}"
    assert view.actions == ["НАСТРОИТЬ", "ОТКЛЮЧИТЬ"], f"у подключённого {service} кнопки {view.actions}"


@then(parsers.parse("сервис «{service}» не подключён"))
def is_not_connected(crm: CrmDriver, service: str) -> None:
    view = crm.integration(service)
    assert not view.connected, f"сервис {service} подключён, а не должен"
    assert view.actions == ["ПОДКЛЮЧИТЬ"], f"у отключённого {service} кнопки {view.actions}"


@then(parsers.parse("подключение отклонено с ошибкой «{text}»"))
def connect_refused(ctx: ScenarioContext, text: str) -> None:
    result = ctx.last_connect
    assert result is not None, "в сценарии не было попытки подключения"
    assert not result.connected, "подключение прошло, а должно быть отклонено"
    assert result.error and text in result.error, f"ожидалась ошибка «{text}», показано: «{result.error}»"


@then(parsers.parse("у сервиса «{service}» каналы:"))
def channels_are(crm: CrmDriver, service: str, datatable: list[list[str]]) -> None:
    """Columns: Канал | Активен (да/нет)."""
    expected = [(row[0].strip(), row[1].strip().lower() == "да") for row in datatable[1:]]
    actual = [(c.number, c.active) for c in crm.integration(service).channels]
    assert actual == expected, f"каналы {service}: ожидались {expected}, в CRM {actual}"
