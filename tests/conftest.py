"""Fixtures shared by the emulator's and the engine's tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from emulator.db import Database
from emulator.settings import Settings
from tests.demo_rows import DemoRows

CRM_URL = "http://crm.test"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A CRM on its own SQLite file, scheduler loop off (tests run due work themselves)."""
    return replace(
        Settings(),
        database_url=f"sqlite:///{tmp_path / 'crm.sqlite3'}",
        files_dir=tmp_path / "files",
        public_base_url=CRM_URL,
        control_api=True,
        scheduler_loop=False,
    )


@pytest.fixture
def demo_rows(database: Database) -> DemoRows:
    """The demo data's funnels, stages and channels by name, in the requesting package's ``database``."""
    return DemoRows(database)
