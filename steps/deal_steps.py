"""Шаги о сделках: создание, контакты, поля и задачи."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, then, when

from drivers.protocol import ContactSpec, CrmDriver, TaskCompletion
from harness.clock import MOSCOW
from steps import text_macros
from steps.contact_tables import contacts_from_table, numbered_phones
from steps.context import SECOND_DEAL, ScenarioContext
from steps.deal_defaults import CLIENT, DEFAULT_PHONE
from steps.phrases import phrase


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}»"))
def deal_with_default_contact(crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str) -> None:
    """Сделка с одним основным контактом «Иван Клиентов» и номером +7(999)888-55-22."""
    contact = ContactSpec(name=CLIENT, primary=True, phones=(DEFAULT_PHONE,))
    ctx.deal_id = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}» с основным контактом «{phone}»"))
def deal_with_primary_phone(crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, phone: str) -> None:
    contact = ContactSpec(name=CLIENT, primary=True, phones=(phone,))
    ctx.deal_id = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])


@given(phrase("вторая сделка в воронке «{funnel}» на этапе «{stage}» с основным контактом «{phone}»"))
def second_deal(crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, phone: str) -> None:
    """Ещё одна сделка того же клиента; «сделка» сценария остаётся прежней, эта — «вторая сделка»."""
    contact = ContactSpec(name=CLIENT, primary=True, phones=(phone,))
    ctx.deals[SECOND_DEAL] = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}» с контактами:"))
def deal_with_contacts(
    crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, datatable: list[list[str]]
) -> None:
    """Столбцы: Контакт | Основной (да/нет) | Телефоны (через запятую, «—» — нет) | Email (необязательный)."""
    contacts = contacts_from_table(datatable)
    ctx.deal_id = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=contacts)


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}» без контактов"))
def deal_without_contacts(crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str) -> None:
    ctx.deal_id = crm_api.create_deal(funnel, stage, client_name=CLIENT)


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}» с {count:d} номерами основного контакта от «{first}»"))
def deal_with_many_numbers(
    crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, count: int, first: str
) -> None:
    """Один основной контакт с ``count`` номерами подряд: «+7(999)100-00-01», «…-02», ..."""
    contact = ContactSpec(name=CLIENT, primary=True, phones=numbered_phones(first, count))
    ctx.deal_id = crm_api.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])


@given(phrase("сделка в воронке «{funnel}» на этапе «{stage}» без заполненных полей с не основным контактом «{phone}»"))
def bare_deal(crm_api: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, phone: str) -> None:
    """Без имени клиента, региона, ответственного, задач и полей; один не основной контакт."""
    contact = ContactSpec(name="", primary=False, phones=(phone,))
    ctx.deal_id = crm_api.create_deal(funnel, stage, contacts=[contact])


@given(phrase("демонстрационная сделка {deal_id:d}"))
def demo_deal(crm_api: CrmDriver, ctx: ScenarioContext, deal_id: int) -> None:
    """Сделка со скриншотов задания (у контакта 2 номер +7(999)555-88-22 записан дважды)."""
    crm_api.deal(deal_id)
    ctx.deal_id = deal_id


@given("у сделки контакты:")
@when("у сделки меняют контакты на:")
def replace_contacts(crm_api: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Столбцы как в «сделка ... с контактами:»."""
    crm_api.set_contacts(ctx.deal, contacts_from_table(datatable))


@given(phrase("ответственный сделки «{name}»"))
@when(phrase("ответственным сделки назначают «{name}»"))
def set_responsible(crm_api: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    """Прежний ответственный становится «Предыдущим ответственным»."""
    crm_api.edit_deal(ctx.deal, responsible=name)


@given(phrase("имя клиента «{name}»"))
@when(phrase("имя клиента меняют на «{name}»"))
def set_client_name(crm_api: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    crm_api.edit_deal(ctx.deal, client_name=text_macros.expand(name))


@given(phrase("регион клиента «{region}»"))
@when(phrase("регион клиента меняют на «{region}»"))
def set_region(crm_api: CrmDriver, ctx: ScenarioContext, region: str) -> None:
    crm_api.edit_deal(ctx.deal, client_region=region)


@given(phrase("в поле сделки «{field}» значение «{value}»"))
@when(phrase("в поле сделки «{field}» меняют значение на «{value}»"))
def set_custom_field(crm_api: CrmDriver, ctx: ScenarioContext, field: str, value: str) -> None:
    """Длинное значение можно записать как ``{x × N}``."""
    crm_api.edit_deal(ctx.deal, fields={field: text_macros.expand(value)})


@given(phrase("у сделки задача «{title}» на {when}"))
def add_task(crm_api: CrmDriver, ctx: ScenarioContext, title: str, when: str) -> None:
    """Срок — «дд.мм.гггг чч:мм» по Москве."""
    due = dt.datetime.strptime(when.strip(), "%d.%m.%Y %H:%M").replace(tzinfo=MOSCOW)
    crm_api.add_task(ctx.deal, title, due)


@given(phrase("задача «{title}» выполнена"))
def task_done(crm_api: CrmDriver, ctx: ScenarioContext, title: str) -> None:
    assert isinstance(crm_api, TaskCompletion), "драйвер API не умеет закрывать задачи"
    crm_api.complete_task(ctx.deal, title)


@then(phrase("сделка находится в воронке «{funnel}» на этапе «{stage}»"))
def deal_is_on(crm: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str) -> None:
    view = crm.deal(ctx.deal)
    actual = (view.funnel, view.stage)
    assert actual == (funnel, stage), f"ожидалась сделка в «{funnel}» на этапе «{stage}», она: {actual}"


@then(phrase("у сделки кнопки «{labels}»"))
def deal_buttons(crm: CrmDriver, ctx: ScenarioContext, labels: str) -> None:
    expected = text_macros.split_list(labels)
    actual = crm.deal(ctx.deal).buttons
    assert actual == expected, f"ожидались кнопки {expected}, на сделке {actual}"
