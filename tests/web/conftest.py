"""Fixtures of the HTML front door's tests: an app per test for TestClient, the stand's server for Playwright."""

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
from sqlalchemy import select

from emulator import clock, seed, web_sessions
from emulator.app import create_app
from emulator.client import CrmClient
from emulator.db import Database
from emulator.models import User
from emulator.settings import Settings
from emulator.web import csrf
from emulator.web.access import SESSION_COOKIE
from harness.clock import SCENARIO_START
from harness.emulator_server import NotifyingServer
from harness.world import Stand, wire_webhooks
from mocks import clock as fakes_clock
from mocks.app import create_app as create_fakes_app
from mocks.demo import seed_demo
from mocks.registry import ProviderFakes
from mocks.responses_mount import mount
from pages.signed_in import SignIns
from tests.demo_rows import DemoRowLookups


@dataclass
class Crm(DemoRowLookups):
    """An emulator app on its own SQLite file, seeded with the demo data; its rows by name
    (``web_app.stage("Воронка 2", "Новая")``)."""

    app: FastAPI
    database: Database
    settings: Settings

    def client(self, login: str | None = None) -> TestClient:
        """A browser's client; with ``login``, signed in: a session opened for that user (as the sign-in form
        opens one, without paying argon2 per test), its cookie set and its CSRF token sent with every request
        in the ``X-CSRF-Token`` header (the editor's uploads send it so; the forms' hidden field is checked by
        tests/security)."""
        client = TestClient(self.app, follow_redirects=False)
        if login is not None:
            with self.database.session() as session:
                user = session.scalars(select(User).where(User.login == login)).one()
                token = web_sessions.open_session(session, user.id, clock.now())
            client.cookies.set(SESSION_COOKIE, token)
            client.headers["X-CSRF-Token"] = csrf.token_for(token)
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
def web_app(tmp_path: Path) -> Crm:
    """The app over its own seeded database, for TestClient (no server, no browser)."""
    return _crm(tmp_path)


@pytest.fixture
def admin(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client("admin") as client:
        yield client


@pytest.fixture
def manager(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client("manager") as client:
        yield client


@pytest.fixture
def anonymous(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client() as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test (``item.rep_call``): a test's own report entry reads its outcome."""
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# -- the live server for the browser: the suite's stand (harness/world.py) ------------------------


@pytest.fixture
def demo(crm_stand: Stand) -> Iterator[Crm]:
    """The stand's CRM reset to the full demo data (processes included) before a browser test.

    The CRM's and the fakes' clocks start at the scenarios' instant (the task's 14:23 in Moscow) and keep
    running: what the card says ("сегодня в …", a task due in 15 minutes) must not depend on the hour the
    suite runs at (near midnight a task due in 15 minutes is due tomorrow)."""
    server = crm_stand.server
    if server is None:
        pytest.skip("the page tests need the in-process emulator")
    clock.set_now(SCENARIO_START)
    fakes_clock.set_now(SCENARIO_START)
    try:
        seed.reset(server.database)
        yield Crm(server.app, server.database, server.settings)
    finally:
        clock.reset()
        fakes_clock.reset()


# -- the browser, signed in; the provider fakes behind the live server ----------------------------


@pytest.fixture
def admin_page(ui_page: Page, demo: Crm, base_url: str, browser_sign_ins: SignIns) -> Page:
    """A browser page signed in as the administrator (the session's sign-in through the screen, its cookies
    reused: pages/signed_in.py), on the deals, the live server on its demo data. The sign-in screen's own
    tests use pytest-playwright's fresh ``page`` and sign in themselves."""
    browser_sign_ins.sign_in(ui_page, base_url, "admin", "admin")
    ui_page.goto(f"{base_url}/deals")
    expect(ui_page).to_have_url(f"{base_url}/deals")
    return ui_page


@pytest.fixture
def crm_client(demo: Crm, base_url: str) -> CrmClient:
    """The live server's REST API as the administrator (arranging data, running due work)."""
    return CrmClient(base_url, seed.ADMIN_TOKEN)


@pytest.fixture
def fakes(crm_stand: Stand, demo: Crm) -> Iterator[ProviderFakes]:
    """The stand's provider fakes with the demo accounts, answering the live server's provider calls (real time:
    the pages' live updates are what these tests watch)."""
    provider_fakes = crm_stand.fakes
    assert isinstance(provider_fakes, ProviderFakes)
    provider_fakes.reset()
    seed_demo(provider_fakes)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru(crm_stand.crm_url)
        rsps.add_passthru("http://127.0.0.1")
        mount(rsps, provider_fakes)
        wire_webhooks(provider_fakes, CrmClient(crm_stand.crm_url, seed.ADMIN_TOKEN))
        yield provider_fakes


@dataclass
class FakesServer:
    """The standalone fakes' app (their outbox page) serving the same fakes the live CRM talks to."""

    fakes: ProviderFakes
    base_url: str


@pytest.fixture
def fakes_server(fakes: ProviderFakes) -> Iterator[FakesServer]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = NotifyingServer(uvicorn.Config(create_fakes_app(fakes), log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="fakes-page", daemon=True)
    thread.start()
    if not server.ready.wait(timeout=30):
        raise RuntimeError("the fakes' page did not start within 30 s")
    yield FakesServer(fakes, f"http://127.0.0.1:{sock.getsockname()[1]}")
    server.should_exit = True
    thread.join(timeout=10)
