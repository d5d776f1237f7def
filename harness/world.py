"""The one way to build a scenario world: the CRM, the provider fakes, the frozen clock, webhook wiring.

Used by the acceptance fixtures (``conftest.py``), the engine tests (``tests/engine``) and the
benchmarks (``bench/``). Two levels:

- a :class:`Stand` lives for a whole test session: the CRM (served here in a thread over its own
  database, or one started elsewhere: ``crm_url``) and the three provider fakes (in-process, or the
  standalone ``python -m mocks`` server at ``fakes_url``);
- a :class:`World` is one scenario on a stand (``with stand.scenario() as world``): the CRM's demo
  data fresh, the fakes fresh with the demo accounts and mounted in-process behind ``responses``, the
  clock frozen at :data:`harness.clock.SCENARIO_START`, webhooks pointed at the CRM.

Seed rows are reached by name (``world.stage("Воронка 2", "В работе")``), never by numeric id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import responses

from emulator.api.deal_schemas import ContactIn, DealCreate, PhoneIn
from emulator.api.process_schemas import ProcessIn
from emulator.automation.scheduler import Scheduler
from emulator.client import CrmClient, Exchange
from emulator.db import Database
from emulator.seed import ADMIN_TOKEN
from emulator.settings import Settings
from harness.clock import SCENARIO_START, FreezegunMover, RemoteMover, ScenarioClock, frozen
from harness.contract_audit import audit_journals
from harness.emulator_server import EmulatorServer
from mocks.demo import DEMO_DEFAULT_KEY, seed_demo
from mocks.interface import FakeProviders
from mocks.journal import JournalEntry
from mocks.registry import ProviderFakes
from mocks.remote import RemoteProviderFakes
from mocks.responses_mount import mount

DEMO_FUNNEL = "Воронка 2"
CLIENT_PHONE = "+7(999)888-55-22"
DEMO_CHANNELS = {"i2crm": "79370000002", "wazzup": "79370000001", "default": "79370000003"}
# The demo integrations the seed connects: the CRM registers their webhooks at the start of a scenario.
SEEDED_WITH_WEBHOOKS = ("wazzup",)


@dataclass(frozen=True)
class StandOptions:
    """Where the CRM and the fakes of a session come from."""

    data_dir: Path
    database_url: str | None = None  # the in-process CRM's database (default: SQLite under data_dir)
    crm_url: str | None = None  # an emulator started elsewhere, with its control API on
    fakes_url: str | None = None  # the standalone fakes that emulator talks to (required with crm_url)
    # That emulator's CRM_CONTROL_TOKEN (its control API's bearer token); the in-process CRM has none: it
    # listens on loopback and only this process talks to its control API.
    control_token: str | None = None


class Stand:
    """The CRM and the provider fakes of one test session."""

    def __init__(self, options: StandOptions) -> None:
        self.options = options
        self.server: EmulatorServer | None = None
        self._freezer: Any = None  # the in-process scenarios' frozen clock, kept between scenarios
        self._factory: Any = None
        self.fakes: FakeProviders
        if options.crm_url:
            if not options.fakes_url:
                raise RuntimeError("an emulator elsewhere (--base-url) needs its fakes too (--fakes-url)")
            self.crm_url = options.crm_url.rstrip("/")
            self.fakes = RemoteProviderFakes(options.fakes_url)
        else:
            self.server = EmulatorServer(options.data_dir, options.database_url)
            self.crm_url = self.server.base_url
            self.fakes = ProviderFakes()

    @property
    def in_process(self) -> bool:
        return self.server is not None

    def start(self) -> Stand:
        if self.server is not None:
            self.server.start()
            assert isinstance(self.fakes, ProviderFakes)
            # The fakes' webhooks reach this CRM's app as the REST client's requests do: without the socket
            # (the browser, the raw-HTTP tests and the remote mode keep it).
            self.fakes.deliver_webhooks_through(self.crm_url, self.server.adapter())
        return self

    def stop(self) -> None:
        self.release_clock()
        if self.server is not None:
            self.server.stop()

    def __enter__(self) -> Stand:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def client(self, token: str = ADMIN_TOKEN, on_exchange: Callable[[Exchange], None] | None = None) -> CrmClient:
        session = requests.Session()
        transport = None
        if self.server is not None:  # in-process: straight to the app (harness/asgi_transport.py)
            session.mount(f"{self.crm_url}/", self.server.adapter())
            transport = self.server.transport()
        return CrmClient(
            self.crm_url,
            token,
            on_exchange=on_exchange,
            session=session,
            control_token=self.options.control_token,
            transport=transport,
        )

    @contextmanager
    def scenario(
        self, *, with_processes: bool = False, on_exchange: Callable[[Exchange], None] | None = None
    ) -> Iterator[World]:
        """One scenario: fresh data and fakes, the clock frozen at SCENARIO_START."""
        client = self.client(on_exchange=on_exchange)
        if not self.in_process:
            client.set_clock(SCENARIO_START)
            self.fakes.set_clock(SCENARIO_START)
            self._prepare(client, with_processes)
            yield World(self, client, ScenarioClock(RemoteFakesMover(client, self.fakes), client))
            audit_journals(self.fakes)
            return
        factory = self._clock_at_start()
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            rsps.add_passthru(self.crm_url)
            assert isinstance(self.fakes, ProviderFakes)
            mount(rsps, self.fakes, elapse=lambda seconds: _tick(factory, seconds))
            self._prepare(client, with_processes)
            world = World(self, client, ScenarioClock(FreezegunMover(factory), client), rsps.add_passthru)
            try:
                yield world
            finally:
                world.stop_other_crms()
            audit_journals(self.fakes)

    def _clock_at_start(self) -> Any:
        """Time frozen at SCENARIO_START for an in-process scenario.

        Frozen at the first scenario and kept frozen between scenarios, each moving it back to the start:
        freezegun's ``start()`` goes through every loaded module (about 6 ms a scenario with the suite's
        2 000 modules). Whatever runs between two scenarios sees the frozen clock; whatever must keep real
        time (event loops, the reporters) is in ``harness.clock.REAL_TIME_MODULES`` as during a scenario.
        :meth:`release_clock` gives real time back: before a test that builds no world (conftest.py) and
        when the stand stops.
        """
        if self._freezer is None:
            self._freezer = frozen(SCENARIO_START)
            self._factory = self._freezer.start()
        else:
            self._factory.move_to(SCENARIO_START)
        return self._factory

    def release_clock(self) -> None:
        """Real time again (a frozen clock kept since the last in-process scenario is stopped)."""
        if self._freezer is not None:
            freezer, self._freezer, self._factory = self._freezer, None, None
            freezer.stop()

    def _prepare(self, client: CrmClient, with_processes: bool) -> None:
        self.fakes.reset()
        seed_demo(self.fakes)
        client.reset(with_processes=with_processes)
        wire_webhooks(self.fakes, client)


def _tick(factory: Any, seconds: float) -> None:
    """A provider's slowness costs scenario time (freezegun's frozen clock moves on)."""
    factory.tick(dt.timedelta(seconds=seconds))


class RemoteFakesMover(RemoteMover):
    """Against an emulator elsewhere: its clock and the standalone fakes' clock move together."""

    def __init__(self, client: CrmClient, fakes: FakeProviders) -> None:
        super().__init__(client)
        self._fakes = fakes

    def move_to(self, moment: dt.datetime) -> None:
        super().move_to(moment)
        self._fakes.set_clock(moment)


def wire_webhooks(fakes: FakeProviders, client: CrmClient) -> None:
    """Each provider learns where to post the CRM's status webhooks the way its account is configured.

    i2crm: a person enters the callback URL in the i2crm cabinet (no secret: i2crm signs with the channel
    key it made itself). Wazzup and Default learn the address, with the CRM's secret in it or beside it,
    only from the CRM's own registration call: the demo integrations the seed connects register theirs
    here, as a refresh of their channels does ("Обновить каналы"). Nothing here knows a CRM secret.
    """
    fakes.configure_webhooks(client.base_url)
    for provider in SEEDED_WITH_WEBHOOKS:
        client.sync_channels(provider)


@dataclass
class World:
    """One scenario: the CRM as the administrator's REST client, the fakes, the scenario clock."""

    stand: Stand
    client: CrmClient
    clock: ScenarioClock
    pass_through: Callable[[str], Any] | None = None  # lets another local server past the in-process mount
    _funnels: dict[str, dict[str, int]] = field(default_factory=dict)
    _other_crms: list[EmulatorServer] = field(default_factory=list)

    # -- another CRM on the same provider accounts (two databases, one Default account) ----------

    def other_crm(self) -> World:
        """A second CRM with its own fresh database, talking to the same fakes (in-process only)."""
        if not self.stand.in_process or self.pass_through is None:
            raise RuntimeError("a second CRM needs the in-process fakes")
        data_dir = self.stand.options.data_dir / f"other-{len(self._other_crms)}"
        data_dir.mkdir(parents=True, exist_ok=True)
        server = EmulatorServer(data_dir)
        self.pass_through(server.base_url)
        server.start()
        self._other_crms.append(server)
        client = CrmClient(server.base_url, ADMIN_TOKEN)
        client.reset(with_processes=False)
        return World(self.stand, client, ScenarioClock(self.clock.mover, client), self.pass_through)

    def stop_other_crms(self) -> None:
        for server in self._other_crms:
            server.stop()
        self._other_crms.clear()

    @property
    def fakes(self) -> FakeProviders:
        return self.stand.fakes

    @property
    def crm_url(self) -> str:
        return self.stand.crm_url

    # -- the in-process CRM's insides (engine tests and benchmarks only) -------------------------

    @property
    def server(self) -> EmulatorServer:
        if self.stand.server is None:
            raise RuntimeError("the CRM runs elsewhere: its database and scheduler are out of reach")
        return self.stand.server

    @property
    def local_fakes(self) -> ProviderFakes:
        """The in-process fakes themselves (their provider-specific state, beyond the common interface)."""
        if not isinstance(self.stand.fakes, ProviderFakes):
            raise RuntimeError("the fakes run elsewhere: only their common interface is in reach")
        return self.stand.fakes

    @property
    def database(self) -> Database:
        return self.server.database

    @property
    def settings(self) -> Settings:
        return self.server.settings

    @property
    def scheduler(self) -> Scheduler:
        scheduler: Scheduler = self.server.app.state.scheduler
        return scheduler

    # -- named lookups of the demo data ----------------------------------------------------------

    def funnel(self, name: str) -> int:
        return next(f.id for f in self.client.funnels() if f.name == name)

    def stage(self, funnel: str, stage: str) -> int:
        if not self._funnels:
            for item in self.client.funnels():
                self._funnels[item.name] = {s.name: s.id for s in item.stages}
        try:
            return self._funnels[funnel][stage]
        except KeyError:
            raise KeyError(f"нет этапа «{stage}» в воронке «{funnel}»") from None

    def channel(self, provider: str, phone_digits: str) -> int:
        """The CRM's id of a provider channel, by its number as digits (``79370000003``)."""
        channels = self.client.integration(provider).channels
        try:
            return next(c.id for c in channels if c.phone == phone_digits)
        except StopIteration:
            raise KeyError(f"у {provider} нет канала {phone_digits}: {[c.phone for c in channels]}") from None

    # -- arranging through the REST API (engine tests and benchmarks; scenarios use the driver) ----

    def process(self, provider: str, stage: str = "В работе", funnel: str = DEMO_FUNNEL, **fields: Any) -> int:
        """A business process on ``stage`` through ``provider``'s demo channel; fields as ``ProcessIn``."""
        if provider == "default" and not self.client.integration("default").connected:
            self.client.connect("default", DEMO_DEFAULT_KEY)  # registers its webhook with Default
        body = ProcessIn(
            stage_id=self.stage(funnel, stage),
            provider=provider,
            channel_id=self.channel(provider, DEMO_CHANNELS[provider]),
            **{"text": "Здравствуйте!", **fields},
        )
        return self.client.create_process(body).id

    def deal(self, *contacts: tuple[bool, tuple[str, ...]], stage: str = "Новая", funnel: str = DEMO_FUNNEL) -> int:
        """A deal whose contacts are (primary?, phones); by default one primary contact +7(999)888-55-22."""
        people = contacts or ((True, (CLIENT_PHONE,)),)
        body = DealCreate(
            funnel_id=self.funnel(funnel),
            stage_id=self.stage(funnel, stage),
            client_name="Иван Клиентов",
            contacts=[
                ContactIn(name=f"Контакт {n}", is_primary=primary, phones=[PhoneIn(value=p) for p in phones])
                for n, (primary, phones) in enumerate(people)
            ],
        )
        return self.client.create_deal(body).id

    def enter(self, deal_id: int, stage: str = "В работе", funnel: str = DEMO_FUNNEL) -> None:
        """The deal enters ``stage``; what falls due now is executed."""
        self.client.change_stage(deal_id, self.stage(funnel, stage))
        self.clock.run_due()

    def statuses(self, deal_id: int) -> list[str]:
        """Bodies of the business-process entries of the deal's log, oldest first."""
        entries = [e for e in self.client.timeline(deal_id) if e.kind == "bp_message"]
        return [e.body for e in reversed(entries)]

    def sends(self, provider: str) -> list[JournalEntry]:
        """The fake's journal entries of message sends, oldest first."""
        fake = self.fakes.get(provider)
        return fake.profile.sends(fake.journal)
