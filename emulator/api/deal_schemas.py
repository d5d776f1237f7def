"""Pydantic schemas of deals, contacts, tasks, the timeline, dialogs and scheduled runs."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from emulator.api.bounded_fields import RowId, TaskDue, Text


class Ref(BaseModel):
    id: int
    name: str


class StageOut(BaseModel):
    id: int
    name: str
    position: int
    is_final: bool


class ButtonOut(BaseModel):
    id: int
    label: str
    target_stage_id: int


class FunnelOut(BaseModel):
    id: int
    name: str
    stages: list[StageOut]
    buttons: list[ButtonOut]


class PhoneIn(BaseModel):
    value: Text
    kind: Text = "Мобильный"


class ContactIn(BaseModel):
    name: Text = ""
    is_primary: bool = False
    phones: list[PhoneIn] = Field(default_factory=list)
    emails: list[Text] = Field(default_factory=list)


class ContactOut(ContactIn):
    id: int
    position: int
    label: str  # "Основной контакт" / "Не основной контакт"


class TaskIn(BaseModel):
    title: Text
    due_at: TaskDue


class TaskDone(BaseModel):
    done: bool


class TaskOut(BaseModel):
    id: int
    title: str
    due_at: dt.datetime
    due_relative: str
    done: bool


class CustomFieldValueOut(BaseModel):
    id: int
    name: str
    value: str


class DealOut(BaseModel):
    id: int
    title: str
    funnel: Ref
    stage: Ref
    responsible: Ref | None
    previous_responsible: Ref | None
    client_name: str
    client_region: str | None
    client_region_label: str
    contacts: list[ContactOut]
    tasks: list[TaskOut]
    custom_fields: list[CustomFieldValueOut]
    buttons: list[ButtonOut]
    url: str
    created_at: dt.datetime


class DealCreate(BaseModel):
    funnel_id: RowId
    stage_id: RowId | None = None
    title: Text = ""
    client_name: Text = ""
    client_region: Text | None = None
    responsible_id: RowId | None = None
    contacts: list[ContactIn] = Field(default_factory=list)


class DealUpdate(BaseModel):
    title: Text | None = None
    client_name: Text | None = None
    client_region: Text | None = None
    responsible_id: RowId | None = None
    custom_fields: dict[RowId, Text] | None = None


class StageChange(BaseModel):
    stage_id: RowId


class FunnelChange(BaseModel):
    funnel_id: RowId
    stage_id: RowId | None = None


class ChangeResult(BaseModel):
    changed: bool
    deal: DealOut


class TimelineEntryOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    author: str | None
    created_at: dt.datetime
    when: str  # "сегодня в 14:24"
    message_id: int | None


class AttachmentOut(BaseModel):
    filename: str
    url: str
    size: int
    content_type: str


class ReplyOut(BaseModel):
    """A client's message in the deal's dialog."""

    id: int
    from_number: str
    from_display: str
    provider: str
    provider_label: str
    channel_phone: str
    channel_display: str
    text: str
    received_at: dt.datetime
    when: str


class DialogMessageOut(BaseModel):
    id: int
    to_number: str
    to_display: str
    provider: str
    provider_label: str
    channel_phone: str
    channel_display: str
    text: str
    attachments: list[AttachmentOut]
    status: str
    status_label: str
    status_reason: str | None
    attempts: int
    next_attempt_at: dt.datetime | None
    process_id: int
    process_version: int
    run_id: int
    created_at: dt.datetime
    when: str


class RunOut(BaseModel):
    id: int
    process_id: int
    process_version: int
    stage: Ref
    triggered_at: dt.datetime
    due_at: dt.datetime
    due_relative: str
    status: str
    cancel_reason: str | None


class CustomFieldIn(BaseModel):
    name: Text


class CustomFieldOut(BaseModel):
    id: int
    name: str
    token: str


class UserOut(BaseModel):
    id: int
    name: str
    login: str
    role: str
