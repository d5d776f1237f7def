"""ProviderFakes: the three fakes of one test run, addressed by name."""

from __future__ import annotations

from datetime import datetime

from mocks import clock
from mocks.default import DefaultFake
from mocks.i2crm import I2crmFake
from mocks.outbox import OutboxMessage
from mocks.provider_fake import ProviderFake
from mocks.wazzup import WazzupFake

PROVIDER_NAMES = ("wazzup", "i2crm", "default")
FAKE_CLASSES: dict[str, type[ProviderFake]] = {"wazzup": WazzupFake, "i2crm": I2crmFake, "default": DefaultFake}


class ProviderFakes:
    """Wazzup, i2crm and Default fakes; base URLs default to the real services' (Default: example.com)."""

    def __init__(
        self,
        wazzup_base_url: str | None = None,
        i2crm_base_url: str | None = None,
        default_base_url: str | None = None,
    ) -> None:
        self.wazzup = WazzupFake(wazzup_base_url)
        self.i2crm = I2crmFake(i2crm_base_url)
        self.default = DefaultFake(default_base_url)

    def all(self) -> list[ProviderFake]:
        """The three fakes, in the order wazzup, i2crm, default."""
        return [self.wazzup, self.i2crm, self.default]

    def get(self, name: str) -> ProviderFake:
        """The fake called ``name`` ("wazzup", "i2crm", "default")."""
        for fake in self.all():
            if fake.name == name:
                return fake
        raise KeyError(f"no provider fake {name!r}; known: {', '.join(PROVIDER_NAMES)}")

    def reset(self) -> None:
        """Reset every fake to empty."""
        for fake in self.all():
            fake.reset()

    def outbox(self) -> list[OutboxMessage]:
        """Accepted messages of every provider, in acceptance order."""
        return sorted((m for fake in self.all() for m in fake.outbox), key=lambda m: m.sequence)

    def configure_webhooks(self, crm_base_url: str) -> None:
        """Enter the CRM's callback URL where a person would: in the i2crm cabinet (no secret; i2crm signs
        with the channel key). Wazzup and Default learn theirs from the CRM's registration calls."""
        self.i2crm.webhook_url = f"{crm_base_url.rstrip('/')}/api/webhooks/i2crm"

    def set_clock(self, moment: datetime) -> None:
        """The fakes' clock reads ``moment`` from now on (a standalone server following a remote scenario)."""
        clock.set_now(moment)
