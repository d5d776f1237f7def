"""A business process between the user's terms (ProcessSpec, ProcessView) and the API's schemas."""

from __future__ import annotations

from collections.abc import Callable

from drivers import names
from drivers.protocol import ProcessSpec, ProcessView
from emulator.api.process_schemas import ProcessIn, ProcessOut
from emulator.vocabulary import ACTION_LABELS


def _value_of(convert: Callable[[str], str], label: str | None) -> str | None:
    """The API value of an option label; an unknown label goes as typed, for the CRM to refuse."""
    if label is None:
        return None
    try:
        return convert(label)
    except KeyError:
        return label


def process_in(spec: ProcessSpec, stage_id: int, channel_id: int | str | None, file_ids: list[int]) -> ProcessIn:
    action = next((k for k, v in ACTION_LABELS.items() if v == spec.action), spec.action)
    return ProcessIn(
        stage_id=stage_id,
        action=action,
        timing=_value_of(names.timing_value, spec.when),
        delay_value=spec.delay,
        delay_unit=_value_of(names.unit_value, spec.unit),
        check_stage={"Да": True, "Нет": False}.get(spec.check_stage, spec.check_stage),
        provider=_value_of(names.provider_key, spec.service),
        channel_id=channel_id,
        recipient_rule=_value_of(names.recipient_rule_value, spec.recipients),
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
