from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import responses
from fastapi.testclient import TestClient
from freezegun import freeze_time

from emulator import seed
from emulator.app import create_app
from emulator.client import CrmClient
from emulator.db import Database
from emulator.settings import Settings
from harness.clock import REAL_TIME_MODULES
from mocks.demo import seed_demo
from mocks.registry import ProviderFakes
from mocks.responses_mount import mount, url_pattern
from tests.conftest import CRM_URL
from tests.engine.world import World, proxy_to

START = "2026-11-10T11:23:00+00:00"


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    db.create_schema()
    yield db
    db.engine.dispose()


@pytest.fixture
def world(settings: Settings, database: Database) -> Iterator[World]:
    with build_world(settings, database) as built:
        yield built


@contextmanager
def build_world(settings: Settings, database: Database) -> Iterator[World]:
    frozen = freeze_time(START, real_asyncio=True, ignore=REAL_TIME_MODULES)
    with frozen as freezer, responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        seed.reset(database, with_processes=False)
        app = create_app(settings, database)
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            rsps.add_callback(
                method, url_pattern(CRM_URL), callback=proxy_to(TestClient(app, base_url=CRM_URL)), content_type=None
            )
        fakes = ProviderFakes()
        seed_demo(fakes)
        fakes.configure_webhooks(CRM_URL)
        fakes.wazzup.webhook_url = f"{CRM_URL}/api/webhooks/wazzup"
        fakes.wazzup.webhook_secret = seed.DEMO_WAZZUP_WEBHOOK_SECRET
        mount(rsps, fakes)
        yield World(CrmClient(CRM_URL, seed.ADMIN_TOKEN), fakes, app.state.scheduler, freezer, rsps)
