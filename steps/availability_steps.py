"""Шаги о том, какие сервисы и каналы предлагает редактор бизнес-процесса."""

from __future__ import annotations

from pytest_bdd import given, then

from drivers.protocol import CrmDriver, ProcessView
from mocks.interface import FakeProviders
from steps import text_macros, vocabulary as words
from steps.channel_labels import number_of
from steps.connections import connect_with_channels
from steps.context import ScenarioContext
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


def _saved_process(crm: CrmDriver, ctx: ScenarioContext, place: str) -> ProcessView:
    """The scenario's process as the list of processes or the editor shows it."""
    opened = crm.business_process(ctx.process)
    if place == "editor":
        return opened
    listed = [p for p in crm.business_processes(opened.funnel, opened.stage) if p.id == ctx.process]
    assert len(listed) == 1, f"процесса нет в списке этапа «{opened.stage}» воронки «{opened.funnel}»"
    return listed[0]


def _check_mark(view: ProcessView, what: str, name: str, mark: str, marked: bool) -> None:
    assert mark == words.UNAVAILABLE_MARK, f"отметка недоступности в CRM — «{words.UNAVAILABLE_MARK}», не «{mark}»"
    if what == "сервис":
        shown, available = view.service, view.service_available
    elif what == "канал":
        shown, available = number_of(view.channel or ""), view.channel_available
        name = number_of(name)
    else:
        raise ValueError(f"отмечают сервис или канал, не «{what}»")
    assert shown == name, f"у процесса {what} «{shown}», а не «{name}»"
    state = "отмечен" if not available else "не отмечен"
    assert available is not marked, f"{what} «{name}» {state} «{mark}»"


@then(phrase("в списке бизнес-процессов {what} «{name}» отмечен «{mark}»"))
def listed_marked(crm: CrmDriver, ctx: ScenarioContext, what: str, name: str, mark: str) -> None:
    """Сервис отключён или без активных каналов, канал неактивен: список процессов так и говорит."""
    _check_mark(_saved_process(crm, ctx, "list"), what, name, mark, marked=True)


@then(phrase("в списке бизнес-процессов {what} «{name}» не отмечен «{mark}»"))
def listed_not_marked(crm: CrmDriver, ctx: ScenarioContext, what: str, name: str, mark: str) -> None:
    _check_mark(_saved_process(crm, ctx, "list"), what, name, mark, marked=False)


@then(phrase("в редакторе бизнес-процесса {what} «{name}» отмечен «{mark}»"))
def editor_marked(crm: CrmDriver, ctx: ScenarioContext, what: str, name: str, mark: str) -> None:
    """Редактор открывает процесс с прежним выбором и помечает то, чем отправить нельзя."""
    _check_mark(_saved_process(crm, ctx, "editor"), what, name, mark, marked=True)
