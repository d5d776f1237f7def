"""Шаги о бизнес-процессах: сохранение, изменение, повторное открытие, удаление, отказы."""

from __future__ import annotations

from collections.abc import Sequence

from pytest_bdd import given, then, when

from drivers.protocol import CrmDriver, ProcessSpec, SaveResult
from steps import text_macros
from steps.channel_labels import number_of
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phrases import phrase
from steps.process_tables import FIELDS, process_spec, spec_of


def spec_from_table(
    crm_api: CrmDriver, funnel: str, stage: str, rows: Sequence[Sequence[str]], base: ProcessSpec | None = None
) -> ProcessSpec:
    return process_spec(
        funnel, stage, rows, base, token_of=crm_api.parameter_token, channels_of=crm_api.available_channels
    )


def _remember(ctx: ScenarioContext, result: SaveResult) -> None:
    ctx.last_save = result
    if result.process_id is not None:
        ctx.process_id = result.process_id
        if result.process_id not in ctx.processes:
            ctx.processes.append(result.process_id)


@given(phrase("на этапе «{stage}» воронки «{funnel}» настроен бизнес-процесс:"))
def process_configured(
    crm_api: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, datatable: list[list[str]]
) -> None:
    """Два столбца «поле | значение» с подписями редактора; не названные поля — по умолчанию."""
    result = crm_api.save_business_process(spec_from_table(crm_api, funnel, stage, datatable))
    assert result.saved, f"бизнес-процесс не сохранился: {result.errors}"
    _remember(ctx, result)


@when(phrase("администратор сохраняет бизнес-процесс на этапе «{stage}» воронки «{funnel}»:"))
def save_process(
    crm: CrmDriver, crm_api: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, datatable: list[list[str]]
) -> None:
    _remember(ctx, crm.save_business_process(spec_from_table(crm_api, funnel, stage, datatable)))


@given("администратор изменил в бизнес-процессе:")
def process_changed(crm_api: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    saved = crm_api.business_process(ctx.process)
    spec = spec_from_table(crm_api, saved.funnel, saved.stage, datatable, spec_of(saved))
    result = crm_api.save_business_process(spec, ctx.process)
    assert result.saved, f"изменение бизнес-процесса не сохранилось: {result.errors}"
    ctx.last_save = result


@when("администратор меняет в бизнес-процессе:")
def edit_process(crm: CrmDriver, crm_api: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Меняются только названные поля; прикреплённые файлы остаются, названные здесь добавляются."""
    saved = crm_api.business_process(ctx.process)
    spec = spec_from_table(crm_api, saved.funnel, saved.stage, datatable, spec_of(saved))
    ctx.last_save = crm.save_business_process(spec, ctx.process)


@when("администратор удаляет бизнес-процесс")
def delete_process(crm: CrmDriver, ctx: ScenarioContext) -> None:
    crm.delete_business_process(ctx.process)


@then("бизнес-процесс сохранён")
def saved(ctx: ScenarioContext) -> None:
    assert ctx.last_save is not None, "в сценарии не было сохранения"
    assert ctx.last_save.saved, f"ожидалось сохранение, а оно отклонено: {ctx.last_save.errors}"


def _refused(ctx: ScenarioContext) -> SaveResult:
    result = ctx.last_save
    assert result is not None, "в сценарии не было сохранения"
    assert not result.saved, f"ожидался отказ в сохранении, а бизнес-процесс сохранён (№{result.process_id})"
    return result


def refused_with_field(ctx: ScenarioContext, label: str) -> None:
    result = _refused(ctx)
    labels = [e.label for e in result.errors]
    assert label in labels, f"ожидалась ошибка в поле «{label}», названы поля {labels}: {result.errors}"


@then(phrase("сохранение отклонено с ошибкой в поле «{label}»: «{message:A}»"))
def refused_with_message(ctx: ScenarioContext, label: str, message: str) -> None:
    """Поле называется подписью редактора; сообщение может быть частью показанного."""
    refused_with_field(ctx, label)
    assert ctx.last_save is not None
    messages = [e.message for e in ctx.last_save.errors if e.label == label]
    assert any(message in m for m in messages), f"в поле «{label}» ожидалось «{message}», показано {messages}"


@then(phrase("сохранение отклонено с ошибками в полях «{labels}»"))
def refused_with_fields(ctx: ScenarioContext, labels: str) -> None:
    result = _refused(ctx)
    expected = text_macros.split_list(labels)
    named = [e.label for e in result.errors]
    missing = [label for label in expected if label not in named]
    assert not missing, f"не названы поля {missing}; ошибки: {result.errors}"


@then(phrase("на этапе «{stage}» воронки «{funnel}» бизнес-процессов: {count:d}"))
def process_count(crm: CrmDriver, stage: str, funnel: str, count: int) -> None:
    found = crm.business_processes(funnel, stage)
    assert len(found) == count, f"на этапе «{stage}» ожидалось {count} бизнес-процесс(ов), есть {len(found)}"


@then("при повторном открытии бизнес-процесс показывает:")
def reopened_shows(crm: CrmDriver, crm_api: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Два столбца «поле | значение»; канал сравнивается по номеру; «—» — пустое поле."""
    view = crm.business_process(ctx.process)
    problems = []
    for row in datatable:
        label, expected = row[0].strip(), row[1].strip()
        if label.lower() == "поле":
            continue
        attribute = FIELDS[label]
        actual = getattr(view, attribute)
        if attribute == "files":
            wanted: object = file_names(expected)
        elif attribute == "text":
            wanted = "" if expected in {"", "—"} else text_macros.expand(expected, crm_api.parameter_token)
        elif attribute == "channel":
            actual = number_of(actual) if actual else None
            wanted = None if expected in {"", "—"} else expected
        else:
            wanted = None if expected in {"", "—"} else expected
        if actual != wanted:
            problems.append(f"«{label}»: ожидалось {wanted!r}, показано {actual!r}")
    assert not problems, "бизнес-процесс показывает не то, что сохранено:\n" + "\n".join(problems)


@then(phrase("сохранение отклонено с ошибкой «{message:A}»"))
def refused_with_any_field(ctx: ScenarioContext, message: str) -> None:
    """Текст ошибки у любого поля (само поле проверяют другие шаги)."""
    result = _refused(ctx)
    assert any(message in e.message for e in result.errors), f"ожидалась ошибка «{message}», показаны {result.errors}"
