"""Fixtures of the HTML front door's tests: an app per test for TestClient, a live server for Playwright."""

from __future__ import annotations

import socket
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import responses
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from emulator import seed
from emulator.app import create_app
from emulator.client import CrmClient
from emulator.db import Database
from emulator.settings import Settings
from harness.emulator_server import EmulatorServer
from mocks.app import create_app as create_fakes_app
from mocks.demo import seed_demo
from mocks.registry import ProviderFakes
from mocks.responses_mount import mount
from pages.login_page import LoginPage


@dataclass
class Crm:
    """An emulator app on its own SQLite file, seeded with the demo data."""

    app: FastAPI
    database: Database
    settings: Settings

    def client(self, token: str | None = None) -> TestClient:
        client = TestClient(self.app, follow_redirects=False)
        if token is not None:
            client.cookies.set("crm_session", token)
        return client


def _settings(data_dir: Path, base_url: str = "http://testserver") -> Settings:
    return Settings(
        database_url=f"sqlite:///{data_dir / 'crm.sqlite3'}",
        files_dir=data_dir / "files",
        public_base_url=base_url,
        control_api=True,
        scheduler_loop=False,
    )


def _crm(data_dir: Path, base_url: str = "http://testserver") -> Crm:
    settings = _settings(data_dir, base_url)
    database = Database(settings.database_url)
    database.create_schema()
    seed.reset(database)
    return Crm(create_app(settings, database), database, settings)


@pytest.fixture
def crm(tmp_path: Path) -> Crm:
    return _crm(tmp_path)


@pytest.fixture
def admin(crm: Crm) -> Iterator[TestClient]:
    with crm.client(seed.ADMIN_TOKEN) as client:
        yield client


@pytest.fixture
def manager(crm: Crm) -> Iterator[TestClient]:
    with crm.client(seed.MANAGER_TOKEN) as client:
        yield client


@pytest.fixture
def anonymous(crm: Crm) -> Iterator[TestClient]:
    with crm.client() as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test (``item.rep_call``): a test's own report entry reads its outcome."""
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# -- a live server for the browser -------------------------------------------------------------


@pytest.fixture(scope="session")
def live_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crm]:
    """The emulator served by uvicorn in a thread on a free port (scheduler loop off, control API on)."""
    server = EmulatorServer(tmp_path_factory.mktemp("web-live")).start()
    seed.reset(server.database)
    yield Crm(server.app, server.database, server.settings)
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_crm: Crm) -> str:
    """pytest-playwright's base URL: the live server above (overrides the suite's emulator fixture)."""
    return live_crm.settings.public_base_url


@pytest.fixture
def demo(live_crm: Crm) -> Crm:
    """The live server's data reset to the demo data before a browser test."""
    seed.reset(live_crm.database)
    return live_crm


# -- the browser, signed in; the provider fakes behind the live server ----------------------------


@pytest.fixture
def admin_page(page: Page, demo: Crm, base_url: str) -> Page:
    """A browser page signed in as the administrator, the live server on its demo data."""
    LoginPage(page, base_url).open().sign_in("admin", "admin")
    expect(page).to_have_url(f"{base_url}/deals")
    return page


@pytest.fixture
def crm_client(demo: Crm, base_url: str) -> CrmClient:
    """The live server's REST API as the administrator (arranging data, running due work)."""
    return CrmClient(base_url, seed.ADMIN_TOKEN)


@pytest.fixture
def fakes(demo: Crm, base_url: str) -> Iterator[ProviderFakes]:
    """The provider fakes with the demo accounts, answering the live server's provider calls in this process."""
    provider_fakes = ProviderFakes()
    seed_demo(provider_fakes)
    provider_fakes.configure_webhooks(base_url)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru(base_url)
        rsps.add_passthru("http://127.0.0.1")
        mount(rsps, provider_fakes)
        yield provider_fakes


class _ReadyServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


@dataclass
class FakesServer:
    """The standalone fakes' app (their outbox page) serving the same fakes the live CRM talks to."""

    fakes: ProviderFakes
    base_url: str


@pytest.fixture
def fakes_server(fakes: ProviderFakes) -> Iterator[FakesServer]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = _ReadyServer(uvicorn.Config(create_fakes_app(fakes), log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="fakes-page", daemon=True)
    thread.start()
    if not server.ready.wait(timeout=30):
        raise RuntimeError("the fakes' page did not start within 30 s")
    yield FakesServer(fakes, f"http://127.0.0.1:{sock.getsockname()[1]}")
    server.should_exit = True
    thread.join(timeout=10)
