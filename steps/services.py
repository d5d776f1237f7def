"""The services as the suite arranges them: each connected with its standard active WhatsApp channel.

A fourth provider is one entry here (and one example row per outline of the regression feature).
"""

from __future__ import annotations

STANDARD_CHANNELS = {"I2CRM": "+7(937)000-00-02", "Wazzup": "+7(937)000-00-01", "Default": "+7(937)000-00-03"}
# The word each service uses for a channel that cannot send (the fakes speak the service's own words).
INACTIVE_STATE = {"I2CRM": "inactive", "Wazzup": "disabled", "Default": "inactive"}
SERVICES = tuple(STANDARD_CHANNELS)


def canonical(service: str) -> str:
    """ "WAZZUP" (the card's title) / "wazzup" -> "Wazzup" (the editor's label)."""
    for name in SERVICES:
        if name.lower() == service.strip().lower():
            return name
    raise KeyError(f"неизвестный сервис «{service}» (есть: {', '.join(SERVICES)})")


def standard_channel(service: str) -> str:
    return STANDARD_CHANNELS[canonical(service)]


def inactive_state(service: str) -> str:
    return INACTIVE_STATE[canonical(service)]
