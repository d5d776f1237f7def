"""Picks the adapter of a provider: the only list of the adapters."""

from __future__ import annotations

from emulator.providers.base import ProviderAdapter
from emulator.providers.default import DefaultAdapter
from emulator.providers.i2crm import I2crmAdapter
from emulator.providers.wazzup import WazzupAdapter
from emulator.settings import Settings

ADAPTERS: dict[str, type[DefaultAdapter] | type[I2crmAdapter] | type[WazzupAdapter]] = {
    "wazzup": WazzupAdapter,
    "i2crm": I2crmAdapter,
    "default": DefaultAdapter,
}


def adapter_for(provider: str, settings: Settings) -> ProviderAdapter:
    adapter: ProviderAdapter = ADAPTERS[provider](settings.provider_timeout_seconds)
    return adapter


def new_webhook_secret(provider: str) -> str | None:
    """A fresh webhook secret in the form the provider needs (None: it needs none)."""
    adapter: ProviderAdapter = ADAPTERS[provider](0.0)
    return adapter.new_webhook_secret()
