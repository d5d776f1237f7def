"""Saving, reading and deleting business processes, with the editor's validation.

The HTML editor and the JSON API both hand a :class:`ProcessDraft` (raw values as typed) to
:func:`save`, so both refuse the same input with the same field named, and a refused save
stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from emulator import clock, files, parameters, row_ids
from emulator.automation import triggers
from emulator.errors import FieldError, NotFound, ValidationFailed
from emulator.integrations import reason_unavailable
from emulator.model_enums import Action, DelayUnit, RecipientRule, RunStatus, Timing
from emulator.models import (
    BusinessProcess,
    BusinessProcessFile,
    Channel,
    CustomField,
    Integration,
    ProcessRun,
    Stage,
    StoredFile,
)
from emulator.vocabulary import (
    ACTION_LABELS,
    DELAY_UNIT_LABELS,
    DELAY_UNIT_MINUTES,
    FIELD_LABELS,
    MAX_DELAY_MINUTES,
    MESSAGING_PROVIDERS,
    PROVIDER_LABELS,
    RECIPIENT_RULE_LABELS,
    TIMING_LABELS,
)

MAX_TEXT_LENGTH = 4096
# What a process's view reads (the API's ProcessOut), loaded with the process: its stage, funnel and channel
# joined in. Its files (most often none) are loaded lazily for one process, which costs less on SQLite than
# an eager loader's statement, and with one query for a list (bench/request_cost.py).
VIEW = (
    joinedload(BusinessProcess.stage).joinedload(Stage.funnel),
    joinedload(BusinessProcess.channel),
)
LIST_VIEW = (*VIEW, selectinload(BusinessProcess.files).joinedload(BusinessProcessFile.file))


@dataclass
class ProcessDraft:
    """What the user submitted, before validation (values may be of any type)."""

    stage_id: Any = None
    action: Any = "whatsapp_message"
    timing: Any = Timing.IMMEDIATE.value
    delay_value: Any = None
    delay_unit: Any = None
    check_stage: Any = False
    provider: Any = None
    channel_id: Any = None
    recipient_rule: Any = RecipientRule.ALL_CONTACTS_ALL_NUMBERS.value
    text: Any = ""
    file_ids: list[Any] = field(default_factory=list)
    enabled: Any = True


@dataclass
class _Valid:
    stage: Stage
    timing: Timing
    delay_value: int | None
    delay_unit: DelayUnit | None
    check_stage: bool
    provider: str
    channel: Channel
    recipient_rule: RecipientRule
    text: str
    stored_files: list[StoredFile]
    enabled: bool


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, FIELD_LABELS[name], message))


MAX_INT_DIGITS = 18  # longer is no id and no delay; int() of thousands of digits refuses (or takes long)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    digits = value.strip().removeprefix("-") if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) <= MAX_INT_DIGITS:
        return int(value.strip())
    return None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "1", "да", "yes", "on"}:
            return True
        if lowered in {"false", "0", "нет", "no", "off", ""}:
            return False
    return None


def _validate_delay(draft: ProcessDraft, errors: _Collector) -> tuple[int | None, DelayUnit | None, bool]:
    value = _as_int(draft.delay_value)
    unit = draft.delay_unit
    if value is None:
        errors.add("delay_value", "укажите целое число")
    elif value < 1:
        errors.add("delay_value", "задержка должна быть не меньше 1")
    if unit not in DELAY_UNIT_LABELS:
        errors.add("delay_unit", "выберите минуты, часы или дни")
    elif value is not None and value * DELAY_UNIT_MINUTES[unit] > MAX_DELAY_MINUTES:
        errors.add("delay_value", "задержка не больше 365 дней (525600 минут)")
    check = _as_bool(draft.check_stage)
    if check is None:
        errors.add("check_stage", "выберите «Да» или «Нет»")
    return value, DelayUnit(unit) if unit in DELAY_UNIT_LABELS else None, bool(check)


def _validate_service(session: Session, draft: ProcessDraft, errors: _Collector) -> tuple[str, Channel | None]:
    provider = draft.provider
    if provider in (None, ""):
        errors.add("provider", "выберите сервис")
        return "", None
    if provider not in MESSAGING_PROVIDERS:
        errors.add("provider", f"неизвестный сервис «{provider}»")
        return "", None
    integration = session.scalar(select(Integration).where(Integration.provider == provider))
    reason = reason_unavailable(integration, provider)
    if reason:
        errors.add("provider", f"сервис {PROVIDER_LABELS[provider]} недоступен: {reason}")
    channel_id = _as_int(draft.channel_id)
    if draft.channel_id in (None, ""):
        errors.add("channel_id", "выберите канал")
        return provider, None
    # The service's channels were read for its availability: the chosen one must be among them.
    channels = integration.channels if integration is not None else []
    channel = next((c for c in channels if c.id == channel_id), None)
    if channel is None:
        errors.add("channel_id", f"канал не принадлежит сервису {PROVIDER_LABELS[provider]}")
        return provider, None
    if not channel.active:
        errors.add("channel_id", "канал неактивен")
    return provider, channel


def _validate_files(session: Session, draft: ProcessDraft, errors: _Collector) -> list[StoredFile]:
    raw = draft.file_ids or []
    if not isinstance(raw, list):
        errors.add("file_ids", "ожидается список файлов")
        return []
    if len(raw) > files.MAX_FILES_PER_PROCESS:
        errors.add("file_ids", f"не больше {files.MAX_FILES_PER_PROCESS} файлов")
        return []
    stored: list[StoredFile] = []
    for raw_id in raw:
        file_id = _as_int(raw_id)
        item = row_ids.get(session, StoredFile, file_id)
        if item is None:
            errors.add("file_ids", f"файл {raw_id} не найден")
            continue
        if item.size > files.MAX_FILE_BYTES:
            errors.add("file_ids", f"файл «{item.filename}» больше 50 МБ")
        elif files.is_executable(item.filename, b""):
            errors.add("file_ids", f"исполняемые файлы запрещены: «{item.filename}»")
        else:
            stored.append(item)
    if len({f.id for f in stored}) != len(stored):
        errors.add("file_ids", "один и тот же файл прикреплён дважды")
    return stored


def _validate_text(session: Session, text: Any, has_files: bool, errors: _Collector) -> str:
    if not isinstance(text, str):
        errors.add("text", "ожидается текст")
        return ""
    if "\x00" in text:
        errors.add("text", "недопустимый символ NUL (\\0)")
    if not text.strip() and not has_files:
        errors.add("text", "введите текст сообщения или прикрепите файл")
    if len(text) > MAX_TEXT_LENGTH:
        errors.add("text", f"не длиннее {MAX_TEXT_LENGTH} символов (сейчас {len(text)})")
    custom_ids = set(session.scalars(select(CustomField.id)))
    for token in parameters.unknown_tokens(text, custom_ids):
        errors.add("text", f"неизвестный параметр {token.text}")
    return text


def validate(session: Session, draft: ProcessDraft) -> _Valid:
    errors = _Collector()
    stage_id = _as_int(draft.stage_id)
    stage = row_ids.get(session, Stage, stage_id)
    if stage is None:
        errors.add("stage_id", f"этап {draft.stage_id} не найден")
    if draft.action not in ACTION_LABELS:
        errors.add("action", "выберите действие «Отправить сообщение в WhatsApp»")
    delay_value: int | None = None
    delay_unit: DelayUnit | None = None
    check_stage = False
    if draft.timing not in TIMING_LABELS:
        errors.add("timing", "выберите «Сразу» или «С задержкой»")
    elif draft.timing == Timing.DELAYED:
        delay_value, delay_unit, check_stage = _validate_delay(draft, errors)
    provider, channel = _validate_service(session, draft, errors)
    if draft.recipient_rule not in RECIPIENT_RULE_LABELS:
        errors.add("recipient_rule", "выберите, на какие контакты отправлять сообщение")
    stored_files = _validate_files(session, draft, errors)
    text = _validate_text(session, draft.text, bool(stored_files), errors)
    enabled = _as_bool(draft.enabled)
    if errors.errors:
        raise ValidationFailed(errors.errors)
    assert stage is not None and channel is not None
    return _Valid(
        stage=stage,
        timing=Timing(draft.timing),
        delay_value=delay_value,
        delay_unit=delay_unit,
        check_stage=check_stage,
        provider=provider,
        channel=channel,
        recipient_rule=RecipientRule(draft.recipient_rule),
        text=text,
        stored_files=stored_files,
        enabled=True if enabled is None else enabled,
    )


def _signature(process: BusinessProcess) -> tuple[Any, ...]:
    return (
        process.stage_id,
        process.timing,
        process.delay_value,
        process.delay_unit,
        process.check_stage,
        process.provider,
        process.channel_id,
        process.recipient_rule,
        process.text,
        process.enabled,
        tuple(f.file_id for f in process.files),
    )


def save(
    session: Session, draft: ProcessDraft, process_id: int | None = None, *, keep_refused_files: bool = False
) -> BusinessProcess:
    """Create or update; any invalid field refuses the whole save, and then the files uploaded for it that
    nothing uses are deleted, unless ``keep_refused_files`` (the editor shows them again with the refusal)."""
    process = get_process(session, process_id) if process_id is not None else None
    try:
        valid = validate(session, draft)
    except ValidationFailed:
        if not keep_refused_files:
            _discard_files_of_refused(session, draft)
        raise
    now = clock.now()
    if process is None:
        position = session.scalar(
            select(func.coalesce(func.max(BusinessProcess.position), -1)).where(
                BusinessProcess.stage_id == valid.stage.id
            )
        )
        process = BusinessProcess(
            stage_id=valid.stage.id,
            position=(position or 0) + 1,
            created_at=now,
            updated_at=now,
            version=0,
            provider="",
        )
        session.add(process)
        before: tuple[Any, ...] | None = None
    else:
        before = _signature(process)
    process.stage_id = valid.stage.id
    process.action = Action.WHATSAPP_MESSAGE
    process.timing = valid.timing
    process.delay_value = valid.delay_value
    process.delay_unit = valid.delay_unit
    process.check_stage = valid.check_stage
    process.provider = valid.provider
    process.channel_id = valid.channel.id
    process.recipient_rule = valid.recipient_rule
    process.text = valid.text
    process.enabled = valid.enabled
    process.files = [BusinessProcessFile(file_id=f.id, position=n) for n, f in enumerate(valid.stored_files)]
    if before is None or before != _signature(process):
        process.version += 1
        process.updated_at = now
    session.flush()
    fresh = row_ids.get(session, BusinessProcess, process.id, VIEW, populate_existing=True)  # a refresh, eager
    assert fresh is process
    return process


def _discard_files_of_refused(session: Session, draft: ProcessDraft) -> None:
    """A refused save stores nothing, and the files uploaded for it that nothing else uses go too: the unit
    of work is rolled back and only their deletion is committed (the caller's rollback then finds nothing)."""
    raw = draft.file_ids if isinstance(draft.file_ids, list) else []
    ids = [file_id for file_id in map(_as_int, raw) if file_id is not None]
    session.rollback()
    if files.discard_refused(session, ids):
        session.commit()


def get_process(session: Session, process_id: int) -> BusinessProcess:
    """The process (not deleted), with everything its view reads."""
    process = row_ids.get(session, BusinessProcess, process_id, VIEW)
    if process is None or process.deleted_at is not None:
        raise NotFound("Бизнес-процесс", process_id)
    return process


def list_processes(session: Session, stage_id: int | None = None) -> list[BusinessProcess]:
    query = select(BusinessProcess).where(BusinessProcess.deleted_at.is_(None))
    if stage_id is not None:
        query = query.where(BusinessProcess.stage_id == stage_id)
    return list(session.scalars(query.order_by(BusinessProcess.stage_id, BusinessProcess.position).options(*LIST_VIEW)))


def delete(session: Session, process_id: int) -> None:
    """Soft delete; runs waiting for this process are cancelled."""
    process = get_process(session, process_id)
    process.deleted_at = clock.now()
    waiting = session.scalars(
        select(ProcessRun).where(ProcessRun.process_id == process.id, ProcessRun.status == RunStatus.SCHEDULED)
    )
    for run in list(waiting):
        triggers.cancel_run(session, run, "Бизнес-процесс удалён")
    session.flush()


def draft_of(process: BusinessProcess) -> ProcessDraft:
    """The saved process as the editor shows it again."""
    return ProcessDraft(
        stage_id=process.stage_id,
        action=process.action,
        timing=process.timing,
        delay_value=process.delay_value,
        delay_unit=process.delay_unit,
        check_stage=process.check_stage,
        provider=process.provider,
        channel_id=process.channel_id,
        recipient_rule=process.recipient_rule,
        text=process.text,
        file_ids=[f.file_id for f in process.files],
        enabled=process.enabled,
    )
