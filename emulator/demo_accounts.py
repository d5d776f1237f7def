"""Provider accounts of the demo data, shared by the CRM seed and the provider fakes' demo state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoChannel:
    """A demo channel as the CRM stores it (``external_id``) and as its provider knows it (``provider_id``)."""

    external_id: str
    phone: str
    state: str
    name: str = ""
    send_key: str | None = None
    provider_id: str | None = None  # the provider's own id, when it differs from the CRM's external id

    @property
    def fake_id(self) -> str:
        return self.provider_id or self.external_id


WAZZUP_API_KEY = "demo-wazzup-key"
I2CRM_TOKEN = "demo-i2crm-token"
DEFAULT_API_KEY = "demo-default-key"

WAZZUP_CHANNELS = (DemoChannel("6f1d2c3b-0000-4000-8000-000000000001", "79370000001", "active"),)
# i2crm: a CRM channel is one sender account of a target: "<target id>/<kind>/<account id>".
I2CRM_CHANNELS = (
    DemoChannel("101/whatsapp/79370000002", "79370000002", "active", "79370000002", "demo-i2crm-send-key", "101"),
)
DEFAULT_CHANNELS = (
    DemoChannel("0b9e7a52-0000-4000-8000-000000000003", "79370000003", "active", "Продажи"),
    DemoChannel("0b9e7a52-0000-4000-8000-000000000004", "79370000004", "inactive", "Резерв"),
)
