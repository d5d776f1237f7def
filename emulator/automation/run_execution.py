"""Executing a due run: the first half of the common send method, shared by all providers.

Checks the deal, the process, the stage (when asked), the integration and the channel as they
are now; resolves the recipients; renders the text with the values of this moment; and creates
one message (with its timeline entry) per number. Sending them is :mod:`delivery`'s job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from emulator import files, phones
from emulator.automation import message_log, recipients, rendering, triggers
from emulator.model_enums import MessageStatus, RunStatus
from emulator.models import (
    BusinessProcess,
    BusinessProcessFile,
    Contact,
    Deal,
    Integration,
    OutgoingMessage,
    ProcessRun,
)
from emulator.settings import Settings
from emulator.vocabulary import PROVIDER_LABELS

EMPTY_TEXT = "текст сообщения пуст после подстановки параметров"


def _cancel_reason(deal: Deal | None, process: BusinessProcess | None) -> str | None:
    if deal is None or deal.deleted_at is not None:
        return "Сделка удалена"
    if process is None or process.deleted_at is not None:
        return "Бизнес-процесс удалён"
    if not process.enabled:
        return "Бизнес-процесс выключен"
    return None


def _left_stage(run: ProcessRun, deal: Deal) -> str:
    """Names the funnels too when the deal moved to another funnel (stage names repeat across funnels)."""
    if deal.funnel_id == run.stage.funnel_id:
        return f"сделка уже не на этапе «{run.stage.name}» (сейчас «{deal.stage.name}»)"
    return (
        f"сделка уже не на этапе «{run.stage.funnel.name}: {run.stage.name}» "
        f"(сейчас «{deal.funnel.name}: {deal.stage.name}»)"
    )


def unusable_reason(integration: Integration | None, process: BusinessProcess) -> str | None:
    """Why the process's service or channel cannot send now, or None."""
    label = PROVIDER_LABELS.get(process.provider, process.provider)
    if integration is None or not integration.connected:
        return f"интеграция {label} отключена"
    channel = process.channel
    if channel is None or channel.integration_id != integration.id:
        return f"канал сервиса {label} не выбран"
    if not channel.active:
        return f"канал {phones.display(channel.phone)} неактивен"
    return None


@dataclass(frozen=True)
class _Loaded:
    """What a batch of runs reads, loaded in a few queries instead of lazily run by run."""

    deals: dict[int, Deal]
    processes: dict[int, BusinessProcess]
    integrations: dict[str, Integration]


# The statements of a batch, built once (building and keying a statement costs more than running it).
_DEALS = (
    select(Deal)
    .where(Deal.id.in_(bindparam("ids", expanding=True)))
    .options(
        selectinload(Deal.contacts).selectinload(Contact.phones),
        selectinload(Deal.contacts).selectinload(Contact.emails),
        selectinload(Deal.field_values),
    )
)
_PROCESSES = (
    select(BusinessProcess)
    .where(BusinessProcess.id.in_(bindparam("ids", expanding=True)))
    .options(
        joinedload(BusinessProcess.channel),
        selectinload(BusinessProcess.files).joinedload(BusinessProcessFile.file),
    )
)
_INTEGRATIONS = select(Integration).where(Integration.provider.in_(bindparam("providers", expanding=True)))
_RUNS = cast(Table, ProcessRun.__table__)
# Core, not ORM: the runs' objects are not synchronised (they are not read again in the transaction).
_DONE = (
    _RUNS.update()
    .where(_RUNS.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=RunStatus.DONE, finished_at=bindparam("now"))
)


def _load(session: Session, runs: list[ProcessRun]) -> _Loaded:
    deals = session.scalars(_DEALS, {"ids": sorted({run.deal_id for run in runs})})
    processes = list(session.scalars(_PROCESSES, {"ids": sorted({run.process_id for run in runs})}))
    integrations = session.scalars(_INTEGRATIONS, {"providers": sorted({process.provider for process in processes})})
    return _Loaded(
        deals={deal.id: deal for deal in deals},
        processes={process.id: process for process in processes},
        integrations={integration.provider: integration for integration in integrations},
    )


@dataclass
class _Writes:
    """What a batch of runs writes, gathered in order: the messages are inserted together first (their
    ids), then the log entries in the order they were written; the runs done are marked with one UPDATE."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    log: list[Callable[[], object]] = field(default_factory=list)
    done: list[int] = field(default_factory=list)


def execute(session: Session, settings: Settings, runs: list[ProcessRun], now: dt.datetime) -> list[int]:
    """Run claimed runs, in their order, inside the caller's transaction; returns the ids of the messages created.

    What they read is loaded once for them all; the log entries keep the order they are written in.
    """
    if not runs:
        return []
    loaded = _load(session, runs)
    writes = _Writes()
    for run in runs:
        _execute(session, settings, run, loaded, now, writes)
    session.add_all(writes.messages)
    session.flush()  # the messages' ids, for their log entries
    for write in writes.log:
        write()
    if writes.done:
        session.execute(_DONE, {"ids": writes.done, "now": now})
    session.flush()
    return [message.id for message in writes.messages]


def _execute(
    session: Session, settings: Settings, run: ProcessRun, loaded: _Loaded, now: dt.datetime, writes: _Writes
) -> None:
    deal = loaded.deals.get(run.deal_id)
    process = loaded.processes.get(run.process_id)
    reason = _cancel_reason(deal, process)
    if reason is not None:
        run.status = RunStatus.SCHEDULED  # claimed as running; cancel_run cancels only scheduled runs
        writes.log.append(partial(triggers.cancel_run, session, run, reason))
        return
    assert deal is not None and process is not None
    writes.done.append(run.id)

    def log(write: Callable[..., None], reason: str) -> None:
        writes.log.append(partial(write, session, deal.id, run.id, reason, flush=False))

    if process.check_stage and deal.stage_id != run.stage_id:
        log(message_log.not_sent, _left_stage(run, deal))
        return
    integration = loaded.integrations.get(process.provider)
    unusable = unusable_reason(integration, process)
    if unusable is not None:
        log(message_log.failed, unusable)
        return
    assert process.channel is not None
    found = recipients.resolve(deal, process.recipient_rule)
    for raw in found.invalid:
        log(message_log.not_sent, f"некорректный номер «{raw}»")
    if not found.numbers:
        if not found.invalid:
            log(message_log.not_sent, found.none_reason)
        return
    text = rendering.render(process.text, deal, settings.deal_url(deal.id))
    attachments = [
        {
            "filename": f.file.filename,
            "url": files.public_url(settings.public_base_url, f.file),
            "size": f.file.size,
            "content_type": f.file.content_type,
        }
        for f in process.files
    ]
    if not text.strip() and not attachments:
        log(message_log.not_sent, EMPTY_TEXT)
        return
    for number in found.numbers:
        message = OutgoingMessage(
            run_id=run.id,
            deal_id=deal.id,
            process_id=process.id,
            process_version=process.version,
            provider=process.provider,
            channel_id=process.channel.id,
            channel_phone=process.channel.phone,
            to_number=number,
            text=text,
            attachments=attachments,
            parts=[],
            status=MessageStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        writes.messages.append(message)
        writes.log.append(partial(message_log.open_entry, session, message, flush=False))
