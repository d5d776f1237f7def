"""The engine's tests run on the suite's world (harness/world.py), in-process only: they read the
CRM's database and drive its scheduler."""

from __future__ import annotations

import pytest

from harness.world import Stand


@pytest.fixture(autouse=True)
def _in_process_only(crm_stand: Stand) -> None:
    if not crm_stand.in_process:
        pytest.skip("engine tests need the in-process emulator (its database and scheduler)")
