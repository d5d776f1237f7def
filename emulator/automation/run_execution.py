"""Executing a due run: the first half of the common send method, shared by all providers.

Checks the deal, the process, the stage (when asked), the integration and the channel as they
are now; resolves the recipients; renders the text with the values of this moment; and creates
one message (with its timeline entry) per number. Sending them is :mod:`delivery`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
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


def _load(session: Session, runs: list[ProcessRun]) -> _Loaded:
    deals = session.scalars(
        select(Deal)
        .where(Deal.id.in_({run.deal_id for run in runs}))
        .options(
            selectinload(Deal.contacts).selectinload(Contact.phones),
            selectinload(Deal.contacts).selectinload(Contact.emails),
            selectinload(Deal.field_values),
        )
    )
    processes = list(
        session.scalars(
            select(BusinessProcess)
            .where(BusinessProcess.id.in_({run.process_id for run in runs}))
            .options(
                joinedload(BusinessProcess.channel),
                selectinload(BusinessProcess.files).joinedload(BusinessProcessFile.file),
            )
        )
    )
    integrations = session.scalars(
        select(Integration).where(Integration.provider.in_({process.provider for process in processes}))
    )
    return _Loaded(
        deals={deal.id: deal for deal in deals},
        processes={process.id: process for process in processes},
        integrations={integration.provider: integration for integration in integrations},
    )


def execute(session: Session, settings: Settings, runs: list[ProcessRun], now: dt.datetime) -> list[int]:
    """Run claimed runs, in their order, inside the caller's transaction; returns the ids of the messages created.

    What they read is loaded once for them all; the log entries are inserted in the order they are written.
    """
    if not runs:
        return []
    loaded = _load(session, runs)
    created: list[int] = []
    for run in runs:
        created += _execute(session, settings, run, loaded, now)
    session.flush()
    return created


def _execute(session: Session, settings: Settings, run: ProcessRun, loaded: _Loaded, now: dt.datetime) -> list[int]:
    deal = loaded.deals.get(run.deal_id)
    process = loaded.processes.get(run.process_id)
    reason = _cancel_reason(deal, process)
    if reason is not None:
        run.status = RunStatus.SCHEDULED  # claimed as running; cancel_run cancels only scheduled runs
        triggers.cancel_run(session, run, reason)
        return []
    assert deal is not None and process is not None
    run.status = RunStatus.DONE
    run.finished_at = now
    if process.check_stage and deal.stage_id != run.stage_id:
        message_log.not_sent(session, deal.id, run.id, _left_stage(run, deal), flush=False)
        return []
    integration = loaded.integrations.get(process.provider)
    unusable = unusable_reason(integration, process)
    if unusable is not None:
        message_log.failed(session, deal.id, run.id, unusable, flush=False)
        return []
    assert process.channel is not None
    found = recipients.resolve(deal, process.recipient_rule)
    for raw in found.invalid:
        message_log.not_sent(session, deal.id, run.id, f"некорректный номер «{raw}»", flush=False)
    if not found.numbers:
        if not found.invalid:
            message_log.not_sent(session, deal.id, run.id, found.none_reason, flush=False)
        return []
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
        message_log.not_sent(session, deal.id, run.id, EMPTY_TEXT, flush=False)
        return []
    messages = [
        OutgoingMessage(
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
        for number in found.numbers
    ]
    session.add_all(messages)
    session.flush()  # their ids, for their log entries
    for message in messages:
        message_log.open_entry(session, message, flush=False)
    return [message.id for message in messages]
