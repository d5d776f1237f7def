"""Шаги о скорости ответа сервиса: медленный, но успешный ответ (без сна: время ответа — на часах сценария)."""

from __future__ import annotations

from pytest_bdd import given

from mocks.interface import FakeProviders
from steps.phrases import phrase
from steps.provider_terms import fake_of


@given(phrase("сервис «{service}» ответит на следующий запрос через {seconds:d} с"))
def slow_answer(providers: FakeProviders, service: str, seconds: int) -> None:
    """Сервис примет запрос и ответит успехом, но только через ``seconds`` секунд (меньше тайм-аута CRM)."""
    fake_of(providers, service).fail_next("slow", seconds=float(seconds))
