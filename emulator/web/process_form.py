"""The editor "Настройки бизнес-процесса" as submitted (strings) <-> ProcessDraft, and what the editor offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import files, row_ids
from emulator.api import presenters
from emulator.business_processes import ProcessDraft
from emulator.errors import FieldError
from emulator.integrations import available_services
from emulator.model_enums import RecipientRule, Timing
from emulator.models import Channel, CustomField, Integration, StoredFile
from emulator.vocabulary import (
    ACTION_LABELS,
    CHECK_STAGE_LABELS,
    DELAY_UNIT_LABELS,
    PROVIDER_LABELS,
    RECIPIENT_RULE_LABELS,
    TIMING_LABELS,
)

UNAVAILABLE = " (недоступен)"
# The texts behind the editor's «?».
HINTS = {
    "action": "Что сделает бизнес-процесс, когда сделка перейдёт на этот этап. Доступное действие — отправить "
    "клиенту сообщение в WhatsApp через подключённый сервис.",
    "timing": "«Сразу» — в момент перехода сделки на этап. «С задержкой» — через заданное число минут, часов "
    "или дней после перехода (от 1 минуты до 365 дней).",
    "check_stage": "Если отмечено («Да»), перед отправкой CRM проверит, что сделка всё ещё на этом этапе; "
    "сделку перевели дальше — сообщение не отправляется, в ленте сделки будет причина.",
}


@dataclass
class EditorForm:
    """The editor's fields exactly as the user left them."""

    stage_id: str = ""
    action: str = "whatsapp_message"
    timing: str = Timing.IMMEDIATE.value
    delay_value: str = ""
    delay_unit: str = "minutes"
    check_stage: str = "false"
    provider: str = ""
    channel_id: str = ""
    recipient_rule: str = RecipientRule.ALL_CONTACTS_ALL_NUMBERS.value
    text: str = ""
    file_ids: list[str] = field(default_factory=list)

    @property
    def delayed(self) -> bool:
        return self.timing == Timing.DELAYED

    def draft(self) -> ProcessDraft:
        return ProcessDraft(
            stage_id=self.stage_id,
            action=self.action,
            timing=self.timing,
            delay_value=self.delay_value if self.delayed else None,
            delay_unit=self.delay_unit if self.delayed else None,
            check_stage=self.check_stage if self.delayed else False,
            provider=self.provider or None,
            channel_id=self.channel_id or None,
            recipient_rule=self.recipient_rule,
            text=self.text.replace("\r\n", "\n"),
            file_ids=[f for f in self.file_ids if f],
        )


def form_of(draft: ProcessDraft) -> EditorForm:
    """A saved process (its draft) as the editor's strings."""
    return EditorForm(
        stage_id=str(draft.stage_id),
        action=str(draft.action),
        timing=str(draft.timing),
        delay_value="" if draft.delay_value is None else str(draft.delay_value),
        delay_unit=str(draft.delay_unit or "minutes"),
        check_stage="true" if draft.check_stage else "false",
        provider=str(draft.provider or ""),
        channel_id="" if draft.channel_id is None else str(draft.channel_id),
        recipient_rule=str(draft.recipient_rule),
        text=str(draft.text),
        file_ids=[str(f) for f in draft.file_ids],
    )


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def _options(labels: dict[Any, str]) -> list[Option]:
    return [Option(str(key), label) for key, label in labels.items()]


def _channel_option(channel: Channel) -> Option:
    label = presenters.channel_label(channel)
    return Option(str(channel.id), label if channel.active else label + UNAVAILABLE)


def _services(session: Session, form: EditorForm) -> tuple[list[Option], dict[str, list[Option]]]:
    """Available services with their active channels; a chosen one that is no longer usable stays, marked."""
    services: list[Option] = []
    channels: dict[str, list[Option]] = {}
    for service in available_services(session):
        services.append(Option(service.provider, PROVIDER_LABELS[service.provider]))
        channels[service.provider] = [_channel_option(c) for c in service.channels]
    if form.provider and form.provider not in channels and form.provider in PROVIDER_LABELS:
        services.append(Option(form.provider, PROVIDER_LABELS[form.provider] + UNAVAILABLE))
        channels[form.provider] = []
    chosen = row_ids.get(session, Channel, row_ids.parse(form.channel_id))
    if chosen is not None and form.provider in channels:
        integration = session.get(Integration, chosen.integration_id)
        listed = {o.value for o in channels[form.provider]}
        if integration is not None and integration.provider == form.provider and str(chosen.id) not in listed:
            channels[form.provider].append(_channel_option(chosen))
    return services, channels


@dataclass(frozen=True)
class ChosenFile:
    id: int
    name: str


def _files(session: Session, file_ids: list[str]) -> list[ChosenFile]:
    chosen = []
    for raw in file_ids:
        stored = row_ids.get(session, StoredFile, row_ids.parse(raw))
        if stored is not None:
            chosen.append(ChosenFile(stored.id, stored.filename))
    return chosen


def editor_context(session: Session, form: EditorForm, errors: list[FieldError]) -> dict[str, Any]:
    """Everything the editor template needs: options, the user's values, errors by field and as a summary."""
    services, channels = _services(session, form)
    custom = list(session.scalars(select(CustomField).order_by(CustomField.id)))
    by_field: dict[str, str] = {}
    for error in errors:
        by_field[error.field] = "; ".join(filter(None, [by_field.get(error.field), error.message]))
    return {
        "form": form,
        "actions": _options(ACTION_LABELS),
        "timings": _options(TIMING_LABELS),
        "units": _options(DELAY_UNIT_LABELS),
        "checks": CHECK_STAGE_LABELS,
        "hints": HINTS,
        "limits": {"max_files": files.MAX_FILES_PER_PROCESS, "max_megabytes": files.MAX_FILE_BYTES // (1024 * 1024)},
        "services": services,
        "channels": channels.get(form.provider, []),
        "channels_by_service": {k: [{"value": o.value, "label": o.label} for o in v] for k, v in channels.items()},
        "recipients": _options(RECIPIENT_RULE_LABELS),
        "parameters": presenters.parameter_catalogue(custom),
        "files": _files(session, form.file_ids),
        "errors": by_field,
        "summary": [f"{e.label}: {e.message}" for e in errors],
    }
