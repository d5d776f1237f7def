"""Шаги об отложенных запусках в сделке: что запланировано, на когда, отмена."""

from __future__ import annotations

from pytest_bdd import then, when

from drivers.protocol import CrmDriver
from harness.clock import ScenarioClock
from steps import text_macros
from steps.context import ScenarioContext
from steps.phrases import phrase


def _dues(crm: CrmDriver, ctx: ScenarioContext) -> list[str]:
    return [run.due for run in crm.scheduled_runs(ctx.deal)]


@then(phrase("у сделки запланирован запуск бизнес-процесса на «{when}»"))
def one_run_due(crm: CrmDriver, ctx: ScenarioContext, when: str) -> None:
    dues = _dues(crm, ctx)
    assert dues == [when], f"ожидался один запланированный запуск на «{when}», у сделки: {dues or 'ни одного'}"


@then(phrase("у сделки запланированы запуски на «{whens}»"))
def runs_due(crm: CrmDriver, ctx: ScenarioContext, whens: str) -> None:
    expected = text_macros.split_list(whens)
    dues = _dues(crm, ctx)
    assert dues == expected, f"ожидались запуски на {expected}, у сделки: {dues or 'ни одного'}"


@then("у сделки нет запланированных запусков")
def no_runs(crm: CrmDriver, ctx: ScenarioContext) -> None:
    dues = _dues(crm, ctx)
    assert not dues, f"у сделки остались запланированные запуски на {dues}"


@when("администратор отменяет запланированный запуск")
def cancel_run(crm: CrmDriver, ctx: ScenarioContext, clock: ScenarioClock) -> None:
    runs = crm.scheduled_runs(ctx.deal)
    assert len(runs) == 1, f"для отмены ожидался один запланированный запуск, у сделки {len(runs)}"
    crm.cancel_scheduled_run(ctx.deal, runs[0].id)
    clock.run_due()
