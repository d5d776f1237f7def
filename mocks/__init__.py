"""Stateful fakes of the WhatsApp providers' HTTP APIs (Wazzup, i2crm, Default).

In-process: ``mount(rsps, fakes)`` from ``mocks.responses_mount`` inside ``responses.RequestsMock()``.
Standalone: ``python -m mocks`` (``mocks.app.create_app``), driven by ``mocks.remote.RemoteProviderFakes``.
"""

from mocks.channel import FakeChannel
from mocks.default import DefaultFake
from mocks.faults import Fault
from mocks.i2crm import I2crmFake
from mocks.journal import Journal, JournalEntry
from mocks.outbox import Attachment, OutboxMessage
from mocks.provider_fake import ProviderFake, RateLimit, StatusOptions
from mocks.registry import ProviderFakes
from mocks.wazzup import WazzupFake
from mocks.wire import FakeRequest, FakeResponse, Outcome

__all__ = [
    "Attachment",
    "DefaultFake",
    "FakeChannel",
    "FakeRequest",
    "FakeResponse",
    "Fault",
    "I2crmFake",
    "Journal",
    "JournalEntry",
    "OutboxMessage",
    "Outcome",
    "ProviderFake",
    "ProviderFakes",
    "RateLimit",
    "StatusOptions",
    "WazzupFake",
]
