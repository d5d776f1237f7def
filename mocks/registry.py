"""ProviderFakes: the fakes of one test run, addressed by name.

``FAKE_CLASSES`` is the only list of the fakes: the containers (in process and remote), the standalone
server's routes, the outbox page and the test kit's tables are built from it and from what each fake
class declares (``name``, ``title``, ``prefix()``, ``inactive_state``). A new provider is one entry in
``_FAKE_CLASSES`` (and its import).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Generic, TypeVar

from requests.adapters import BaseAdapter

from mocks import clock
from mocks.default import DefaultFake
from mocks.i2crm import I2crmFake
from mocks.outbox import OutboxMessage
from mocks.provider_fake import ProviderFake
from mocks.wazzup import WazzupFake

_FAKE_CLASSES: tuple[type[ProviderFake], ...] = (WazzupFake, I2crmFake, DefaultFake)

FAKE_CLASSES: dict[str, type[ProviderFake]] = {cls.name: cls for cls in _FAKE_CLASSES}
PROVIDER_NAMES: tuple[str, ...] = tuple(FAKE_CLASSES)

F = TypeVar("F", bound=ProviderFake)
Named = TypeVar("Named")


class FakesByName(Generic[Named]):
    """The fakes of a test run addressed by provider name, in the order of ``FAKE_CLASSES``: ``fakes.<name>``,
    ``fakes.get(name)``, ``fakes.all()`` (in process and remote alike)."""

    _fakes: dict[str, Named]

    def __getattr__(self, name: str) -> Named:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._fakes[name]
        except KeyError:
            raise AttributeError(f"no provider fake {name!r}; known: {', '.join(PROVIDER_NAMES)}") from None

    def all(self) -> list[Named]:
        """Every fake, in the order of ``FAKE_CLASSES``."""
        return list(self._fakes.values())

    def get(self, name: str) -> Named:
        """The fake called ``name`` (a key of ``FAKE_CLASSES``)."""
        try:
            return self._fakes[name]
        except KeyError:
            raise KeyError(f"no provider fake {name!r}; known: {', '.join(PROVIDER_NAMES)}") from None


class ProviderFakes(FakesByName[ProviderFake]):
    """One fake per provider; base URLs default to the real services'. ``fakes.<name>`` is that fake (typed
    as a ``ProviderFake``; ``fakes.of(<its class>)`` types it as its own class).

    ``base_urls`` (provider -> URL) or ``<name>_base_url=`` keywords point fakes elsewhere."""

    def __init__(self, base_urls: Mapping[str, str] | None = None, **named_base_urls: str | None) -> None:
        urls = dict(base_urls or {})
        for key, url in named_base_urls.items():
            name = key.removesuffix("_base_url")
            if name not in FAKE_CLASSES or name == key:
                raise TypeError(f"unexpected keyword {key!r}; known: <provider>_base_url for {PROVIDER_NAMES}")
            if url is not None:
                urls[name] = url
        self._fakes = {name: cls(urls.get(name)) for name, cls in FAKE_CLASSES.items()}

    def of(self, fake_class: type[F]) -> F:
        """The fake of ``fake_class``, typed as such (``fakes.of(WazzupFake).subscriptions``)."""
        fake = self._fakes[fake_class.name]
        if not isinstance(fake, fake_class):
            raise TypeError(f"the fake {fake_class.name!r} is a {type(fake).__name__}, not a {fake_class.__name__}")
        return fake

    def reset(self) -> None:
        """Reset every fake to empty."""
        for fake in self.all():
            fake.reset()

    def outbox(self) -> list[OutboxMessage]:
        """Accepted messages of every provider, in acceptance order."""
        return sorted((m for fake in self.all() for m in fake.outbox), key=lambda m: m.sequence)

    def deliver_webhooks_through(self, crm_base_url: str, adapter: BaseAdapter) -> None:
        """Webhooks to the CRM at ``crm_base_url`` go through ``adapter`` (the in-process stand's: the CRM's
        own app on its loop, without the socket); the same bytes, headers and method, the CRM's real answer."""
        for fake in self.all():
            fake.webhook_session.mount(f"{crm_base_url.rstrip('/')}/", adapter)

    def configure_webhooks(self, crm_base_url: str) -> None:
        """Enter the CRM's callback URL where a person would, for every fake that does not learn it from the
        CRM's registration call (e.g. in a provider's cabinet, with no secret: such a provider signs with
        the channel key)."""
        for fake in self.all():
            if not fake.learns_webhook_by_registration:
                fake.webhook_url = f"{crm_base_url.rstrip('/')}/api/webhooks/{fake.name}"

    def set_clock(self, moment: datetime) -> None:
        """The fakes' clock reads ``moment`` from now on (a standalone server following a remote scenario)."""
        clock.set_now(moment)
