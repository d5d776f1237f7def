"""Executing a due run: the first half of the common send method, shared by all providers.

Checks the deal, the process, the stage (when asked), the integration and the channel as they
are now; resolves the recipients; renders the text with the values of this moment; and creates
one message (with its timeline entry) per number. Sending them is :mod:`delivery`'s job.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import files, phones
from emulator.automation import message_log, recipients, rendering, triggers
from emulator.model_enums import MessageStatus, RunStatus
from emulator.models import BusinessProcess, Deal, Integration, OutgoingMessage, ProcessRun
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


def execute(session: Session, settings: Settings, run: ProcessRun, now: dt.datetime) -> list[int]:
    """Run a claimed run inside the caller's transaction; returns the ids of the messages created."""
    deal = session.get(Deal, run.deal_id)
    process = session.get(BusinessProcess, run.process_id)
    reason = _cancel_reason(deal, process)
    if reason is not None:
        run.status = RunStatus.SCHEDULED  # claimed as running; cancel_run cancels only scheduled runs
        triggers.cancel_run(session, run, reason)
        return []
    assert deal is not None and process is not None
    run.status = RunStatus.DONE
    run.finished_at = now
    if process.check_stage and deal.stage_id != run.stage_id:
        message_log.not_sent(session, deal.id, run.id, _left_stage(run, deal))
        return []
    integration = session.scalar(select(Integration).where(Integration.provider == process.provider))
    unusable = unusable_reason(integration, process)
    if unusable is not None:
        message_log.failed(session, deal.id, run.id, unusable)
        return []
    assert process.channel is not None
    found = recipients.resolve(deal, process.recipient_rule)
    for raw in found.invalid:
        message_log.not_sent(session, deal.id, run.id, f"некорректный номер «{raw}»")
    if not found.numbers:
        if not found.invalid:
            message_log.not_sent(session, deal.id, run.id, found.none_reason)
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
        message_log.not_sent(session, deal.id, run.id, EMPTY_TEXT)
        return []
    created = []
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
        session.add(message)
        session.flush()
        message_log.open_entry(session, message)
        created.append(message.id)
    return created
