"""The business-process fields as a table names them: the editor's label, or its business name.

A table may say «Сервис» where the editor says «Выберите сервис»; this module is the one place that maps
the business names to the editor's labels (spelled in :mod:`steps.vocabulary`) and the labels to the
attributes of :class:`drivers.protocol.ProcessSpec`.
"""

from __future__ import annotations

from steps import vocabulary as words

# editor label -> ProcessSpec / ProcessView attribute
ATTRIBUTES = {
    words.ACTION: "action",
    words.TIMING: "when",
    words.DELAY: "delay",
    words.UNIT: "unit",
    words.STAGE_CHECK: "check_stage",
    words.SERVICE: "service",
    words.CHANNEL: "channel",
    words.RECIPIENTS: "recipients",
    words.TEXT: "text",
    words.FILES: "files",
}

# business name (what a product owner calls the field) -> editor label
BUSINESS_NAMES = {
    "Действие": words.ACTION,
    "Когда": words.TIMING,
    "Задержка": words.DELAY,
    "Единица": words.UNIT,
    "Проверка этапа": words.STAGE_CHECK,
    "Сервис": words.SERVICE,
    "Канал": words.CHANNEL,
    "Получатели": words.RECIPIENTS,
    "Текст": words.TEXT,
    "Файлы": words.FILES,
}


def editor_label(name: str) -> str:
    """The editor's label of a field named by its label or its business name."""
    name = name.strip()
    if name in ATTRIBUTES:
        return name
    if name in BUSINESS_NAMES:
        return BUSINESS_NAMES[name]
    known = ", ".join([*BUSINESS_NAMES, *ATTRIBUTES])
    raise KeyError(f"в редакторе нет поля «{name}» (есть: {known})")


def attribute(name: str) -> str:
    return ATTRIBUTES[editor_label(name)]
