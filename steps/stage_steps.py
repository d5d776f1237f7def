"""Шаги, которые двигают сделку и этим запускают бизнес-процессы: этапы, кнопки, воронки, API."""

from __future__ import annotations

from pytest_bdd import given, then, when

from drivers.protocol import ContactSpec, CrmDriver, FunnelButtons
from harness.clock import ScenarioClock
from mocks.interface import FakeProviders
from steps import text_macros
from steps.context import ScenarioContext
from steps.deal_defaults import CLIENT, DEFAULT_PHONE
from steps.phrases import phrase


def mark_journals(ctx: ScenarioContext, providers: FakeProviders) -> None:
    """Remember how many requests each service had received before the deal first moved in this scenario."""
    if ctx.journal_marks is None:
        ctx.journal_marks = {fake.name: len(fake.journal) for fake in providers.all()}


@given(phrase("сделку перевели на этап «{stage}»"))
@when(phrase("сделку переводят на этап «{stage}»"))
def move_to_stage(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stage: str
) -> None:
    """Вручную: нажать на текущий этап и выбрать другой; наступившие действия выполняются сразу."""
    _move(crm, ctx, providers, clock, ctx.deal, stage)


@when(phrase("вторую сделку переводят на этап «{stage}»"))
def move_second_deal(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stage: str
) -> None:
    _move(crm, ctx, providers, clock, ctx.second_deal, stage)


def _move(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, deal_id: int, stage: str
) -> None:
    mark_journals(ctx, providers)
    crm.move_deal_to_stage(deal_id, stage)
    clock.run_due()


@when(phrase("сделку переводят по этапам «{stages}»"))
def move_through(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stages: str
) -> None:
    """Этап за этапом в одну и ту же минуту, например «В работе, Новая, В работе»."""
    mark_journals(ctx, providers)
    for stage in text_macros.split_list(stages):
        crm.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()


@when(phrase("в сделке повторно выбирают текущий этап «{stage}»"))
def reselect_stage(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stage: str
) -> None:
    mark_journals(ctx, providers)
    current = crm.deal(ctx.deal).stage
    assert current == stage, f"сделка на этапе «{current}», а шаг повторно выбирает «{stage}»"
    crm.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()


@when(phrase("в сделке нажимают кнопку «{label}»"))
def press_button(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, label: str
) -> None:
    mark_journals(ctx, providers)
    crm.press_deal_button(ctx.deal, label)
    clock.run_due()


@when(phrase("сделку переводят в воронку «{funnel}» на этап «{stage}»"))
def change_funnel(
    crm: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, funnel: str, stage: str
) -> None:
    mark_journals(ctx, providers)
    crm.change_funnel(ctx.deal, funnel, stage)
    clock.run_due()


@when(phrase("сделку переводят на этап «{stage}» через API"))
def move_to_stage_by_api(
    crm_api: CrmDriver, ctx: ScenarioContext, providers: FakeProviders, clock: ScenarioClock, stage: str
) -> None:
    """Внешняя система меняет этап через REST API."""
    mark_journals(ctx, providers)
    crm_api.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()


@when(phrase("через API в сделке нажимают кнопку «{label}» воронки «{funnel}»"))
def press_other_funnels_button(
    crm_api: CrmDriver,
    ctx: ScenarioContext,
    providers: FakeProviders,
    clock: ScenarioClock,
    label: str,
    funnel: str,
) -> None:
    """Внешняя система передаёт кнопку по её номеру — в том числе кнопку чужой воронки."""
    assert isinstance(crm_api, FunnelButtons), "драйвер API не умеет нажимать кнопки чужой воронки"
    mark_journals(ctx, providers)
    ctx.last_page = crm_api.press_funnel_button(ctx.deal, funnel, label)
    clock.run_due()


@then("CRM отказала: такой кнопки у сделки нет")
def button_refused(ctx: ScenarioContext) -> None:
    result = ctx.last_page
    assert result is not None and not result.allowed, f"кнопку чужой воронки CRM приняла: {result}"
    assert "Кнопка" in result.message, f"отказ не называет кнопку: «{result.message}»"


@when(phrase("менеджер «{login}» с паролем «{password}» переводит сделку на этап «{stage}»"))
def manager_moves(
    crm: CrmDriver,
    ctx: ScenarioContext,
    providers: FakeProviders,
    clock: ScenarioClock,
    login: str,
    password: str,
    stage: str,
) -> None:
    mark_journals(ctx, providers)
    crm.sign_in(login, password)
    crm.move_deal_to_stage(ctx.deal, stage)
    clock.run_due()


@when(phrase("создают сделку в воронке «{funnel}» на этапе «{stage}»"))
def create_deal_on_stage(crm: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock, funnel: str, stage: str) -> None:
    contact = ContactSpec(name=CLIENT, primary=True, phones=(DEFAULT_PHONE,))
    ctx.deal_id = crm.create_deal(funnel, stage, client_name=CLIENT, contacts=[contact])
    clock.run_due()


@when("сделку удаляют")
def delete_deal(crm: CrmDriver, ctx: ScenarioContext) -> None:
    crm.delete_deal(ctx.deal)
