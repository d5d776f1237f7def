"""Шаги о стороне сервисов: их каналы и получатели, сбои, которыми они отвечают."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given

from steps.phrases import phrase
from steps.provider_terms import CHANNEL_PATHS, KEY_REJECTED, SEND_PATHS, digits, fake_of, fault_kind, key_of


def _on_send(service: str) -> dict[str, str]:
    return {"method": "POST", "path": SEND_PATHS[key_of(service)]}


@given(phrase("у сервиса «{service}» канал «{phone}» переходит в состояние «{state}»"))
def channel_state(providers: Any, service: str, phone: str, state: str) -> None:
    """Слово состояния самого сервиса (Default: active/inactive/blocked; Wazzup: active, blocked, qridle, ...)."""
    fake_of(providers, service).set_channel_state(phone, state)


@given(phrase("номер «{phone}» не зарегистрирован в WhatsApp у сервиса «{service}»"))
def not_on_whatsapp(providers: Any, phone: str, service: str) -> None:
    fake_of(providers, service).mark_not_on_whatsapp(digits(phone))


@given(phrase("сервис «{service}» ответит на следующую отправку сбоем «{kind}»"))
def fail_next(providers: Any, service: str, kind: str) -> None:
    """«ответ потерян» (принял, но ответ не дошёл), «нет соединения» (запрос не ушёл),
    «соединение оборвано» (мог дойти), «истекло время подключения» (не дошёл)."""
    fake_of(providers, service).fail_next(fault_kind(kind), **_on_send(service))


@given(phrase("сервис «{service}» ответит на {times:d} следующие отправки сбоем «{kind}»"))
def fail_several(providers: Any, service: str, times: int, kind: str) -> None:
    fake_of(providers, service).fail_next(fault_kind(kind), times, **_on_send(service))


@given(phrase("сервис «{service}» отвечает на каждую отправку сбоем «{kind}»"))
def fail_always(providers: Any, service: str, kind: str) -> None:
    fake_of(providers, service).fail_always(fault_kind(kind), **_on_send(service))


@given(phrase("сервис «{service}» ответит на следующую отправку кодом {status:d}"))
def fail_next_status(providers: Any, service: str, status: int) -> None:
    """Тело ошибки — как у самого сервиса для этого кода."""
    fake_of(providers, service).fail_next("status", status=status, **_on_send(service))


@given(phrase("сервис «{service}» отвечает на каждую отправку кодом {status:d}"))
def fail_always_status(providers: Any, service: str, status: int) -> None:
    fake_of(providers, service).fail_always("status", status=status, **_on_send(service))


@given(phrase("сервис «{service}» ответит на следующую отправку ограничением частоты с повтором через {seconds:d} с"))
def rate_limited(providers: Any, service: str, seconds: int) -> None:
    """HTTP 429 в формате сервиса с ``Retry-After: seconds``."""
    fake_of(providers, service).fail_next("rate_limit", retry_after=seconds, **_on_send(service))


@given(phrase("сервис «{service}» ответит на следующую отправку кодом 200 с ошибкой «{text}»"))
def ok_status_with_error(providers: Any, service: str, text: str) -> None:
    """Как у I2CRM: HTTP 200 и ``{"error": "<text>", "data": {"status": 400}}`` в теле."""
    body = {"error": text, "data": {"status": 400}}
    fake_of(providers, service).fail_next("status", status=200, body=body, **_on_send(service))


@given(phrase("сервис «{service}» перестал принимать ключ CRM при отправке"))
def key_rejected(providers: Any, service: str) -> None:
    """Каждая отправка отклоняется так, как этот сервис отклоняет неверные учётные данные."""
    answer = KEY_REJECTED[key_of(service)]
    fake_of(providers, service).fail_always("status", status=answer["status"], body=answer["body"], **_on_send(service))


@given(phrase("сервис «{service}» ответит на следующий запрос каналов сбоем «{kind}»"))
def channels_fault(providers: Any, service: str, kind: str) -> None:
    path = CHANNEL_PATHS[key_of(service)]
    fake_of(providers, service).fail_next(fault_kind(kind), method="GET", path=path)


@given(phrase("сервис «{service}» ответит на следующий запрос каналов кодом {status:d}"))
def channels_status(providers: Any, service: str, status: int) -> None:
    path = CHANNEL_PATHS[key_of(service)]
    fake_of(providers, service).fail_next("status", status=status, method="GET", path=path)
