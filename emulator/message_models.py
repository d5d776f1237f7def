"""The messages of the WhatsApp dialogs: what business processes send (with their typed parts and the
providers' ids), what clients write back, and the webhook deliveries already acted on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from emulator.db import Base, UtcDateTime, enum_column
from emulator.model_enums import MessageStatus
from emulator.providers.parts import MessagePart, parts_from_json, parts_to_json


class PartList(TypeDecorator[list[MessagePart]]):
    """A message's typed parts, stored as JSON (serialised by ``emulator.providers.parts``)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[MessagePart] | None, dialect: Any) -> list[dict[str, Any]]:
        return parts_to_json(list(value or []))

    def process_result_value(self, value: list[dict[str, Any]] | None, dialect: Any) -> list[MessagePart]:
        return parts_from_json(value)


class OutgoingMessage(Base):
    """One WhatsApp message to one number, produced by a run."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (Index("ix_outgoing_messages_retry", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("process_runs.id"), index=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("business_processes.id"))
    process_version: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(30))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    channel_phone: Mapped[str] = mapped_column(String(30))
    to_number: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    parts: Mapped[list[MessagePart]] = mapped_column(PartList, default=list)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus, 20), default=MessageStatus.PENDING)
    status_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # ask the provider about it then


class MessageExternalId(Base):
    """A provider's id of (a part of) an outgoing message, for status webhooks."""

    __tablename__ = "message_external_ids"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outgoing_messages.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(30))
    external_id: Mapped[str] = mapped_column(String(100))


class ProcessedWebhook(Base):
    """A webhook delivery id already acted on: a replay of it changes nothing."""

    __tablename__ = "processed_webhooks"
    __table_args__ = (UniqueConstraint("provider", "delivery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(30))
    delivery_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class IncomingMessage(Base):
    """A client's message to one of the CRM's channels, shown in the deal's «Диалоги»."""

    __tablename__ = "incoming_messages"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(30))
    external_id: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"))
    channel_phone: Mapped[str] = mapped_column(String(30))
    from_number: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
