"""A seeded database per test, and the app over it, without any server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from emulator import seed
from emulator.app import create_app
from emulator.db import Database
from emulator.settings import Settings


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    db.create_schema()
    seed.reset(db, with_processes=False)
    yield db
    db.engine.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.session() as s:
        yield s


@pytest.fixture
def api(settings: Settings, database: Database) -> Iterator[TestClient]:
    """The JSON API as the administrator (no providers are called by these tests)."""
    client = TestClient(create_app(settings, database), headers={"Authorization": f"Bearer {seed.ADMIN_TOKEN}"})
    yield client
    client.close()
