"""The in-process stack the benchmarks measure: emulator in a thread, fakes behind responses, frozen clock."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import responses
from freezegun import freeze_time

from drivers.api_driver import ApiDriver
from emulator.client import CrmClient
from emulator.seed import ADMIN_TOKEN
from harness.clock import REAL_TIME_MODULES, SCENARIO_START, FreezegunMover, ScenarioClock
from harness.emulator_server import EmulatorServer
from harness.provider_fakes import ProviderFakesFixture


@dataclass
class Stack:
    server: EmulatorServer
    client: CrmClient
    fakes_fixture: ProviderFakesFixture


@contextmanager
def stack() -> Iterator[Stack]:
    with tempfile.TemporaryDirectory() as tmp:
        server = EmulatorServer(Path(tmp)).start()
        try:
            yield Stack(
                server, CrmClient(server.base_url, ADMIN_TOKEN), ProviderFakesFixture(server.base_url, True, None)
            )
        finally:
            server.stop()


@contextmanager
def scenario(s: Stack) -> Iterator[tuple[ApiDriver, ScenarioClock]]:
    """What the suite does around one scenario: frozen clock, fresh fakes, fresh CRM data."""
    with (
        freeze_time(SCENARIO_START, real_asyncio=True, ignore=REAL_TIME_MODULES) as factory,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        s.fakes_fixture.start(rsps)
        s.client.reset(with_processes=False)
        yield ApiDriver(s.client), ScenarioClock(FreezegunMover(factory), s.client)
