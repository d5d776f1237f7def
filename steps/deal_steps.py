"""Steps about deals: creating them, their contacts and fields, moving them between stages."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, parsers, when

from drivers.protocol import ContactSpec, CrmDriver
from harness.clock import MOSCOW, ScenarioClock
from steps.context import ScenarioContext

DEFAULT_PHONE = "+7(999)888-55-22"


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip() and part.strip() not in {"—", "-"})


def contacts_from_table(rows: list[list[str]]) -> list[ContactSpec]:
    """Columns: Контакт | Основной (да/нет) | Телефоны (через запятую) | Email (через запятую)."""
    header = [cell.strip().lower() for cell in rows[0]]
    result = []
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=False))
        result.append(
            ContactSpec(
                name=cells.get("контакт", "").strip(),
                primary=cells.get("основной", "нет").strip().lower() == "да",
                phones=_split(cells.get("телефоны", "")),
                emails=_split(cells.get("email", "")),
            )
        )
    return result


@given(parsers.parse("сделка в воронке «{funnel}» на этапе «{stage}»"))
def deal_with_default_contact(crm: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str) -> None:
    """A deal whose one primary contact has the number +7(999)888-55-22."""
    contact = ContactSpec(name="Иван Клиентов", primary=True, phones=(DEFAULT_PHONE,))
    ctx.deal_id = crm.create_deal(funnel, stage, client_name="Иван Клиентов", contacts=[contact])


@given(parsers.parse("сделка в воронке «{funnel}» на этапе «{stage}» с контактами:"))
def deal_with_contacts(
    crm: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str, datatable: list[list[str]]
) -> None:
    ctx.deal_id = crm.create_deal(funnel, stage, client_name="Иван Клиентов", contacts=contacts_from_table(datatable))


@given(parsers.parse("сделка в воронке «{funnel}» на этапе «{stage}» без контактов"))
def deal_without_contacts(crm: CrmDriver, ctx: ScenarioContext, funnel: str, stage: str) -> None:
    ctx.deal_id = crm.create_deal(funnel, stage, client_name="Иван Клиентов")


@given("у сделки контакты:")
@when("у сделки меняют контакты на:")
def replace_contacts(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    crm.set_contacts(ctx.deal, contacts_from_table(datatable))


@given(parsers.parse("ответственный сделки «{name}»"))
@when(parsers.parse("ответственным сделки назначают «{name}»"))
def set_responsible(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    crm.edit_deal(ctx.deal, responsible=name)


@given(parsers.parse("имя клиента «{name}»"))
@when(parsers.parse("имя клиента меняют на «{name}»"))
def set_client_name(crm: CrmDriver, ctx: ScenarioContext, name: str) -> None:
    crm.edit_deal(ctx.deal, client_name=name)


@given(parsers.parse("регион клиента «{region}»"))
@when(parsers.parse("регион клиента меняют на «{region}»"))
def set_region(crm: CrmDriver, ctx: ScenarioContext, region: str) -> None:
    crm.edit_deal(ctx.deal, client_region=region)


@given(parsers.parse("в поле сделки «{field}» значение «{value}»"))
@when(parsers.parse("в поле сделки «{field}» меняют значение на «{value}»"))
def set_custom_field(crm: CrmDriver, ctx: ScenarioContext, field: str, value: str) -> None:
    crm.edit_deal(ctx.deal, fields={field: value})


@given(parsers.parse("у сделки задача «{title}» на {when}"))
def add_task(crm: CrmDriver, ctx: ScenarioContext, title: str, when: str) -> None:
    """``when``: "дд.мм.гггг чч:мм" (Moscow time)."""
    due = dt.datetime.strptime(when.strip(), "%d.%m.%Y %H:%M").replace(tzinfo=MOSCOW)
    crm.add_task(ctx.deal, title, due)


@when(parsers.parse("сделку переводят на этап «{stage}»"))
def move_to_stage(crm: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock, stage: str) -> None:
    """By hand: click the current stage and pick another one from the list."""
    crm.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()


@when(parsers.parse("в сделке нажимают кнопку «{label}»"))
def press_button(crm: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock, label: str) -> None:
    crm.press_deal_button(ctx.deal, label)
    clock.run_due()


@when(parsers.parse("сделку переводят в воронку «{funnel}» на этап «{stage}»"))
def change_funnel(crm: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock, funnel: str, stage: str) -> None:
    crm.change_funnel(ctx.deal, funnel, stage)
    clock.run_due()


@when("сделку удаляют")
def delete_deal(crm: CrmDriver, ctx: ScenarioContext) -> None:
    crm.delete_deal(ctx.deal)


@when(parsers.parse("сделку переводят на этап «{stage}» через API"))
def move_to_stage_by_api(crm_api: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock, stage: str) -> None:
    crm_api.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()
