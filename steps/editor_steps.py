"""Шаги об открытом редакторе «Настройки бизнес-процесса» в браузере (сценарии с меткой @ui).

У API нет редактора, на который можно посмотреть: через API эти шаги останавливаются и просят @ui.
"""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from drivers.protocol import CrmDriver, Editor
from steps import text_macros, vocabulary as words
from steps.channel_labels import number_of, pick
from steps.context import ScenarioContext
from steps.file_specs import file_names, file_specs
from steps.phrases import phrase

STAGE_CHECK = words.STAGE_CHECK


def _column(datatable: list[list[str]]) -> list[str]:
    return [row[0].strip() for row in datatable[1:]]


def _bare(label: str) -> str:
    return label.strip().rstrip(":").strip()


def _driver_can(editor: Editor, method: str, what: str) -> Any:
    found = getattr(editor, method, None)
    assert found is not None, f"драйвер браузера не умеет {what}: нужен метод Editor.{method}"
    return found


@when(phrase("администратор открывает редактор бизнес-процесса на этапе «{stage}» воронки «{funnel}»"))
def open_new(crm: CrmDriver, ctx: ScenarioContext, stage: str, funnel: str) -> None:
    ctx.editor_view = crm.open_editor(funnel, stage)


@when("администратор открывает сохранённый бизнес-процесс в редакторе")
def open_saved(crm: CrmDriver, ctx: ScenarioContext) -> None:
    view = crm.business_process(ctx.process)
    ctx.editor_view = crm.open_editor(view.funnel, view.stage, ctx.process)


@then("поля редактора по порядку:")
def field_order(ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """Один столбец «Поле»; подписи сравниваются без двоеточия в конце."""
    expected = _column(datatable)
    actual = [_bare(label) for label in ctx.editor.field_labels()]
    assert actual == expected, f"поля редактора: ожидались\n{expected}\nпоказаны\n{actual}"


@when(phrase("в редакторе выбирают «{label}» в поле «Когда выполнить действие»"))
def choose_timing(ctx: ScenarioContext, label: str) -> None:
    ctx.editor.choose_timing(label)


@then(phrase("в редакторе виден выбор «{label}»"))
def stage_check_visible(ctx: ScenarioContext, label: str) -> None:
    assert label == STAGE_CHECK, f"шаг знает только поле «{STAGE_CHECK}»"
    assert ctx.editor.is_stage_check_visible(), f"поле «{STAGE_CHECK}» не видно, а должно"


@then(phrase("в редакторе не виден выбор «{label}»"))
def stage_check_hidden(ctx: ScenarioContext, label: str) -> None:
    assert label == STAGE_CHECK, f"шаг знает только поле «{STAGE_CHECK}»"
    assert not ctx.editor.is_stage_check_visible(), f"поле «{STAGE_CHECK}» видно, а не должно"


@then(phrase("в редакторе в поле «{label}» выбрано «{value}»"))
def chosen_value(ctx: ScenarioContext, label: str, value: str) -> None:
    read = _driver_can(ctx.editor, "value_of", "читать выбранное значение поля")
    actual = read(label)
    assert actual == value, f"в поле «{label}» ожидалось «{value}», выбрано «{actual}»"


@then(phrase("в редакторе в списке сервисов «{services}»"))
def editor_services(ctx: ScenarioContext, services: str) -> None:
    expected = text_macros.split_list(services)
    actual = ctx.editor.services()
    assert actual == expected, f"в списке сервисов ожидались {expected or 'никакие'}, показаны {actual or 'никакие'}"


@when(phrase("в редакторе выбирают сервис «{service}»"))
def choose_service(ctx: ScenarioContext, service: str) -> None:
    ctx.editor.choose_service(service)


@when(phrase("в редакторе выбирают канал «{channel}»"))
def choose_channel(ctx: ScenarioContext, channel: str) -> None:
    ctx.editor.choose_channel(pick(ctx.editor.channels(), channel))


@then(phrase("в редакторе в списке каналов «{channels}»"))
def editor_channels(ctx: ScenarioContext, channels: str) -> None:
    expected = text_macros.split_list(channels)
    labels = ctx.editor.channels()
    actual = [number_of(label) for label in labels]
    assert actual == expected, f"в списке каналов ожидались {expected or 'никакие'}, показаны {labels or 'никакие'}"


@then("в редакторе канал не выбран")
def no_channel(ctx: ScenarioContext) -> None:
    chosen = ctx.editor.chosen_channel()
    assert chosen is None, f"после смены сервиса канал должен сброситься, а выбран «{chosen}»"


@then("в редакторе варианты получателей:")
def recipient_options(ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    expected = _column(datatable)
    actual = ctx.editor.recipient_options()
    assert actual == expected, f"варианты получателей: ожидались {expected}, показаны {actual}"


@then("в редакторе в списке параметров:")
def parameter_list(ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    expected = _column(datatable)
    actual = ctx.editor.parameters()
    assert actual == expected, f"параметры: ожидались\n{expected}\nпоказаны\n{actual}"


@when(phrase("в редакторе вводят текст «{text}»"))
def type_text(ctx: ScenarioContext, text: str) -> None:
    ctx.editor.type_text(text_macros.expand(text))


@when(phrase("в редакторе ставят курсор после «{fragment}»"))
def place_caret(ctx: ScenarioContext, fragment: str) -> None:
    _driver_can(ctx.editor, "place_caret_after", "ставить курсор в тексте")(fragment)


@when(phrase("в редакторе вставляют параметр «{label}»"))
def insert_parameter(ctx: ScenarioContext, label: str) -> None:
    ctx.editor.insert_parameter(label)


@then(phrase("текст в редакторе «{text}»"))
def editor_text(crm_api: CrmDriver, ctx: ScenarioContext, text: str) -> None:
    """``{Имя клиента}`` — токен, который вставляет редактор."""
    expected = text_macros.expand(text, crm_api.parameter_token)
    actual = ctx.editor.text()
    assert actual == expected, f"текст в редакторе: ожидался {expected!r}, есть {actual!r}"


@when(phrase("в редакторе прикрепляют файлы «{names}»"))
def attach(ctx: ScenarioContext, names: str) -> None:
    for spec in file_specs(names):
        ctx.editor.attach(spec)


@when(phrase("в редакторе удаляют файл «{name}»"))
def remove_file(ctx: ScenarioContext, name: str) -> None:
    ctx.editor.remove_file(name)


@then(phrase("в редакторе прикреплены файлы «{names}»"))
def files_attached(ctx: ScenarioContext, names: str) -> None:
    expected = file_names(names)
    actual = ctx.editor.files()
    assert actual == expected, f"прикреплены файлы {actual}, ожидались {expected}"


@when("в редакторе нажимают «СОХРАНИТЬ»")
def press_save(ctx: ScenarioContext) -> None:
    ctx.last_save = ctx.editor.save()
    if ctx.last_save.process_id is not None:
        ctx.process_id = ctx.last_save.process_id
        ctx.processes.append(ctx.last_save.process_id)


@when("в редакторе нажимают «ОТМЕНА»")
def press_cancel(ctx: ScenarioContext) -> None:
    ctx.editor.cancel()


@then(phrase("в редакторе у поля «{label}» ошибка «{message:A}»"))
def field_error(ctx: ScenarioContext, label: str, message: str) -> None:
    """Ошибка, показанная рядом с самим полем (не сводка вверху формы): ровно этот текст."""
    read = _driver_can(ctx.editor, "field_error", "читать ошибку рядом с полем")
    shown = read(label)
    assert shown == message, f"рядом с полем «{label}» ожидалась ошибка «{message}», показано «{shown or 'ничего'}»"
