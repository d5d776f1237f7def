"""What the deal card shows, assembled from the API presenters (one source of labels and formats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator import deals, timeline
from emulator.api import presenters
from emulator.api.deal_schemas import DealOut, DialogMessageOut, FunnelOut, RunOut, TimelineEntryOut
from emulator.automation import triggers
from emulator.models import Deal, OutgoingMessage
from emulator.settings import Settings


@dataclass
class DialogGroup:
    """The outgoing WhatsApp messages to one client number."""

    number: str
    messages: list[DialogMessageOut] = field(default_factory=list)


@dataclass
class DealCard:
    deal: DealOut
    funnel: FunnelOut
    funnels: list[FunnelOut]
    runs: list[RunOut]
    dialogs: list[DialogGroup]
    entries: list[TimelineEntryOut]

    def funnels_json(self) -> list[dict[str, Any]]:
        """The funnel switch's data: JS refills the stage list when another funnel is chosen."""
        return [
            {"id": f.id, "name": f.name, "stages": [{"id": s.id, "name": s.name} for s in f.stages]}
            for f in self.funnels
        ]


def _dialogs(session: Session, deal_id: int) -> list[DialogGroup]:
    query = select(OutgoingMessage).where(OutgoingMessage.deal_id == deal_id).order_by(OutgoingMessage.id)
    groups: dict[str, DialogGroup] = {}
    for message in session.scalars(query):
        out = presenters.dialog_out(message)
        groups.setdefault(out.to_display, DialogGroup(out.to_display)).messages.append(out)
    return list(groups.values())


def deal_card(session: Session, settings: Settings, deal: Deal) -> DealCard:
    out = presenters.deal_out(session, settings, deal)
    funnels = [presenters.funnel_out(f) for f in deals.list_funnels(session)]
    runs = triggers.pending_runs(session, deal.id)
    return DealCard(
        deal=out,
        funnel=presenters.funnel_out(deal.funnel),
        funnels=funnels,
        runs=[presenters.run_out(r) for r in runs],
        dialogs=_dialogs(session, deal.id),
        entries=[presenters.timeline_out(e) for e in timeline.entries(session, deal.id)],
    )
