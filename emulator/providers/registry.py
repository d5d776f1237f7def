"""Picks the adapter of a provider."""

from __future__ import annotations

from emulator.providers.base import ProviderAdapter
from emulator.providers.default import DefaultAdapter
from emulator.providers.i2crm import I2crmAdapter
from emulator.providers.wazzup import WazzupAdapter
from emulator.settings import Settings


def adapter_for(provider: str, settings: Settings) -> ProviderAdapter:
    timeout = settings.provider_timeout_seconds
    adapters: dict[str, ProviderAdapter] = {
        "wazzup": WazzupAdapter(timeout),
        "i2crm": I2crmAdapter(timeout),
        "default": DefaultAdapter(timeout),
    }
    return adapters[provider]
