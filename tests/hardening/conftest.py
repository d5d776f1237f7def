"""The CRM of the hardening tests: the suite's stand (harness/world.py) on SQLite, and on PostgreSQL when
one is configured, each with the demo data and the administrator's bearer token.

The regression tests send what no client of the CRM would send, so they do not go through the typed
client (``emulator/client.py``): a plain ``requests`` session, with the token in its headers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, text

from emulator.db import Database
from emulator.seed import ADMIN_TOKEN
from harness.world import Stand, StandOptions
from tests.csrf_form import form_token

POSTGRES_ENV = "CRM_TEST_POSTGRES_URL"  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test (CI sets it)


@dataclass
class Crm:
    """A running CRM with the demo data: its address, an administrator's HTTP session, its database."""

    backend: str
    base_url: str
    http: requests.Session
    database: Database
    browser: requests.Session  # the administrator signed in through the form; sends the session's CSRF token

    def url(self, path: str) -> str:
        return self.base_url + path


def signed_in_browser(base_url: str, login: str, password: str) -> requests.Session:
    """A browser's session: the sign-in form opened and posted with its token; later forms send the new
    session's token in ``X-CSRF-Token`` (the header the editor's uploads use)."""
    browser = requests.Session()
    token = form_token(browser.get(f"{base_url}/login").text)
    answer = browser.post(
        f"{base_url}/login", data={"login": login, "password": password, "csrf_token": token}, allow_redirects=False
    )
    assert answer.status_code == 303, answer.text[:300]
    browser.headers["X-CSRF-Token"] = form_token(browser.get(f"{base_url}/deals/9396").text)
    return browser


def _serve(data_dir: Path, database_url: str | None, backend: str) -> Iterator[Crm]:
    with Stand(StandOptions(data_dir, database_url=database_url)) as stand:
        stand.client().reset(with_processes=True)
        assert stand.server is not None
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        browser = signed_in_browser(stand.crm_url, "admin", "admin")
        try:
            yield Crm(backend, stand.crm_url, http, stand.server.database, browser)
        finally:
            http.close()
            browser.close()


@pytest.fixture(scope="module")
def sqlite_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crm]:
    yield from _serve(tmp_path_factory.mktemp("crm-sqlite"), None, "sqlite")


@pytest.fixture(scope="module")
def postgres_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crm]:
    """A CRM on a database of its own on the configured PostgreSQL server (dropped afterwards), so a
    parallel worker using the configured database itself is not disturbed."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL configured: set {POSTGRES_ENV}=postgresql+psycopg://user@host:5432/db")
    name = f"crm_hardening_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # configured but unreachable: that is a failure, not a skip
        pytest.fail(f"{POSTGRES_ENV}={url} is not reachable: {exc}")
    own_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield from _serve(tmp_path_factory.mktemp("crm-postgres"), own_url, "postgresql")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def crm(request: pytest.FixtureRequest) -> Crm:
    """The CRM on each backend (PostgreSQL only when configured; otherwise those cases skip and say why)."""
    found: Crm = request.getfixturevalue(f"{request.param}_crm")
    return found
