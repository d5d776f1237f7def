"""The CRM app, its database, the three provider fakes and a frozen clock, all in one process.

No sockets: ``requests`` calls to the CRM's public URL are answered by the ASGI app through a
TestClient, and calls to the providers by the fakes, both through one ``responses`` mock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import requests
import responses
from fastapi.testclient import TestClient

from emulator.api.deal_schemas import ContactIn, DealCreate, PhoneIn
from emulator.api.process_schemas import ProcessIn
from emulator.automation.scheduler import Scheduler
from emulator.client import CrmClient
from mocks.registry import ProviderFakes

STAGE_NEW, STAGE_WORK, STAGE_PAID = 4, 5, 6  # "Воронка 2"
CHANNELS = {"i2crm": "79370000002", "wazzup": "79370000001", "default": "79370000003"}


def proxy_to(app_client: TestClient) -> Any:
    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        response = app_client.request(
            request.method or "GET",
            request.url or "",
            content=request.body if isinstance(request.body, bytes) else (request.body or "").encode(),
            headers=dict(request.headers),
        )
        headers = {k: v for k, v in response.headers.items() if k.lower() not in {"content-length", "content-encoding"}}
        return response.status_code, headers, response.content

    return answer


@dataclass
class World:
    client: CrmClient
    fakes: ProviderFakes
    scheduler: Scheduler
    freezer: Any
    rsps: responses.RequestsMock

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def run_due(self) -> None:
        self.scheduler.run_due()

    def advance(self, delta: dt.timedelta) -> None:
        """Step through every due moment up to now + delta, running the scheduler at each."""
        target = self.now() + delta
        self.run_due()
        while (due := self.scheduler.next_due_at()) is not None and due <= target:
            if due > self.now():
                self.freezer.move_to(due)
            self.run_due()
        self.freezer.move_to(target)
        self.run_due()

    # -- arrangement ---------------------------------------------------------------------------

    def connect_default(self) -> None:
        integration = self.client.connect("default", "demo-default-key")
        self.fakes.default.webhook_secret = integration.webhook_secret

    def channel_id(self, provider: str) -> int:
        channel = next(c for c in self.client.integration(provider).channels if c.phone == CHANNELS[provider])
        return channel.id

    def process(self, provider: str, **fields: Any) -> int:
        if provider == "default" and not self.client.integration("default").connected:
            self.connect_default()
        fields = {"text": "Здравствуйте!", **fields}
        body = ProcessIn(stage_id=STAGE_WORK, provider=provider, channel_id=self.channel_id(provider), **fields)
        return self.client.create_process(body).id

    def deal(self, *contacts: tuple[bool, tuple[str, ...]]) -> int:
        people = contacts or ((True, ("+7(999)888-55-22",)),)
        body = DealCreate(
            funnel_id=2, stage_id=STAGE_NEW, client_name="Иван Клиентов",
            contacts=[
                ContactIn(name=f"Контакт {n}", is_primary=primary, phones=[PhoneIn(value=p) for p in phones])
                for n, (primary, phones) in enumerate(people)
            ],
        )  # fmt: skip
        return self.client.create_deal(body).id

    def enter(self, deal_id: int, stage_id: int = STAGE_WORK) -> None:
        self.client.change_stage(deal_id, stage_id)
        self.run_due()

    # -- observation ---------------------------------------------------------------------------

    def statuses(self, deal_id: int) -> list[str]:
        """Bodies of the business-process entries of the deal's log, oldest first."""
        entries = [e for e in self.client.timeline(deal_id) if e.kind == "bp_message"]
        return [e.body for e in reversed(entries)]

    def sends(self, provider: str) -> list[Any]:
        return [
            e for e in self.fakes.get(provider).journal
            if e.method == "POST" and e.path in ("/message", "/messages", "/target/feedback")
        ]  # fmt: skip
