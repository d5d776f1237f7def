"""A business process written as the editor's fields: a two-column table "поле | значение"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from drivers.protocol import ProcessSpec, ProcessView
from steps import channel_labels, text_macros
from steps.file_specs import file_specs

FIELDS = {
    "Выберите действие": "action",
    "Когда выполнить действие": "when",
    "Задержка": "delay",
    "Единица задержки": "unit",
    "Проверить, находится ли сделка на выбранном этапе": "check_stage",
    "Выберите сервис": "service",
    "Выберите название канала": "channel",
    "Выберите на какие контакты отправлять сообщение": "recipients",
    "Введите текст сообщения": "text",
    "Добавить файлы": "files",
}
EMPTY = {"", "—", "(пусто)"}


def spec_of(view: ProcessView) -> ProcessSpec:
    """A saved process as the editor shows it again (files stay attached, so none are added)."""
    return ProcessSpec(
        funnel=view.funnel,
        stage=view.stage,
        action=view.action,
        when=view.when,
        delay=view.delay,
        unit=view.unit,
        check_stage=view.check_stage,
        service=view.service,
        channel=view.channel,
        recipients=view.recipients,
        text=view.text,
    )


def process_spec(
    funnel: str,
    stage: str,
    rows: Sequence[Sequence[str]],
    defaults: ProcessSpec | None = None,
    *,
    token_of: Callable[[str], str] | None = None,
    channels_of: Callable[[str], list[str]] | None = None,
) -> ProcessSpec:
    """Rows override ``defaults`` (or the editor's defaults); "(пусто)" leaves a field empty.

    Texts go through :mod:`text_macros` (``{Имя клиента}`` -> its token); a channel given by its number
    is picked from the editor's list of the chosen service, the way a user picks it.
    """
    spec = defaults or ProcessSpec(funnel=funnel, stage=stage)
    spec.funnel, spec.stage = funnel, stage
    for row in rows:
        if len(row) < 2:
            raise ValueError(f"строка таблицы бизнес-процесса должна иметь два столбца: {row}")
        label, value = row[0].strip(), row[1]
        if label.lower() in {"поле", "field"}:
            continue
        if label not in FIELDS:
            raise KeyError(f"в редакторе нет поля «{label}» (есть: {', '.join(FIELDS)})")
        attribute = FIELDS[label]
        if attribute == "files":
            spec.files = file_specs(value)
        elif attribute == "text":
            spec.text = text_macros.expand(value, token_of) if token_of else text_macros.expand(value)
        elif value.strip() in EMPTY:
            setattr(spec, attribute, None)
        else:
            setattr(spec, attribute, value.strip())
    if spec.service and spec.channel and channels_of is not None:
        spec.channel = channel_labels.pick(channels_of(spec.service), spec.channel)
    return spec
