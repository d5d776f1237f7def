"""Steps about time: the scenario clock is frozen and only these steps move it."""

from __future__ import annotations

from pytest_bdd import parsers, when

from harness.clock import ScenarioClock
from steps.durations import parse_duration


@when(parsers.parse("прошло {duration}"))
@when(parsers.parse("прошла {duration}"))
def time_passes(clock: ScenarioClock, duration: str) -> None:
    """Everything that falls due on the way runs at its exact moment."""
    clock.advance(parse_duration(duration))
