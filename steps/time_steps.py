"""Шаги о времени: часы сценария заморожены, двигают их только эти шаги."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, when

from harness.clock import MOSCOW, ScenarioClock
from steps.durations import parse_duration
from steps.phrases import phrase


@when(phrase("прошло {duration}"))
@when(phrase("прошла {duration}"))
@when(phrase("прошли {duration}"))
@when(phrase("прошёл {duration}"))
def time_passes(clock: ScenarioClock, duration: str) -> None:
    """«2 дня 23 часа 59 минут», «10 секунд»: всё, что наступает по пути, выполняется в свою минуту."""
    clock.advance(parse_duration(duration))


@given(phrase("сейчас «{moment}» по Москве"))
def now_is(clock: ScenarioClock, moment: str) -> None:
    """«дд.мм.гггг чч:мм»; часы сценария идут только вперёд (сценарий начинается 10.11.2026 14:23)."""
    target = dt.datetime.strptime(moment.strip(), "%d.%m.%Y %H:%M").replace(tzinfo=MOSCOW)
    delta = target - clock.now()
    assert delta >= dt.timedelta(0), f"часы сценария не идут назад: сейчас {clock.now():%d.%m.%Y %H:%M}"
    clock.advance(delta)
