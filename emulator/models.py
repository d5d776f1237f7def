"""Typed SQLAlchemy 2 models of the CRM (the messages a business process sends or a client writes are
in :mod:`emulator.message_models`, re-exported here)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulator.db import Base, UtcDateTime, enum_column
from emulator.model_enums import (
    Action,
    DelayUnit,
    RecipientRule,
    Role,
    RunStatus,
    Timing,
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id (emulator.passwords), never the password
    role: Mapped[Role] = mapped_column(enum_column(Role, 20))
    token: Mapped[str] = mapped_column(String(100), unique=True)  # the REST API's bearer token, never a cookie

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Funnel(Base):
    __tablename__ = "funnels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    stages: Mapped[list[Stage]] = relationship(
        back_populates="funnel", order_by="Stage.position", cascade="all, delete-orphan"
    )
    buttons: Mapped[list[DealButton]] = relationship(order_by="DealButton.position", cascade="all, delete-orphan")


class Stage(Base):
    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    funnel_id: Mapped[int] = mapped_column(ForeignKey("funnels.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    funnel: Mapped[Funnel] = relationship(back_populates="stages")


class DealButton(Base):
    """A button on the deal card that moves the deal to a stage (e.g. "Оплата")."""

    __tablename__ = "deal_buttons"

    id: Mapped[int] = mapped_column(primary_key=True)
    funnel_id: Mapped[int] = mapped_column(ForeignKey("funnels.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    target_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    target_stage: Mapped[Stage] = relationship()


class Deal(Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    funnel_id: Mapped[int] = mapped_column(ForeignKey("funnels.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    previous_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_name: Mapped[str] = mapped_column(String(300), default="")
    client_region: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    funnel: Mapped[Funnel] = relationship()
    stage: Mapped[Stage] = relationship()
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    previous_responsible: Mapped[User | None] = relationship(foreign_keys=[previous_responsible_id])
    contacts: Mapped[list[Contact]] = relationship(order_by="Contact.position", cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(order_by="Task.due_at", cascade="all, delete-orphan")
    field_values: Mapped[list[CustomFieldValue]] = relationship(cascade="all, delete-orphan")


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    phones: Mapped[list[ContactPhone]] = relationship(order_by="ContactPhone.position", cascade="all, delete-orphan")
    emails: Mapped[list[ContactEmail]] = relationship(order_by="ContactEmail.position", cascade="all, delete-orphan")


class ContactPhone(Base):
    __tablename__ = "contact_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(50), default="Мобильный")
    value: Mapped[str] = mapped_column(String(100))


class ContactEmail(Base):
    __tablename__ = "contact_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[str] = mapped_column(String(300))


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class CustomField(Base):
    """A custom deal field; usable as a message parameter ``[name#id]``."""

    __tablename__ = "custom_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class CustomFieldValue(Base):
    __tablename__ = "custom_field_values"
    __table_args__ = (UniqueConstraint("deal_id", "field_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("custom_fields.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[CustomField] = relationship()


class TimelineEntry(Base):
    """One line of the deal's "Детально" log."""

    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_messages.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("process_runs.id"))
    author: Mapped[User | None] = relationship()


class Integration(Base):
    """A card of "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ"; messaging providers also hold credentials and channels."""

    __tablename__ = "integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(30), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    connected: Mapped[bool] = mapped_column(Boolean, default=False)
    api_key: Mapped[str | None] = mapped_column(String(300))
    base_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    # After a rotation the previous secret is still honoured until this moment (deliveries already signed).
    previous_webhook_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    connected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    channels: Mapped[list[Channel]] = relationship(
        order_by="Channel.id", cascade="all, delete-orphan", back_populates="integration"
    )


class Channel(Base):
    """A provider's WhatsApp number, as last synchronised from the provider."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("integration_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    send_key: Mapped[str | None] = mapped_column(String(200))
    synced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    integration: Mapped[Integration] = relationship(back_populates="channels")


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(150))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(500))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class BusinessProcess(Base):
    """The action "Отправить сообщение в WhatsApp" hung on a funnel stage."""

    __tablename__ = "business_processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    action: Mapped[Action] = mapped_column(enum_column(Action), default=Action.WHATSAPP_MESSAGE)
    timing: Mapped[Timing] = mapped_column(enum_column(Timing, 20), default=Timing.IMMEDIATE)
    delay_value: Mapped[int | None] = mapped_column(Integer)
    delay_unit: Mapped[DelayUnit | None] = mapped_column(enum_column(DelayUnit, 20))
    check_stage: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str] = mapped_column(String(30))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"))
    recipient_rule: Mapped[RecipientRule] = mapped_column(
        enum_column(RecipientRule), default=RecipientRule.ALL_CONTACTS_ALL_NUMBERS
    )
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    stage: Mapped[Stage] = relationship()
    channel: Mapped[Channel | None] = relationship()
    files: Mapped[list[BusinessProcessFile]] = relationship(
        order_by="BusinessProcessFile.position", cascade="all, delete-orphan"
    )


class BusinessProcessFile(Base):
    __tablename__ = "business_process_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("business_processes.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    file: Mapped[StoredFile] = relationship()


class ProcessRun(Base):
    """One execution of a business process for one deal, due now or after the delay."""

    __tablename__ = "process_runs"
    __table_args__ = (Index("ix_process_runs_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("business_processes.id"))
    process_version: Mapped[int] = mapped_column(Integer)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    triggered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, 20), default=RunStatus.SCHEDULED)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    process: Mapped[BusinessProcess] = relationship()
    stage: Mapped[Stage] = relationship()


# The message models live in their own module; importing them here registers their tables with the
# metadata and lets the CRM's code import every model from one place.
# Sign-in sessions and failed logins: the credentials' own tables.
from emulator.credential_models import (  # noqa: E402
    LoginFailure as LoginFailure,
    WebSession as WebSession,
)
from emulator.message_models import (  # noqa: E402
    IncomingMessage as IncomingMessage,
    MessageExternalId as MessageExternalId,
    OutgoingMessage as OutgoingMessage,
    PartList as PartList,
    ProcessedWebhook as ProcessedWebhook,
)
