"""Steps about the providers' side: their channels, their failures, their status callbacks."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from drivers import names
from emulator import phones


def fake_of(providers: Any, service: str) -> Any:
    return providers.get(names.provider_key(service))


def digits(phone: str) -> str:
    number = phones.normalise(phone)
    return number if number is not None else "".join(ch for ch in phone if ch.isdigit())


@given(parsers.parse("у сервиса «{service}» канал «{phone}» переходит в состояние «{state}»"))
@when(parsers.parse("у сервиса «{service}» канал «{phone}» переходит в состояние «{state}»"))
def channel_state(providers: Any, service: str, phone: str, state: str) -> None:
    fake_of(providers, service).set_channel_state(phone, state)


@given(parsers.parse("номер «{phone}» не зарегистрирован в WhatsApp у сервиса «{service}»"))
def not_on_whatsapp(providers: Any, phone: str, service: str) -> None:
    fake_of(providers, service).mark_not_on_whatsapp(digits(phone))


@given(parsers.parse("сервис «{service}» ответит на следующую отправку сбоем «{kind}»"))
def fail_next(providers: Any, service: str, kind: str) -> None:
    fake_of(providers, service).fail_next(kind)


@given(parsers.parse("сервис «{service}» отвечает на каждую отправку сбоем «{kind}»"))
def fail_always(providers: Any, service: str, kind: str) -> None:
    fake_of(providers, service).fail_always(kind)


@given(parsers.parse("сервис «{service}» ответит на следующую отправку кодом {status:d}"))
def fail_next_status(providers: Any, service: str, status: int) -> None:
    fake_of(providers, service).fail_next("status", status=status)


@given(parsers.parse("сервис «{service}» ответит на следующую отправку лимитом запросов с Retry-After {seconds:d}"))
def rate_limited(providers: Any, service: str, seconds: int) -> None:
    fake_of(providers, service).fail_next("rate_limit", retry_after=seconds)


@then(parsers.parse("сервис «{service}» получил запросов на отправку: {count:d}"))
def send_requests(providers: Any, service: str, count: int) -> None:
    fake = fake_of(providers, service)
    sends = [e for e in fake.journal if e.method == "POST" and e.path in ("/message", "/messages", "/target/feedback")]
    assert len(sends) == count, (
        f"{service} получил {len(sends)} запрос(ов) на отправку, ожидалось {count}: "
        + "; ".join(f"{e.path} → {e.status} {e.fault or ''}" for e in sends)
    )
