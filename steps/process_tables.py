"""A business process written as the editor's fields: a two-column table "поле | значение"."""

from __future__ import annotations

from collections.abc import Sequence

from drivers.protocol import ProcessSpec
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


def process_spec(
    funnel: str, stage: str, rows: Sequence[Sequence[str]], defaults: ProcessSpec | None = None
) -> ProcessSpec:
    """Rows override ``defaults`` (or the editor's defaults); "(пусто)" leaves a field empty."""
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
        elif value.strip() in EMPTY:
            setattr(spec, attribute, "" if attribute == "text" else None)
        else:
            setattr(spec, attribute, value.replace("\\n", "\n"))
    return spec
