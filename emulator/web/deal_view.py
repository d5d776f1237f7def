"""What the deal card shows, assembled from the API presenters (one source of labels and formats).

The engine writes the log's texts («Отправка сообщения в WhatsApp из бизнес процесса», «Статус: Отправлено»);
this module only adds what a reader needs beside them: which process, service, channel and number a send
entry is about (from the message it links to) and a tone for its status, so errors do not look like successes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import deals, phones, replies, timeline
from emulator.api import presenters
from emulator.api.deal_schemas import DealOut, DialogMessageOut, FunnelOut, ReplyOut, RunOut, TimelineEntryOut
from emulator.automation import triggers
from emulator.models import Deal, IncomingMessage, OutgoingMessage
from emulator.settings import Settings
from emulator.vocabulary import CANCELLED_LABEL, MESSAGE_STATUS_LABELS, NOT_SENT_LABEL

STATUS_PREFIX = "Статус: "
# A status's meaning -> the tone the page colours it with.
TONES_BY_STATUS = {
    "pending": "pending",
    "sending": "pending",
    "retrying": "warning",
    "sent": "ok",
    "delivered": "ok",
    "read": "ok",
    "error": "error",
}
TONES_BY_LABEL = {MESSAGE_STATUS_LABELS[k]: tone for k, tone in TONES_BY_STATUS.items()}
TONES_BY_LABEL.update({NOT_SENT_LABEL: "warning", CANCELLED_LABEL: "muted"})


def tone_of_status_line(line: str) -> str | None:
    """The tone of a log body "Статус: Ошибка: …" by its status word; None for a body that is not a status."""
    if not line.startswith(STATUS_PREFIX):
        return None
    status = line.removeprefix(STATUS_PREFIX)
    for label, tone in TONES_BY_LABEL.items():
        if status == label or status.startswith(label + ":") or status.startswith(label + " "):
            return tone
    return "neutral"


def first_name(full_name: str | None) -> str:
    """The log shows an author by the first name, as the task's screenshot does ("Ксения")."""
    return (full_name or "").split(" ", 1)[0]


@dataclass(frozen=True)
class SendContext:
    """What a business-process send is about: the process, the service, the sender channel, the recipient."""

    process_id: int
    service: str
    channel: str
    number: str


@dataclass(frozen=True)
class EntryView:
    entry: TimelineEntryOut
    author_short: str
    tone: str | None
    about: SendContext | None


@dataclass
class MessageView:
    message: DialogMessageOut
    channel: str
    tone: str
    incoming: bool = False

    @property
    def at(self) -> dt.datetime:
        return self.message.created_at


@dataclass
class ReplyView:
    """What the client wrote back."""

    reply: ReplyOut
    incoming: bool = True

    @property
    def at(self) -> dt.datetime:
        return self.reply.received_at


@dataclass
class DialogGroup:
    """The WhatsApp dialog with one client number: the business processes' messages and the replies."""

    number: str
    items: list[MessageView | ReplyView] = field(default_factory=list)


@dataclass
class DealCard:
    deal: DealOut
    funnel: FunnelOut
    funnels: list[FunnelOut]
    runs: list[RunOut]
    dialogs: list[DialogGroup]
    entries: list[EntryView]

    def funnels_json(self) -> list[dict[str, Any]]:
        """The funnel switch's data: JS refills the stage list when another funnel is chosen."""
        return [
            {"id": f.id, "name": f.name, "stages": [{"id": s.id, "name": s.name} for s in f.stages]}
            for f in self.funnels
        ]


def _messages(session: Session, deal_id: int) -> list[OutgoingMessage]:
    query = select(OutgoingMessage).where(OutgoingMessage.deal_id == deal_id).order_by(OutgoingMessage.id)
    return list(session.scalars(query))


def _context(message: OutgoingMessage) -> SendContext:
    out = presenters.dialog_out(message)
    return SendContext(out.process_id, out.provider_label, phones.display(out.channel_phone), out.to_display)


def _dialogs(messages: list[OutgoingMessage], incoming: list[IncomingMessage]) -> list[DialogGroup]:
    groups: dict[str, DialogGroup] = {}
    for message in messages:
        out = presenters.dialog_out(message)
        view = MessageView(out, phones.display(out.channel_phone), TONES_BY_STATUS.get(out.status, "neutral"))
        groups.setdefault(out.to_display, DialogGroup(out.to_display)).items.append(view)
    for reply in incoming:
        answer = presenters.reply_out(reply)
        groups.setdefault(answer.from_display, DialogGroup(answer.from_display)).items.append(ReplyView(answer))
    for group in groups.values():
        group.items.sort(key=lambda item: item.at)
    return list(groups.values())


def _entries(session: Session, deal_id: int, messages: list[OutgoingMessage]) -> list[EntryView]:
    by_id = {m.id: m for m in messages}
    views = []
    for entry in timeline.entries(session, deal_id):
        out = presenters.timeline_out(entry)
        message = by_id.get(entry.message_id) if entry.message_id is not None else None
        views.append(
            EntryView(
                entry=out,
                author_short=first_name(out.author),
                tone=tone_of_status_line(out.body),
                about=_context(message) if message is not None else None,
            )
        )
    return views


def deal_card(session: Session, settings: Settings, deal: Deal) -> DealCard:
    # The funnels first, with their stages and buttons: the deal's own funnel is among them, read once (``loaded``
    # keeps them referenced: the session forgets an object nothing refers to, and would read it again).
    loaded = deals.list_funnels(session)
    funnels = [presenters.funnel_out(f) for f in loaded]
    out = presenters.deal_out(session, settings, deal)
    runs = triggers.pending_runs(session, deal.id)
    messages = _messages(session, deal.id)
    return DealCard(
        deal=out,
        funnel=presenters.funnel_out(deal.funnel),
        funnels=funnels,
        runs=[presenters.run_out(r) for r in runs],
        dialogs=_dialogs(messages, replies.of_deal(session, deal.id)),
        entries=_entries(session, deal.id, messages),
    )
