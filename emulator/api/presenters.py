"""Models -> API schemas. The HTML pages render the same objects."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emulator import files, parameters, phones, relative_time
from emulator.api.deal_schemas import (
    AttachmentOut,
    ButtonOut,
    ContactOut,
    CustomFieldValueOut,
    DealOut,
    DialogMessageOut,
    FunnelOut,
    PhoneIn,
    Ref,
    ReplyOut,
    RunOut,
    StageOut,
    TaskOut,
    TimelineEntryOut,
)
from emulator.api.integration_schemas import IntegrationOut
from emulator.api.process_schemas import ChannelRef, FileOut, ParameterOut, ProcessOut
from emulator.integration_catalogue import CARDS_BY_PROVIDER
from emulator.integrations import masked, webhook_url
from emulator.models import (
    BusinessProcess,
    Channel,
    CustomField,
    Deal,
    Funnel,
    IncomingMessage,
    Integration,
    OutgoingMessage,
    ProcessRun,
    StoredFile,
    Task,
    TimelineEntry,
    User,
)
from emulator.settings import Settings
from emulator.vocabulary import (
    ACTION_LABELS,
    DELAY_UNIT_LABELS,
    MESSAGE_STATUS_LABELS,
    NOT_SELECTED,
    PROVIDER_LABELS,
    RECIPIENT_RULE_LABELS,
    TIMING_LABELS,
)


def ref(user: User | None) -> Ref | None:
    return Ref(id=user.id, name=user.name) if user else None


def funnel_out(funnel: Funnel) -> FunnelOut:
    return FunnelOut(
        id=funnel.id,
        name=funnel.name,
        stages=[StageOut(id=s.id, name=s.name, position=s.position, is_final=s.is_final) for s in funnel.stages],
        buttons=[ButtonOut(id=b.id, label=b.label, target_stage_id=b.target_stage_id) for b in funnel.buttons],
    )


def task_out(task: Task) -> TaskOut:
    return TaskOut(
        id=task.id,
        title=task.title,
        due_at=task.due_at,
        due_relative=relative_time.relative(task.due_at),
        done=task.done,
    )


def deal_out(session: Session, settings: Settings, deal: Deal) -> DealOut:
    return DealOut(
        id=deal.id,
        title=deal.title,
        funnel=Ref(id=deal.funnel.id, name=deal.funnel.name),
        stage=Ref(id=deal.stage.id, name=deal.stage.name),
        responsible=ref(deal.responsible),
        previous_responsible=ref(deal.previous_responsible),
        client_name=deal.client_name,
        client_region=deal.client_region,
        client_region_label=deal.client_region or NOT_SELECTED,
        contacts=[
            ContactOut(
                id=c.id,
                position=c.position,
                name=c.name,
                is_primary=c.is_primary,
                label="Основной контакт" if c.is_primary else "Не основной контакт",
                phones=[PhoneIn(value=p.value, kind=p.kind) for p in c.phones],
                emails=[e.value for e in c.emails],
            )
            for c in deal.contacts
        ],
        tasks=[task_out(t) for t in deal.tasks],
        custom_fields=[CustomFieldValueOut(id=v.field_id, name=v.field.name, value=v.value) for v in deal.field_values],
        # The funnel's buttons (ordered by position, as deals.buttons lists them), loaded with the deal's view.
        buttons=[ButtonOut(id=b.id, label=b.label, target_stage_id=b.target_stage_id) for b in deal.funnel.buttons],
        url=settings.deal_url(deal.id),
        created_at=deal.created_at,
    )


def timeline_out(entry: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        id=entry.id,
        kind=entry.kind,
        title=entry.title,
        body=entry.body,
        author=entry.author.name if entry.author else None,
        created_at=entry.created_at,
        when=relative_time.relative(entry.created_at),
        message_id=entry.message_id,
    )


def reply_out(message: IncomingMessage) -> ReplyOut:
    return ReplyOut(
        id=message.id,
        from_number=message.from_number,
        from_display=phones.display(message.from_number),
        provider=message.provider,
        provider_label=PROVIDER_LABELS.get(message.provider, message.provider),
        channel_phone=message.channel_phone,
        channel_display=phones.display(message.channel_phone) if message.channel_phone else "",
        text=message.text,
        received_at=message.received_at,
        when=relative_time.relative(message.received_at),
    )


def dialog_out(message: OutgoingMessage) -> DialogMessageOut:
    return DialogMessageOut(
        id=message.id,
        to_number=message.to_number,
        to_display=phones.display(message.to_number),
        provider=message.provider,
        provider_label=PROVIDER_LABELS.get(message.provider, message.provider),
        channel_phone=message.channel_phone,
        channel_display=phones.display(message.channel_phone),
        text=message.text,
        attachments=[AttachmentOut(**a) for a in message.attachments],
        status=message.status,
        status_label=MESSAGE_STATUS_LABELS.get(message.status, message.status),
        status_reason=message.status_reason,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        process_id=message.process_id,
        process_version=message.process_version,
        run_id=message.run_id,
        created_at=message.created_at,
        when=relative_time.relative(message.created_at),
    )


def run_out(run: ProcessRun) -> RunOut:
    return RunOut(
        id=run.id,
        process_id=run.process_id,
        process_version=run.process_version,
        stage=Ref(id=run.stage.id, name=run.stage.name),
        triggered_at=run.triggered_at,
        due_at=run.due_at,
        due_relative=relative_time.relative(run.due_at),
        status=run.status,
        cancel_reason=run.cancel_reason,
    )


def channel_ref(channel: Channel) -> ChannelRef:
    return ChannelRef(
        id=channel.id,
        phone=channel.phone,
        display=channel_label(channel),
        name=channel.name,
        state=channel.state,
        active=channel.active,
    )


def channel_label(channel: Channel) -> str:
    """The channel as the editor lists it: its number, and its name when it has one of its own."""
    number = phones.display(channel.phone)
    if channel.name and channel.name != channel.phone and channel.name != number:
        return f"{number} ({channel.name})"
    return number


def file_out(settings: Settings, stored: StoredFile) -> FileOut:
    return FileOut(
        id=stored.id,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        url=files.public_url(settings.public_base_url, stored),
    )


def process_out(settings: Settings, process: BusinessProcess) -> ProcessOut:
    return ProcessOut(
        id=process.id,
        stage_id=process.stage_id,
        stage_name=process.stage.name,
        funnel_id=process.stage.funnel_id,
        funnel_name=process.stage.funnel.name,
        position=process.position,
        enabled=process.enabled,
        action=process.action,
        action_label=ACTION_LABELS.get(process.action, process.action),
        timing=process.timing,
        timing_label=TIMING_LABELS[process.timing],
        delay_value=process.delay_value,
        delay_unit=process.delay_unit,
        delay_unit_label=DELAY_UNIT_LABELS.get(process.delay_unit or ""),
        check_stage=process.check_stage,
        provider=process.provider,
        provider_label=PROVIDER_LABELS.get(process.provider, process.provider),
        channel=channel_ref(process.channel) if process.channel else None,
        recipient_rule=process.recipient_rule,
        recipient_rule_label=RECIPIENT_RULE_LABELS[process.recipient_rule],
        text=process.text,
        files=[file_out(settings, f.file) for f in process.files],
        version=process.version,
        created_at=process.created_at,
        updated_at=process.updated_at,
    )


# The built-in parameters as the editor lists them, built once.
BUILT_IN_PARAMETERS = tuple(
    ParameterOut(id=p.id, label=p.label, token=p.token, custom=False) for p in parameters.BUILT_IN
)


def parameter_catalogue(custom_fields: list[CustomField]) -> list[ParameterOut]:
    custom = [ParameterOut(id=f.id, label=f.name, token=f"[{f.name}#{f.id}]", custom=True) for f in custom_fields]
    return [*BUILT_IN_PARAMETERS, *custom]


def integration_out(settings: Settings, integration: Integration) -> IntegrationOut:
    card = CARDS_BY_PROVIDER[integration.provider]
    return IntegrationOut(
        provider=integration.provider,
        title=card.title,
        description=card.description,
        site=card.site,
        messaging=card.messaging,
        connected=integration.connected,
        connected_at=integration.connected_at,
        base_url=integration.base_url,
        webhook_url=webhook_url(settings, integration.provider) if card.messaging else None,
        api_key_masked=masked(integration.api_key) if integration.connected else None,
        webhook_secret_masked=masked(integration.webhook_secret) if card.messaging else None,
        channels=[channel_ref(c) for c in integration.channels],
    )
