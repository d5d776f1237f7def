"""Pydantic schemas of the integrations page."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from emulator.api.bounded_fields import Text
from emulator.api.process_schemas import ChannelRef


class ConnectIn(BaseModel):
    api_key: Text = ""
    base_url: Text | None = None


class IntegrationOut(BaseModel):
    provider: str
    title: str
    description: str
    site: str
    messaging: bool
    connected: bool
    connected_at: dt.datetime | None
    base_url: str | None
    webhook_url: str | None
    api_key_masked: str | None  # the key itself is never shown (only its last 4 characters)
    webhook_secret_masked: str | None  # the secret itself is never shown (only its last 4 characters)
    channels: list[ChannelRef]
