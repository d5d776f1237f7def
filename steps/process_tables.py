"""A business process written as the editor's fields: a two-column table "поле | значение".

Fields are named by the editor's label or its business name (:mod:`steps.process_fields`); «—» leaves a
field empty; fields not named keep the editor's defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from drivers.protocol import ProcessSpec, ProcessView
from steps import channel_labels, process_fields, text_macros
from steps.file_specs import file_specs

HEADER_WORDS = {"поле", "field"}


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


def table_fields(rows: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """(editor label, cell) of each row; a header row «Поле | Значение» is skipped."""
    result = []
    for row in rows:
        if len(row) < 2:
            raise ValueError(f"строка таблицы бизнес-процесса должна иметь два столбца: {row}")
        if row[0].strip().lower() in HEADER_WORDS:
            continue
        result.append((process_fields.editor_label(row[0]), row[1]))
    return result


def process_spec(
    funnel: str,
    stage: str,
    rows: Sequence[Sequence[str]],
    defaults: ProcessSpec | None = None,
    *,
    token_of: Callable[[str], str] | None = None,
    channels_of: Callable[[str], list[str]] | None = None,
) -> ProcessSpec:
    """Rows override ``defaults`` (or the editor's defaults); «—» leaves a field empty.

    Texts go through :mod:`text_macros` (``{Имя клиента}`` -> its token); a channel given by its number
    is picked from the editor's list of the chosen service, the way a user picks it.
    """
    spec = defaults or ProcessSpec(funnel=funnel, stage=stage)
    spec.funnel, spec.stage = funnel, stage
    for label, value in table_fields(rows):
        attribute = process_fields.ATTRIBUTES[label]
        if attribute == "files":
            spec.files = file_specs(value)
        elif attribute == "text":
            spec.text = text_macros.expand(value, token_of) if token_of else text_macros.expand(value)
        else:
            setattr(spec, attribute, text_macros.optional(value))
    if spec.service and spec.channel and channels_of is not None:
        spec.channel = channel_labels.pick(channels_of(spec.service), spec.channel)
    return spec
