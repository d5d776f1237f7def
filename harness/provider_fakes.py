"""The provider fakes of a scenario: in-process behind ``responses``, or a standalone fake server."""

from __future__ import annotations

from typing import Any

import responses

from emulator.seed import DEMO_WAZZUP_WEBHOOK_SECRET
from mocks.demo import seed_demo
from mocks.registry import ProviderFakes
from mocks.remote import RemoteProviderFakes
from mocks.responses_mount import mount


class ProviderFakesFixture:
    """Makes the fakes match the CRM's demo data at the start of every scenario."""

    def __init__(self, crm_url: str, in_process: bool, fakes_url: str | None) -> None:
        self.crm_url = crm_url
        self.in_process = in_process
        if in_process:
            self.fakes: Any = ProviderFakes()
        elif fakes_url:
            self.fakes = RemoteProviderFakes(fakes_url)
        else:
            raise RuntimeError("with --base-url pass --fakes-url too (python -m mocks serves them)")

    def start(self, rsps: responses.RequestsMock | None) -> Any:
        self.fakes.reset()
        seed_demo(self.fakes)
        self.fakes.configure_webhooks(self.crm_url)
        self.fakes.wazzup.webhook_url = f"{self.crm_url}/api/webhooks/wazzup"
        self.fakes.wazzup.webhook_secret = DEMO_WAZZUP_WEBHOOK_SECRET
        if rsps is not None:
            rsps.add_passthru(self.crm_url)
            mount(rsps, self.fakes)
        return self.fakes
