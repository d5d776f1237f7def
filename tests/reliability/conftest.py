"""The reliability probes: the fault matrix on the suite's in-process world (harness/world.py), the kills
and the two emulators on real emulator processes."""

from __future__ import annotations

import pytest

from harness.world import Stand, World


@pytest.fixture
def faulted_world(crm_stand: Stand, world: World) -> World:
    """The scenario world, in-process only: exact transport faults need the in-process fakes."""
    if not crm_stand.in_process:
        pytest.skip("the fault matrix needs the in-process provider fakes (exact transport faults)")
    return world
