"""JSON API of business processes: the same validation as the editor "Настройки бизнес-процесса"."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from emulator import business_processes
from emulator.api import presenters
from emulator.api.bearer_route import BearerRoute
from emulator.api.bounded_fields import RowId
from emulator.api.dependencies import AdminDep, SessionDep, SettingsDep
from emulator.api.process_schemas import EditorOptions, OptionOut, ProcessIn, ProcessOut, ServiceOut
from emulator.integrations import available_services
from emulator.models import CustomField
from emulator.vocabulary import (
    ACTION_LABELS,
    DELAY_UNIT_LABELS,
    FIELD_LABELS,
    PROVIDER_LABELS,
    RECIPIENT_RULE_LABELS,
    TIMING_LABELS,
)

router = APIRouter(prefix="/api/business-processes", tags=["Бизнес-процессы"], route_class=BearerRoute)


def _draft(body: ProcessIn) -> business_processes.ProcessDraft:
    return business_processes.ProcessDraft(**body.model_dump())


def _options(labels: dict[str, str]) -> list[OptionOut]:
    return [OptionOut(value=k, label=v) for k, v in labels.items()]


# The editor's fixed lists, built once (a response copies them: nothing changes these).
ACTIONS, TIMINGS = _options(ACTION_LABELS), _options(TIMING_LABELS)
DELAY_UNITS, RECIPIENT_RULES = _options(DELAY_UNIT_LABELS), _options(RECIPIENT_RULE_LABELS)


@router.get("/editor-options", response_model=EditorOptions)
def editor_options(session: SessionDep, _: AdminDep) -> EditorOptions:
    custom = list(session.scalars(select(CustomField).order_by(CustomField.id)))
    return EditorOptions(
        actions=list(ACTIONS),
        timings=list(TIMINGS),
        delay_units=list(DELAY_UNITS),
        recipient_rules=list(RECIPIENT_RULES),
        services=[
            ServiceOut(
                provider=s.provider,
                label=PROVIDER_LABELS[s.provider],
                channels=[presenters.channel_ref(c) for c in s.channels],
            )
            for s in available_services(session)
        ],
        parameters=presenters.parameter_catalogue(custom),
        field_labels=FIELD_LABELS,
    )


@router.get("", response_model=list[ProcessOut])
def list_processes(
    session: SessionDep, settings: SettingsDep, _: AdminDep, stage_id: RowId | None = None
) -> list[ProcessOut]:
    return [presenters.process_out(settings, p) for p in business_processes.list_processes(session, stage_id)]


@router.post("", response_model=ProcessOut, status_code=status.HTTP_201_CREATED)
def create_process(body: ProcessIn, session: SessionDep, settings: SettingsDep, _: AdminDep) -> ProcessOut:
    return presenters.process_out(settings, business_processes.save(session, _draft(body)))


@router.get("/{process_id}", response_model=ProcessOut)
def get_process(process_id: int, session: SessionDep, settings: SettingsDep, _: AdminDep) -> ProcessOut:
    return presenters.process_out(settings, business_processes.get_process(session, process_id))


@router.put("/{process_id}", response_model=ProcessOut)
def update_process(
    process_id: int, body: ProcessIn, session: SessionDep, settings: SettingsDep, _: AdminDep
) -> ProcessOut:
    return presenters.process_out(settings, business_processes.save(session, _draft(body), process_id))


@router.delete("/{process_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_process(process_id: int, session: SessionDep, _: AdminDep) -> None:
    business_processes.delete(session, process_id)
