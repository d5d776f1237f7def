"""Шаги о времени: часы сценария заморожены, двигают их только эти шаги."""

from __future__ import annotations

from pytest_bdd import when

from harness.clock import ScenarioClock
from steps.durations import parse_duration
from steps.phrases import phrase


@when(phrase("прошло {duration}"))
@when(phrase("прошла {duration}"))
@when(phrase("прошли {duration}"))
@when(phrase("прошёл {duration}"))
def time_passes(clock: ScenarioClock, duration: str) -> None:
    """«2 дня 23 часа 59 минут», «10 секунд»: всё, что наступает по пути, выполняется в свою минуту."""
    clock.advance(parse_duration(duration))
