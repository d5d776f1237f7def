"""A seeded emulator app per test (no server, no web) and a web-like sign-in through the form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from emulator import clock, seed
from emulator.app import create_app
from emulator.db import Database
from emulator.settings import Settings
from tests.csrf_form import form_token


def sign_in(client: TestClient, login: str, password: str) -> TestClient:
    """As a web does: open the sign-in form, post it with its hidden CSRF field."""
    token = form_token(client.get("/login").text)
    answer = client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'crm.sqlite3'}",
        files_dir=tmp_path / "files",
        public_base_url="http://testserver",
        control_api=True,
        scheduler_loop=False,
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    db.create_schema()
    seed.reset(db)
    yield db
    db.engine.dispose()


@pytest.fixture
def make_app(settings: Settings, database: Database) -> Callable[..., FastAPI]:
    """The app over the seeded database; keyword arguments change its settings (``control_token=...``)."""

    def make(**changes: object) -> FastAPI:
        return create_app(replace(settings, **changes), database)  # type: ignore[arg-type]

    return make


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    """A web that has not signed in (cookies kept, redirects not followed)."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def admin_web(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield sign_in(client, "admin", "admin")


@pytest.fixture
def emulator_clock() -> Iterator[None]:
    """Tests that move the emulator's clock leave it as they found it."""
    clock.reset()
    yield
    clock.reset()
