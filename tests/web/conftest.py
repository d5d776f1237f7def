"""Fixtures of the HTML front door's tests: an app per test for TestClient, the stand's server for Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from emulator import seed
from emulator.app import create_app
from emulator.db import Database
from emulator.settings import Settings
from harness.world import Stand


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
def web_app(tmp_path: Path) -> Crm:
    """The app over its own seeded database, for TestClient (no server, no browser)."""
    return _crm(tmp_path)


@pytest.fixture
def admin(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client(seed.ADMIN_TOKEN) as client:
        yield client


@pytest.fixture
def manager(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client(seed.MANAGER_TOKEN) as client:
        yield client


@pytest.fixture
def anonymous(web_app: Crm) -> Iterator[TestClient]:
    with web_app.client() as client:
        yield client


# -- the live server for the browser: the suite's stand (harness/world.py) ------------------------


@pytest.fixture
def demo(crm_stand: Stand) -> Crm:
    """The stand's CRM reset to the full demo data (processes included) before a browser test."""
    server = crm_stand.server
    if server is None:
        pytest.skip("the page tests need the in-process emulator")
    seed.reset(server.database)
    return Crm(server.app, server.database, server.settings)
