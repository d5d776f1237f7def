"""Шаги о том, что получили клиенты: сообщения, принятые каждым сервисом."""

from __future__ import annotations

import re
from typing import Any

from pytest_bdd import then

from steps import text_macros
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phrases import phrase
from steps.provider_terms import digits, fake_of


def outbox_summary(providers: Any) -> str:
    lines = [f"{m.provider}→{m.to}: {m.text!r} {[a['filename'] for a in m.attachments]}" for m in providers.outbox()]
    return "; ".join(lines) or "ничего"


def texts_to(providers: Any, service: str, phone: str) -> list[str | None]:
    return [m.text for m in fake_of(providers, service).outbox_to(digits(phone))]


@then(phrase("клиенту «{phone}» через «{service}» отправлено сообщение «{text}»"))
def got_message(providers: Any, phone: str, service: str, text: str) -> None:
    """В тексте можно писать ``\\n`` и ``{x × N}``."""
    expected = text_macros.expand(text)
    received = texts_to(providers, service, phone)
    assert expected in received, (
        f"{phone} через {service}: ожидалось сообщение {expected!r}, получены {received}; "
        f"всего отправлено: {outbox_summary(providers)}"
    )


@then(phrase("клиенту «{phone}» через «{service}» отправлено сообщение:"))
def got_long_message(providers: Any, phone: str, service: str, docstring: str) -> None:
    received = texts_to(providers, service, phone)
    assert docstring in received, f"{phone} через {service}: ожидалось сообщение {docstring!r}, получены {received!r}"


@then(phrase("клиент «{phone}» получил сообщений: {count:d}"))
def message_count(providers: Any, phone: str, count: int) -> None:
    received = [m for m in providers.outbox() if m.to == digits(phone)]
    assert len(received) == count, (
        f"{phone}: ожидалось {count} сообщ., получено {len(received)}: {outbox_summary(providers)}"
    )


@then("никому ничего не отправлено")
def nothing_sent(providers: Any) -> None:
    assert not providers.outbox(), f"ожидалось, что ничего не отправлено, а отправлено: {outbox_summary(providers)}"


@then(phrase("сообщения получили только номера «{phones}»"))
def only_numbers(providers: Any, phones: str) -> None:
    """Каждому номеру ровно одно сообщение, больше никому ничего; «—» — никому."""
    expected = sorted(digits(p) for p in text_macros.split_list(phones))
    actual = sorted(m.to for m in providers.outbox())
    assert actual == expected, f"ожидались по одному сообщению номерам {expected}, получили {actual}"


@then(phrase("сообщение клиенту «{phone}» отправлено с канала «{channel}»"))
def sent_from_channel(providers: Any, phone: str, channel: str) -> None:
    senders = [m.channel for m in providers.outbox() if m.to == digits(phone)]
    assert senders, f"клиенту {phone} ничего не отправлено: {outbox_summary(providers)}"
    assert set(senders) == {digits(channel)}, f"ожидалась отправка с канала {digits(channel)}, отправлено с {senders}"


@then(phrase("клиенту «{phone}» через «{service}» отправлены файлы «{names}»"))
def got_files(providers: Any, phone: str, service: str, names: str) -> None:
    expected = file_names(names)
    got = [a["filename"] for m in fake_of(providers, service).outbox_to(digits(phone)) for a in m.attachments]
    assert got == expected, f"{phone} через {service}: ожидались файлы {expected}, получены {got}"


@then(phrase("в сообщении клиенту «{phone}» через «{service}» ссылка на сделку"))
def has_deal_link(providers: Any, ctx: ScenarioContext, phone: str, service: str) -> None:
    pattern = re.compile(rf"https?://[^\s/]+/deals/{ctx.deal}(?![\d/])")
    received = texts_to(providers, service, phone)
    assert any(pattern.search(t or "") for t in received), f"ожидалась ссылка на сделку {ctx.deal}, получено {received}"
