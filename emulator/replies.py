"""A client's reply to a business-process message: stored once, in the deal that wrote to that number.

The deal is the one whose latest message went from the same channel to the same number: that is the
dialog the client answers. A reply nobody wrote to (a number the CRM never messaged from that channel)
is kept without a deal, so nothing lands in a stranger's deal.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulator.message_models import IncomingMessage, OutgoingMessage
from emulator.models import Channel, Integration
from emulator.providers.base import ReplyEvent


def _channel(session: Session, provider: str, external_id: str) -> Channel | None:
    return session.scalar(
        select(Channel)
        .join(Integration, Channel.integration_id == Integration.id)
        .where(Integration.provider == provider, Channel.external_id == external_id)
    )


def _dialog_deal(session: Session, provider: str, channel: Channel | None, number: str) -> int | None:
    if channel is None:
        return None
    query = (
        select(OutgoingMessage.deal_id)
        .where(
            OutgoingMessage.provider == provider,
            OutgoingMessage.channel_id == channel.id,
            OutgoingMessage.to_number == number,
        )
        .order_by(OutgoingMessage.created_at.desc(), OutgoingMessage.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def record(session: Session, provider: str, reply: ReplyEvent, now: dt.datetime) -> bool:
    """Store a reply; False when the provider delivered it before (the same id)."""
    known = session.scalar(
        select(IncomingMessage.id).where(
            IncomingMessage.provider == provider, IncomingMessage.external_id == reply.external_id
        )
    )
    if known is not None:
        return False
    number = "".join(ch for ch in reply.from_number if ch.isdigit())
    channel = _channel(session, provider, reply.channel_external_id)
    session.add(
        IncomingMessage(
            deal_id=_dialog_deal(session, provider, channel, number),
            provider=provider,
            external_id=reply.external_id,
            channel_id=channel.id if channel else None,
            channel_phone=channel.phone if channel else "",
            from_number=number,
            text=reply.text,
            received_at=now,
        )
    )
    session.flush()
    return True


def of_deal(session: Session, deal_id: int) -> list[IncomingMessage]:
    query = (
        select(IncomingMessage)
        .where(IncomingMessage.deal_id == deal_id)
        .order_by(IncomingMessage.received_at, IncomingMessage.id)
    )
    return list(session.scalars(query))
