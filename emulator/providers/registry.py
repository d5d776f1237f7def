"""Picks the adapter of a provider: the only list of the adapters.

Each adapter class declares its own registration (``AdapterClass``: key, label, card, base URL and its
environment variable); the vocabulary, the settings, the integrations page and ``python -m emulator``
read it from here. A new provider is one entry in ``_ADAPTER_CLASSES`` (and its import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.providers.base import AdapterClass, ProviderAdapter
from emulator.providers.default import DefaultAdapter
from emulator.providers.i2crm import I2crmAdapter
from emulator.providers.wazzup import WazzupAdapter

if TYPE_CHECKING:
    from emulator.settings import Settings

_ADAPTER_CLASSES: tuple[AdapterClass, ...] = (WazzupAdapter, I2crmAdapter, DefaultAdapter)

ADAPTERS: dict[str, AdapterClass] = {cls.name: cls for cls in _ADAPTER_CLASSES}


def adapter_for(provider: str, settings: Settings) -> ProviderAdapter:
    adapter: ProviderAdapter = ADAPTERS[provider](settings.provider_timeout_seconds)
    return adapter


def new_webhook_secret(provider: str) -> str | None:
    """A fresh webhook secret in the form the provider needs (None: it needs none)."""
    adapter: ProviderAdapter = ADAPTERS[provider](0.0)
    return adapter.new_webhook_secret()
