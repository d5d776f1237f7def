"""ProviderFakes: the three fakes of one test run, addressed by name."""

from __future__ import annotations

from mocks.default import DefaultFake
from mocks.i2crm import I2crmFake
from mocks.outbox import OutboxMessage
from mocks.provider_fake import ProviderFake
from mocks.wazzup import WazzupFake

PROVIDER_NAMES = ("wazzup", "i2crm", "default")


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
        """Point i2crm and Default at the CRM's webhook routes (Wazzup subscribes through PATCH /webhooks)."""
        base = crm_base_url.rstrip("/")
        self.i2crm.webhook_url = f"{base}/api/webhooks/i2crm"
        self.default.webhook_url = f"{base}/api/webhooks/default"
