"""Provider accounts of the demo data, shared by the CRM seed and the provider fakes' demo state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoChannel:
    external_id: str
    phone: str
    state: str
    name: str = ""
    send_key: str | None = None


WAZZUP_API_KEY = "demo-wazzup-key"
I2CRM_TOKEN = "demo-i2crm-token"
DEFAULT_API_KEY = "demo-default-key"

WAZZUP_CHANNELS = (DemoChannel("6f1d2c3b-0000-4000-8000-000000000001", "79370000001", "active"),)
I2CRM_CHANNELS = (DemoChannel("101", "79370000002", "active", "79370000002", "demo-i2crm-send-key"),)
DEFAULT_CHANNELS = (
    DemoChannel("0b9e7a52-0000-4000-8000-000000000003", "79370000003", "active", "Продажи"),
    DemoChannel("0b9e7a52-0000-4000-8000-000000000004", "79370000004", "inactive", "Резерв"),
)
