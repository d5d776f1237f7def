"""The services as the suite arranges them: each connected with its standard active WhatsApp channel.

Built from the fakes (``mocks.registry.FAKE_CLASSES``): a service is a fake's ``title``, its standard channel
is its demo channel (``harness.world.DEMO_CHANNELS``), its word for an unusable channel the fake's
``inactive_state``. A fourth provider needs no entry here (only its example rows in the features).
"""

from __future__ import annotations

from harness.world import DEMO_CHANNELS
from mocks.outbox_page import display_phone
from mocks.registry import FAKE_CLASSES

STANDARD_CHANNELS = {cls.title: display_phone(DEMO_CHANNELS[name]) for name, cls in FAKE_CLASSES.items()}
# The word each service uses for a channel that cannot send (the fakes speak the service's own words).
INACTIVE_STATE = {cls.title: cls.inactive_state for cls in FAKE_CLASSES.values()}
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
