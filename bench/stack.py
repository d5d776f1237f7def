"""The in-process world the benchmarks measure: the suite's own (harness/world.py), nothing else."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drivers.api_driver import ApiDriver
from harness.clock import ScenarioClock
from harness.world import Stand, StandOptions


@contextmanager
def stack() -> Iterator[Stand]:
    with tempfile.TemporaryDirectory() as tmp, Stand(StandOptions(Path(tmp))) as stand:
        yield stand


@contextmanager
def scenario(stand: Stand) -> Iterator[tuple[ApiDriver, ScenarioClock]]:
    """What the suite does around one scenario: frozen clock, fresh fakes, fresh CRM data."""
    with stand.scenario() as world:
        yield ApiDriver(world.client), world.clock
