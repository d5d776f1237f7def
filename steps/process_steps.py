"""Steps about business processes: the editor's fields, saving, reopening, deleting."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from drivers.protocol import CrmDriver, ProcessSpec
from steps.context import ScenarioContext
from steps.process_tables import FIELDS, process_spec


def _remember(ctx: ScenarioContext, process_id: int | None) -> None:
    if process_id is not None:
        ctx.process_id = process_id
        ctx.processes.append(process_id)


@given(parsers.parse("на этапе «{stage}» воронки «{funnel}» настроен бизнес-процесс:"))
def process_configured(
    crm_api: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, datatable: list[list[str]]
) -> None:
    result = crm_api.save_business_process(process_spec(funnel, stage, datatable))
    assert result.saved, f"бизнес-процесс не сохранился: {result.errors}"
    _remember(ctx, result.process_id)


@when(parsers.parse("администратор сохраняет бизнес-процесс на этапе «{stage}» воронки «{funnel}»:"))
def save_process(crm: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, datatable: list[list[str]]) -> None:
    ctx.last_save = crm.save_business_process(process_spec(funnel, stage, datatable))
    _remember(ctx, ctx.last_save.process_id)


@when("администратор меняет в бизнес-процессе:")
def edit_process(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    assert ctx.process_id is not None, "в сценарии нет сохранённого бизнес-процесса"
    saved = crm.business_process(ctx.process_id)
    base = ProcessSpec(
        funnel=saved.funnel,
        stage=saved.stage,
        action=saved.action,
        when=saved.when,
        delay=saved.delay,
        unit=saved.unit,
        check_stage=saved.check_stage,
        service=saved.service,
        channel=saved.channel,
        recipients=saved.recipients,
        text=saved.text,
    )
    ctx.last_save = crm.save_business_process(process_spec(saved.funnel, saved.stage, datatable, base), ctx.process_id)


@when("администратор удаляет бизнес-процесс")
def delete_process(crm: CrmDriver, ctx: ScenarioContext) -> None:
    assert ctx.process_id is not None, "в сценарии нет сохранённого бизнес-процесса"
    crm.delete_business_process(ctx.process_id)


@then("бизнес-процесс сохранён")
def saved(ctx: ScenarioContext) -> None:
    assert ctx.last_save is not None, "в сценарии не было сохранения"
    assert ctx.last_save.saved, f"сохранение отклонено: {ctx.last_save.errors}"


@then(parsers.parse("сохранение отклонено с ошибкой в поле «{label}»"))
def refused_with_field(ctx: ScenarioContext, label: str) -> None:
    result = ctx.last_save
    assert result is not None, "в сценарии не было сохранения"
    assert not result.saved, "бизнес-процесс сохранился, а должен быть отклонён"
    labels = [e.label for e in result.errors]
    assert label in labels, f"ожидалась ошибка в поле «{label}», названы: {result.errors}"


@then(parsers.parse("сохранение отклонено с ошибкой в поле «{label}»: «{message}»"))
def refused_with_message(ctx: ScenarioContext, label: str, message: str) -> None:
    refused_with_field(ctx, label)
    assert ctx.last_save is not None
    messages = [e.message for e in ctx.last_save.errors if e.label == label]
    assert any(message in m for m in messages), f"в поле «{label}» ожидалось «{message}», показано {messages}"


@then(parsers.parse("на этапе «{stage}» воронки «{funnel}» бизнес-процессов: {count:d}"))
def process_count(crm: CrmDriver, stage: str, funnel: str, count: int) -> None:
    found = crm.business_processes(funnel, stage)
    assert len(found) == count, f"на этапе «{stage}» {len(found)} бизнес-процесс(ов), ожидалось {count}"


@then("при повторном открытии бизнес-процесс показывает:")
def reopened_shows(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    assert ctx.process_id is not None, "в сценарии нет сохранённого бизнес-процесса"
    view = crm.business_process(ctx.process_id)
    for row in datatable:
        label, expected = row[0].strip(), row[1]
        if label.lower() == "поле":
            continue
        attribute = FIELDS[label]
        actual = view.files if attribute == "files" else getattr(view, attribute)
        if attribute == "files":
            wanted = [name.strip() for name in expected.split(",") if name.strip() not in {"", "—"}]
            assert actual == wanted, f"«{label}»: ожидалось {wanted}, показано {actual}"
        else:
            shown = actual if actual is not None else "—"
            assert shown == expected.replace("\\n", "\n"), f"«{label}»: ожидалось «{expected}», показано «{shown}»"
