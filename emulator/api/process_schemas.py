"""Pydantic schemas of business processes, their parameters and the available services.

Input fields are typed loosely on purpose: the service validates them the same way for the
HTML editor and for the API, so both name the refused field with the editor's label.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ProcessIn(BaseModel):
    stage_id: int | str | None = None
    action: str | None = "whatsapp_message"
    timing: str | None = "immediate"
    delay_value: int | str | None = None
    delay_unit: str | None = None
    check_stage: bool | str | None = False
    provider: str | None = None
    channel_id: int | str | None = None
    recipient_rule: str | None = "all_contacts_all_numbers"
    text: str | None = ""
    file_ids: list[int | str] = Field(default_factory=list)
    enabled: bool | str | None = True


class ChannelRef(BaseModel):
    id: int
    phone: str
    display: str
    name: str
    state: str
    active: bool


class FileOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class ProcessOut(BaseModel):
    id: int
    stage_id: int
    stage_name: str
    funnel_id: int
    funnel_name: str
    position: int
    enabled: bool
    action: str
    action_label: str
    timing: str
    timing_label: str
    delay_value: int | None
    delay_unit: str | None
    delay_unit_label: str | None
    check_stage: bool
    provider: str
    provider_label: str
    channel: ChannelRef | None
    recipient_rule: str
    recipient_rule_label: str
    text: str
    files: list[FileOut]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ParameterOut(BaseModel):
    id: int
    label: str
    token: str
    custom: bool


class ServiceOut(BaseModel):
    provider: str
    label: str
    channels: list[ChannelRef]


class OptionOut(BaseModel):
    value: str
    label: str


class EditorOptions(BaseModel):
    """Everything the editor offers, in its order."""

    actions: list[OptionOut]
    timings: list[OptionOut]
    delay_units: list[OptionOut]
    recipient_rules: list[OptionOut]
    services: list[ServiceOut]
    parameters: list[ParameterOut]
    field_labels: dict[str, str]
