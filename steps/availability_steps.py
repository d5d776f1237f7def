"""Шаги о том, какие сервисы и каналы предлагает редактор бизнес-процесса."""

from __future__ import annotations

from pytest_bdd import given, then

from drivers.protocol import CrmDriver
from mocks.interface import FakeProviders
from steps import text_macros
from steps.channel_labels import number_of
from steps.connections import connect_with_channels
from steps.phrases import phrase
from steps.provider_terms import fake_of
from steps.services import inactive_state, standard_channel

STATES = ("не подключён", "без активных каналов", "с активным каналом")


@given(phrase("сервис «{service}» в состоянии «{state}»"))
def service_in_state(crm_api: CrmDriver, providers: FakeProviders, service: str, state: str) -> None:
    """«не подключён» | «без активных каналов» (подключён, все каналы неактивны) | «с активным каналом»."""
    if state == "не подключён":
        crm_api.disconnect_integration(service)
    elif state == "без активных каналов":
        channels = fake_of(providers, service).channels.values()
        rows = [{"канал": "+" + c.phone, "состояние": inactive_state(service)} for c in channels]
        connect_with_channels(crm_api, providers, service, rows)
    elif state == "с активным каналом":
        connect_with_channels(
            crm_api, providers, service, [{"канал": standard_channel(service), "состояние": "active"}]
        )
    else:
        raise KeyError(f"неизвестное состояние сервиса «{state}» (есть: {', '.join(STATES)})")


@then(phrase("в редакторе бизнес-процесса доступны сервисы «{services}»"))
def services_offered(crm: CrmDriver, services: str) -> None:
    """Список через запятую в порядке редактора; «—» — не предложен ни один."""
    expected = text_macros.split_list(services)
    actual = crm.available_services()
    assert actual == expected, f"в редакторе ожидались сервисы {expected or '—'}, предложены {actual or '—'}"


@then(phrase("для сервиса «{service}» в редакторе доступны каналы «{channels}»"))
def channels_offered(crm: CrmDriver, service: str, channels: str) -> None:
    """Сравниваются номера: после номера редактор может показать название канала, «+7(937)000-00-03 (Продажи)»."""
    expected = text_macros.split_list(channels)
    labels = crm.available_channels(service)
    actual = [number_of(label) for label in labels]
    assert actual == expected, f"для {service} ожидались каналы {expected or '—'}, в редакторе {labels or '—'}"
