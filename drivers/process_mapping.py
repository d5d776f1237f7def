"""A business process between the user's terms (ProcessSpec, ProcessView) and the API's schemas.

Option labels are translated with the options the CRM itself reports (``editor-options``), never with
the emulator's own tables: the driver knows only what any client of the API could know.
"""

from __future__ import annotations

from drivers.protocol import ProcessSpec, ProcessView
from emulator.api.process_schemas import EditorOptions, OptionOut, ProcessIn, ProcessOut

CHECK_STAGE = {"Да": True, "Нет": False}


def _value_of(options: list[OptionOut], label: str | None) -> str | None:
    """The API value of an option label; an unknown label goes as typed, for the CRM to refuse."""
    if label is None:
        return None
    return next((o.value for o in options if o.label == label), label)


def process_in(
    spec: ProcessSpec,
    options: EditorOptions,
    stage_id: int,
    provider: str | None,
    channel_id: int | str | None,
    file_ids: list[int],
) -> ProcessIn:
    check = spec.check_stage
    return ProcessIn(
        stage_id=stage_id,
        action=_value_of(options.actions, spec.action),
        timing=_value_of(options.timings, spec.when),
        delay_value=spec.delay,
        delay_unit=_value_of(options.delay_units, spec.unit),
        check_stage=CHECK_STAGE.get(check, check) if check is not None else None,
        provider=provider,
        channel_id=channel_id,
        recipient_rule=_value_of(options.recipient_rules, spec.recipients),
        text=spec.text,
        file_ids=list(file_ids),
    )


def view(process: ProcessOut, available_services: set[str]) -> ProcessView:
    """``available_services``: the provider keys the editor offers now (an unavailable one is marked there)."""
    return ProcessView(
        id=process.id,
        funnel=process.funnel_name,
        stage=process.stage_name,
        action=process.action_label,
        when=process.timing_label,
        delay=str(process.delay_value) if process.delay_value is not None else None,
        unit=process.delay_unit_label,
        check_stage="Да" if process.check_stage else "Нет",
        service=process.provider_label,
        channel=process.channel.display if process.channel else None,
        recipients=process.recipient_rule_label,
        text=process.text,
        files=[f.filename for f in process.files],
        version=process.version,
        service_available=process.provider in available_services,
        channel_available=process.channel.active if process.channel else True,
    )
