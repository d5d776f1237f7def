"""Шаги о бизнес-процессах: сохранение, изменение, повторное открытие, удаление, отказы."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pytest_bdd import given, then, when

from drivers.protocol import CrmDriver, ProcessSpec, ProcessView, SaveResult
from steps import process_fields, text_macros, vocabulary as words
from steps.channel_labels import number_of
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phrases import phrase
from steps.process_tables import process_spec, spec_of, table_fields

DEMO_FUNNEL = "Воронка 2"
_DELAY = re.compile(r"(?P<value>\d+) (?P<unit>[а-яё]+)")


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


def _save_or_fail(crm_api: CrmDriver, ctx: ScenarioContext, spec: ProcessSpec) -> None:
    if spec.service and spec.channel is None:  # arranged without naming the channel: the only active one
        spec.channel = only_channel(crm_api, spec.service)
    result = crm_api.save_business_process(spec)
    assert result.saved, f"бизнес-процесс не сохранился: {result.errors}"
    _remember(ctx, result)


def _funnel_of(crm_api: CrmDriver, ctx: ScenarioContext) -> str:
    """The funnel of the scenario's deal; «Воронка 2» before there is one."""
    return crm_api.deal(ctx.deal_id).funnel if ctx.deal_id is not None else DEMO_FUNNEL


@given(phrase("на этапе «{stage}» воронки «{funnel}» настроен бизнес-процесс:"))
def process_configured(
    crm_api: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, datatable: list[list[str]]
) -> None:
    """Два столбца «поле | значение»: подпись редактора или деловое имя («Сервис», «Канал», «Текст», ...)."""
    _save_or_fail(crm_api, ctx, spec_from_table(crm_api, funnel, stage, datatable))


@given(phrase("на этапе «{stage}» настроен бизнес-процесс:"))
def process_configured_here(crm_api: CrmDriver, ctx: ScenarioContext, stage: str, datatable: list[list[str]]) -> None:
    """Этап воронки сделки сценария (пока сделки нет — «Воронка 2»); поля — как в таблице выше."""
    _save_or_fail(crm_api, ctx, spec_from_table(crm_api, _funnel_of(crm_api, ctx), stage, datatable))


# -- the one-line Given of the common case ----------------------------------------------------------------


def _delay_fields(delay: str) -> tuple[str, str]:
    """ "2 часа" -> ("2", "часы"): the number and the editor's unit."""
    match = _DELAY.fullmatch(delay.strip())
    assert match, f"не понимаю задержку «{delay}» (пример: «2 часа», «10 минут», «3 дня»)"
    for unit, forms in words.DELAY_UNITS.items():
        if match.group("unit") in forms:
            return match.group("value"), unit
    raise AssertionError(f"неизвестная единица задержки «{match.group('unit')}»")


def only_channel(crm_api: CrmDriver, service: str) -> str:
    """The channel a process gets when a scenario names none: the service's only active one."""
    channels = crm_api.available_channels(service)
    assert len(channels) == 1, (
        f"у сервиса {service} в редакторе каналы {channels or 'никакие'}: по умолчанию берётся единственный "
        "активный канал; назовите канал в таблице («Канал | ...»)"
    )
    return channels[0]


def one_line_spec(
    crm_api: CrmDriver, funnel: str, stage: str, service: str, text: str, delay: str | None = None, check: bool = False
) -> ProcessSpec:
    """The editor filled in the common way: the service's only active channel, the default recipients."""
    spec = ProcessSpec(funnel=funnel, stage=stage, service=service, channel=only_channel(crm_api, service))
    spec.text = text_macros.expand(text, crm_api.parameter_token)
    if delay is not None:
        spec.when = words.DELAYED
        spec.delay, spec.unit = _delay_fields(delay)
        spec.check_stage = words.YES if check else words.NO
    return spec


@given(phrase("на этапе «{stage}» бизнес-процесс «{service}» отправляет «{text:A}»"))
@when(phrase("на этапе «{stage}» бизнес-процесс «{service}» отправляет «{text:A}»"))
def process_now(crm_api: CrmDriver, ctx: ScenarioContext, stage: str, service: str, text: str) -> None:
    """«Сразу», единственный активный канал сервиса, «На все контакты и номера»; воронка — сделки сценария."""
    _save_or_fail(crm_api, ctx, one_line_spec(crm_api, _funnel_of(crm_api, ctx), stage, service, text))


@given(phrase("на этапе «{stage}» бизнес-процесс «{service}» через {delay:D} отправляет «{text:A}»"))
def process_later(crm_api: CrmDriver, ctx: ScenarioContext, stage: str, service: str, delay: str, text: str) -> None:
    """«С задержкой» («2 часа», «10 минут», «1 день»), проверка этапа «Нет»."""
    _save_or_fail(crm_api, ctx, one_line_spec(crm_api, _funnel_of(crm_api, ctx), stage, service, text, delay))


@given(phrase("на этапе «{stage}» бизнес-процесс «{service}» через {delay:D} с проверкой этапа отправляет «{text:A}»"))
def process_later_checked(
    crm_api: CrmDriver, ctx: ScenarioContext, stage: str, service: str, delay: str, text: str
) -> None:
    """«С задержкой» и «Проверить, находится ли сделка на выбранном этапе: Да»."""
    spec = one_line_spec(crm_api, _funnel_of(crm_api, ctx), stage, service, text, delay, check=True)
    _save_or_fail(crm_api, ctx, spec)


@given(phrase("на этапе «{stage}» бизнес-процесс «{service}» по правилу «{rule}» отправляет «{text:A}»"))
def process_for_rule(crm_api: CrmDriver, ctx: ScenarioContext, stage: str, service: str, rule: str, text: str) -> None:
    """«Сразу», получатели — по правилу «Выберите на какие контакты отправлять сообщение»."""
    spec = one_line_spec(crm_api, _funnel_of(crm_api, ctx), stage, service, text)
    spec.recipients = rule
    _save_or_fail(crm_api, ctx, spec)


@given(phrase("на этапе «{stage}» воронки «{funnel}» бизнес-процесс «{service}» отправляет «{text:A}»"))
def process_now_in(crm_api: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str, service: str, text: str) -> None:
    _save_or_fail(crm_api, ctx, one_line_spec(crm_api, funnel, stage, service, text))


# -- saving, changing, deleting ---------------------------------------------------------------------------


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


@then(phrase("сохранение отклонено с ошибкой в поле «{label}»: «{message:A}»"))
def refused_with_message(ctx: ScenarioContext, label: str, message: str) -> None:
    """Поле называется подписью редактора; сообщение — целиком то, что CRM сказала об этом поле."""
    result = _refused(ctx)
    messages = [e.message for e in result.errors if e.label == label]
    assert messages, f"ожидалась ошибка в поле «{label}», названы поля {[e.label for e in result.errors]}"
    assert message in messages, f"в поле «{label}» ожидалось «{message}», показано {messages}"


@then(phrase("сохранение отклонено с ошибками в полях «{labels}»"))
def refused_with_fields(ctx: ScenarioContext, labels: str) -> None:
    """Названы ровно эти поля, каждое один раз, и никакие другие."""
    result = _refused(ctx)
    expected = sorted(text_macros.split_list(labels))
    named = sorted(e.label for e in result.errors)
    assert named == expected, f"ожидались ошибки ровно в полях {expected}, названы {named}: {result.errors}"


@then(phrase("на этапе «{stage}» воронки «{funnel}» бизнес-процессов: {count:d}"))
def process_count(crm: CrmDriver, stage: str, funnel: str, count: int) -> None:
    found = crm.business_processes(funnel, stage)
    assert len(found) == count, f"на этапе «{stage}» ожидалось {count} бизнес-процесс(ов), есть {len(found)}"


def _shows(view: ProcessView, crm_api: CrmDriver, datatable: list[list[str]]) -> None:
    problems = []
    for label, expected in table_fields(datatable):
        attribute = process_fields.ATTRIBUTES[label]
        actual = getattr(view, attribute)
        if attribute == "files":
            wanted: object = file_names(expected)
        elif attribute == "text":
            wanted = text_macros.expand(expected, crm_api.parameter_token)
        elif attribute == "channel":
            actual = number_of(actual) if actual else None
            wanted = text_macros.optional(expected)
        else:
            wanted = text_macros.optional(expected)
        if actual != wanted:
            problems.append(f"«{label}»: ожидалось {wanted!r}, показано {actual!r}")
    assert not problems, "бизнес-процесс показывает не то, что сохранено:\n" + "\n".join(problems)


@then("при повторном открытии бизнес-процесс показывает:")
def reopened_shows(crm: CrmDriver, crm_api: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Два столбца «поле | значение»; канал сравнивается по номеру; «—» — пустое поле."""
    _shows(crm.business_process(ctx.process), crm_api, datatable)


@then(phrase("бизнес-процесс этапа «{stage}» воронки «{funnel}» показывает:"))
def stage_process_shows(
    crm: CrmDriver, crm_api: CrmDriver, stage: str, funnel: str, datatable: list[list[str]]
) -> None:
    """Единственный процесс этапа, открытый в редакторе."""
    found = crm.business_processes(funnel, stage)
    assert len(found) == 1, f"на этапе «{stage}» ожидался один бизнес-процесс, есть {len(found)}"
    _shows(crm.business_process(found[0].id), crm_api, datatable)


@then(phrase("сохранение отклонено с ошибкой «{message:A}»"))
def refused_with_any_field(ctx: ScenarioContext, message: str) -> None:
    """Текст ошибки у любого поля (само поле проверяют другие шаги)."""
    result = _refused(ctx)
    assert any(message == e.message for e in result.errors), f"ожидалась ошибка «{message}», показаны {result.errors}"
