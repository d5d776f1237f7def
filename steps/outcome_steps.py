"""Steps about what came out: messages the client got, the deal's log and dialogs."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from drivers.protocol import CrmDriver
from steps.context import ScenarioContext
from steps.provider_steps import digits, fake_of

BP_TITLE = "Отправка сообщения в WhatsApp из бизнес процесса"


def _outbox_summary(providers: Any) -> str:
    return "; ".join(f"{m.provider}→{m.to}: {m.text!r}" for m in providers.outbox()) or "ничего"


@then(parsers.parse("клиенту «{phone}» через «{service}» отправлено сообщение «{text}»"))
def got_message(providers: Any, phone: str, service: str, text: str) -> None:
    received = [m.text for m in fake_of(providers, service).outbox_to(digits(phone))]
    expected = text.replace("\\n", "\n")
    assert expected in received, (
        f"{phone} через {service} получил {received}; всего отправлено: {_outbox_summary(providers)}"
    )


@then(parsers.parse("клиенту «{phone}» через «{service}» отправлено сообщение:"))
def got_long_message(providers: Any, phone: str, service: str, docstring: str) -> None:
    received = [m.text for m in fake_of(providers, service).outbox_to(digits(phone))]
    assert docstring in received, f"{phone} через {service} получил {received!r}, ожидалось {docstring!r}"


@then(parsers.parse("клиент «{phone}» получил сообщений: {count:d}"))
def message_count(providers: Any, phone: str, count: int) -> None:
    received = [m for m in providers.outbox() if m.to == digits(phone)]
    assert len(received) == count, (
        f"{phone} получил {len(received)} сообщ., ожидалось {count}: {_outbox_summary(providers)}"
    )


@then("никому ничего не отправлено")
def nothing_sent(providers: Any) -> None:
    assert not providers.outbox(), f"отправлено: {_outbox_summary(providers)}"


def _bp_entries(crm: CrmDriver, ctx: ScenarioContext) -> list[str]:
    return [item.body for item in crm.timeline(ctx.deal) if item.title == BP_TITLE]


@then(parsers.parse("в ленте сделки запись об отправке со статусом «{status}»"))
def log_has_status(crm: CrmDriver, ctx: ScenarioContext, status: str) -> None:
    bodies = _bp_entries(crm, ctx)
    assert f"Статус: {status}" in bodies, f"записи «{BP_TITLE}» в ленте: {bodies}"


@then(parsers.parse("в ленте сделки записей об отправке: {count:d}"))
def log_count(crm: CrmDriver, ctx: ScenarioContext, count: int) -> None:
    bodies = _bp_entries(crm, ctx)
    assert len(bodies) == count, f"записей «{BP_TITLE}» {len(bodies)}, ожидалось {count}: {bodies}"


@then(parsers.parse("в ленте сделки записи об отправке со статусами:"))
def log_statuses(crm: CrmDriver, ctx: ScenarioContext, datatable: list[list[str]]) -> None:
    """One status per row, newest first, e.g. «Статус: Отправлено»."""
    expected = [row[0].strip() for row in datatable if row[0].strip().lower() != "статус"]
    bodies = _bp_entries(crm, ctx)
    assert bodies == expected, f"ожидались записи {expected}, в ленте {bodies}"


@then(parsers.parse("в ленте сделки нет записей об отправке"))
def log_empty(crm: CrmDriver, ctx: ScenarioContext) -> None:
    bodies = _bp_entries(crm, ctx)
    assert not bodies, f"в ленте есть записи об отправке: {bodies}"
