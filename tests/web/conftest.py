"""Fixtures of the HTML front door's tests: an app per test for TestClient, a live server for Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from emulator import seed
from emulator.app import create_app
from emulator.db import Database
from emulator.settings import Settings

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_WITHIN_SECONDS = 20.0


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


# -- a live server for the browser -------------------------------------------------------------


def _wait_until_listening(port: int, thread: threading.Thread) -> None:
    """Bounded: connect until the server answers, the thread dies, or the deadline passes."""
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            thread.join(timeout=0.05)  # waits on the server thread: returns at once if it died
            if not thread.is_alive():
                raise RuntimeError("the CRM server thread stopped while starting") from None
    raise RuntimeError(f"the CRM server did not listen on port {port} within {READY_WITHIN_SECONDS} s")


@pytest.fixture(scope="session")
def live_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crm]:
    """The emulator served by uvicorn in a thread on a free port (scheduler loop off, control API on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    crm = _crm(tmp_path_factory.mktemp("web-live"), f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(crm.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="crm-web-tests", daemon=True)
    thread.start()
    _wait_until_listening(port, thread)
    yield crm
    server.should_exit = True
    thread.join(timeout=10)
    crm.database.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_crm: Crm) -> str:
    """pytest-playwright's base URL: the live server above (overrides the suite's emulator fixture)."""
    return live_crm.settings.public_base_url


@pytest.fixture
def demo(live_crm: Crm) -> Crm:
    """The live server's data reset to the demo data before a browser test."""
    seed.reset(live_crm.database)
    return live_crm


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium where it is installed (no browser download here), Playwright's own elsewhere."""
    if SYSTEM_CHROMIUM.exists():
        return {**browser_type_launch_args, "executable_path": str(SYSTEM_CHROMIUM), "args": CHROMIUM_FLAGS}
    return browser_type_launch_args
