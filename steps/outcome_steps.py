"""Шаги о том, что получили клиенты: сообщения, принятые каждым сервисом (каждое — ровно один раз)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pytest_bdd import then

from drivers.protocol import CrmDriver, LinkOpener
from mocks.interface import FakeProviders
from steps import text_macros
from steps.connections import table_rows
from steps.context import ScenarioContext
from steps.file_specs import file_names
from steps.phone_literals import digits
from steps.phrases import phrase
from steps.provider_terms import fake_of


def outbox_summary(providers: FakeProviders) -> str:
    lines = [f"{m.provider}→{m.to}: {m.text!r} {[a['filename'] for a in m.attachments]}" for m in providers.outbox()]
    return "; ".join(lines) or "ничего"


def texts_to(providers: FakeProviders, service: str, phone: str) -> list[str | None]:
    return [m.text for m in fake_of(providers, service).outbox_to(digits(phone))]


def _exactly_once(providers: FakeProviders, phone: str, service: str, expected: str) -> None:
    received = texts_to(providers, service, phone)
    assert received.count(expected) == 1, (
        f"{phone} через {service}: сообщение {expected!r} ожидалось ровно один раз, получено "
        f"{received.count(expected)} раз; все полученные: {received}; всего отправлено: {outbox_summary(providers)}"
    )


@then(phrase("клиенту «{phone}» через «{service}» отправлено сообщение «{text}»"))
def got_message(providers: FakeProviders, phone: str, service: str, text: str) -> None:
    """Ровно одно такое сообщение; в тексте можно писать ``\\n`` и ``{x × N}``."""
    _exactly_once(providers, phone, service, text_macros.expand(text))


@then(phrase("клиенту «{phone}» через «{service}» отправлено сообщение:"))
def got_long_message(providers: FakeProviders, phone: str, service: str, docstring: str) -> None:
    _exactly_once(providers, phone, service, docstring)


@then(phrase("через «{service}» клиенты получили сообщения:"))
def got_messages(providers: FakeProviders, service: str, datatable: list[list[str]]) -> None:
    """Столбцы «Клиент» и «Текст»: каждому клиенту ровно одно своё сообщение, больше никому ничего."""
    rows = table_rows(datatable)
    for row in rows:
        _exactly_once(providers, row["клиент"], service, text_macros.expand(row["текст"]))
    assert len(providers.outbox()) == len(rows), f"лишние сообщения: {outbox_summary(providers)}"


@then(phrase("клиент «{phone}» получил сообщений: {count:d}"))
def message_count(providers: FakeProviders, phone: str, count: int) -> None:
    """Через все сервисы вместе."""
    received = [m for m in providers.outbox() if m.to == digits(phone)]
    assert len(received) == count, (
        f"{phone}: ожидалось {count} сообщ., получено {len(received)}: {outbox_summary(providers)}"
    )


@then(phrase("клиент «{phone}» получил через «{service}» сообщений: {count:d}"))
def message_count_by(providers: FakeProviders, phone: str, service: str, count: int) -> None:
    received = texts_to(providers, service, phone)
    assert len(received) == count, f"{phone} через {service}: ожидалось {count} сообщ., получены {received}"


@then("никому ничего не отправлено")
def nothing_sent(providers: FakeProviders) -> None:
    assert not providers.outbox(), f"ожидалось, что ничего не отправлено, а отправлено: {outbox_summary(providers)}"


@then(phrase("сообщения получили только номера «{phones}»"))
def only_numbers(providers: FakeProviders, phones: str) -> None:
    """Каждому номеру ровно одно сообщение, больше никому ничего; «—» — никому."""
    expected = sorted(digits(p) for p in text_macros.split_list(phones))
    actual = sorted(m.to for m in providers.outbox())
    assert actual == expected, f"ожидались по одному сообщению номерам {expected}, получили {actual}"


@then(phrase("сообщение клиенту «{phone}» отправлено с канала «{channel}»"))
def sent_from_channel(providers: FakeProviders, phone: str, channel: str) -> None:
    senders = [m.channel for m in providers.outbox() if m.to == digits(phone)]
    assert senders, f"клиенту {phone} ничего не отправлено: {outbox_summary(providers)}"
    assert senders == [digits(channel)] * len(senders), f"ожидалась отправка с {digits(channel)}, было с {senders}"


@then(phrase("клиенту «{phone}» через «{service}» отправлены файлы «{names}»"))
def got_files(providers: FakeProviders, phone: str, service: str, names: str) -> None:
    expected = file_names(names)
    got = [a["filename"] for m in fake_of(providers, service).outbox_to(digits(phone)) for a in m.attachments]
    assert got == expected, f"{phone} через {service}: ожидались файлы {expected}, получены {got}"


@then(phrase("в сообщении клиенту «{phone}» через «{service}» ссылка на сделку"))
def has_deal_link(
    providers: FakeProviders, crm_api: CrmDriver, ctx: ScenarioContext, base_url: str, phone: str, service: str
) -> None:
    """Ровно одна ссылка: адрес CRM (тот, где CRM работает), открывается страница именно этой сделки."""
    received = [t or "" for t in texts_to(providers, service, phone)]
    assert len(received) == 1, f"ожидалось одно сообщение клиенту {phone}, получены {received}"
    links = [word for word in received[0].split() if word.startswith(("http://", "https://"))]
    assert len(links) == 1, f"ожидалась одна ссылка в {received[0]!r}, найдены {links}"
    link, crm = urlsplit(links[0]), urlsplit(base_url)
    assert (link.scheme, link.netloc) == (crm.scheme, crm.netloc), f"ссылка {links[0]} ведёт не на CRM {base_url}"
    assert isinstance(crm_api, LinkOpener), "драйвер API не умеет открывать ссылки"
    opened = crm_api.open_link(links[0])
    assert opened.deal_id == ctx.deal, f"ссылка {links[0]} открывает {opened}, а не сделку {ctx.deal}"


@then(phrase("сообщение «{text:A}» получили только номера «{phones}»"))
def text_only_to(providers: FakeProviders, text: str, phones: str) -> None:
    """Сообщение с этим текстом — каждому названному номеру ровно одно и больше никому."""
    expected = sorted(digits(p) for p in text_macros.split_list(phones))
    actual = sorted(m.to for m in providers.outbox() if m.text == text_macros.expand(text))
    assert actual == expected, f"сообщение {text!r}: ожидались номера {expected}, получили {actual}"


@then(phrase("CRM не обращалась к сервису «{service}» после смены этапа"))
def no_request_since_move(providers: FakeProviders, ctx: ScenarioContext, service: str) -> None:
    """Ни одного запроса любого рода (отправка, каналы, проверка ключа, статус) с первой смены этапа сценария."""
    assert ctx.journal_marks is not None, "в сценарии сделку ещё не переводили"
    fake = fake_of(providers, service)
    later = list(fake.journal)[ctx.journal_marks.get(fake.name, 0) :]
    shown = "; ".join(f"{e.method} {e.path} → {e.status}" for e in later)
    assert not later, f"после смены этапа CRM обратилась к {service} {len(later)} раз: {shown}"
