"""The fault probe: each provider × each injected fault, counted against the fakes' outboxes.

One cell: a business process on «В работе» through the provider's demo channel, a deal whose contact
has three numbers (three messages), the fault armed on the provider's send route for the first three
sends, the deal moved, then the frozen clock driven through the whole retry horizon (every retry and
status check happens at its moment). Each message is then judged by two independent sources: what the
CRM shows in the deal's log, and what the fake's outbox holds for that number (what the client really
received). The expected values are literals; nothing is computed with the CRM's code.

- lost: shown as sent but not in the outbox, or in the outbox but shown as an error (other than the
  honest "статус неизвестен"), or in the outbox and never recorded by the CRM;
- duplicated: the outbox holds the message for its number more than once;
- honest unknown: "Ошибка: статус неизвестен", where the provider's contract allows no recovery;
- failed: an error with a reason and nothing in the outbox;
- leaked: no final status after the whole horizon (still sending or waiting for a retry).

``python -m tests.reliability.probe`` runs every cell on an in-process world and prints the figures.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.world import Stand, StandOptions, World
from mocks.interface import FakeProvider

PROVIDERS = ("i2crm", "wazzup", "default")
# Three numbers of one contact: three messages of one run, each judged on its own.
NUMBERS = {"+7(999)888-55-21": "79998885521", "+7(999)888-55-22": "79998885522", "+7(999)888-55-23": "79998885523"}
# The retry schedule (10 s ... 5 h, about 8.3 h in all) and Default's status checks (up to 6 h after a send)
# end well inside this.
HORIZON = dt.timedelta(hours=16)

SENT = "Статус: Отправлено"
UNKNOWN = "Статус: Ошибка: статус неизвестен"
ERROR = "Статус: Ошибка: "
SHOWN_AS_SENT = ("Статус: Отправлено", "Статус: Доставлено", "Статус: Прочитано")

# A 2xx answer carrying the provider's own error format and no message id.
ERROR_IN_2XX: dict[str, tuple[int, dict[str, Any]]] = {
    "wazzup": (
        201,
        {
            "status": 500,
            "requestId": "c1b5f1e2-8a51-4a0c-9d40-3f3c1d1e9a11",
            "error": "UNKNOWN_ERROR",
            "description": "Internal error",
            "data": {},
        },
    ),
    "default": (
        202,
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "internal error",
            "code": "INTERNAL_ERROR",
            "request_id": "req_probe_2xx",
        },
    ),
    "i2crm": (200, {"error": "Внутренняя ошибка сервера", "data": {"status": 500}}),
}
# The same error bodies, naming a message id as well (the id alone does not make it a success).
ERROR_IN_2XX_WITH_ID: dict[str, tuple[int, dict[str, Any]]] = {
    "wazzup": (201, {**ERROR_IN_2XX["wazzup"][1], "messageId": "0f6b7c1e-6a0d-4a36-9f0c-5b1b8d3f2a10"}),
    "default": (202, {**ERROR_IN_2XX["default"][1], "id": "9d3e2f4a-1b6c-4e8d-a7f0-2c5b6d7e8f90"}),
    "i2crm": (200, {"error": "Внутренняя ошибка сервера", "data": {"status": 500, "id": 4242}}),
}
# A documented permanent refusal of each provider.
REFUSAL: dict[str, tuple[int, dict[str, Any]]] = {
    "wazzup": (
        400,
        {
            "status": 400,
            "requestId": "5e0e",
            "error": "CHANNEL_BLOCKED",
            "description": "Channel is blocked",
            "data": {},
        },
    ),
    "default": (
        409,
        {
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": "channel is inactive",
            "code": "CHANNEL_INACTIVE",
            "request_id": "req_probe_409",
        },
    ),
    "i2crm": (200, {"error": "Канал не существует", "data": {"status": 404}}),
}
KEY_REJECTED: dict[str, tuple[int, dict[str, Any]]] = {
    "wazzup": (401, {"status": 401, "error": "UNAUTHORIZED", "description": "Invalid API key"}),
    "default": (
        401,
        {
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "missing or unknown API key",
            "code": "INVALID_API_KEY",
            "request_id": "req_probe_401",
        },
    ),
    "i2crm": (200, {"error": "Канал не существует", "data": {"status": 404}}),
}


class Verdict(StrEnum):
    """What a cell must come to for every one of its messages (literals the test holds the CRM to)."""

    SENT_ONCE = "sent once"  # the provider allows recovery: one copy, "Отправлено"
    REFUSED = "refused"  # the provider said no: no copy, an error with its reason
    UNKNOWN = "honest unknown"  # the contract allows no recovery: "статус неизвестен", never two copies
    SAFE = "never lost or twice"  # sent once, refused or honestly unknown (the timing decides which)


Arm = Callable[[FakeProvider, int], None]


@dataclass(frozen=True)
class Fault:
    """One fault of the matrix, armed on a provider's send route for the next ``times`` sends."""

    name: str
    arm: Arm


def _plain(kind: str, **params: Any) -> Arm:
    def arm(fake: FakeProvider, times: int) -> None:
        fake.fail_next(kind, times, **params, **fake.profile.send.fault_target())

    return arm


def _answer(answers: dict[str, tuple[int, dict[str, Any]]]) -> Arm:
    def arm(fake: FakeProvider, times: int) -> None:
        status, body = answers[fake.name]
        fake.fail_next("status", times, status=status, body=body, **fake.profile.send.fault_target())

    return arm


FAULTS = (
    Fault("timeout", _plain("timeout")),
    Fault("reset", _plain("connection_reset")),
    Fault("5xx", _plain("status", status=503)),
    Fault("429", _plain("rate_limit", retry_after=15)),
    Fault("2xx-with-error", _answer(ERROR_IN_2XX)),
    Fault("2xx-error-with-id", _answer(ERROR_IN_2XX_WITH_ID)),
    Fault("malformed-json", _plain("malformed")),
    Fault("lost-answer", _plain("lost_answer")),
)
# What the resend after a lost answer may meet: the faults above, and the provider saying no.
AFTER_LOST_ANSWER = (
    *FAULTS,
    Fault("refusal", _answer(REFUSAL)),
    Fault("key-rejected", _answer(KEY_REJECTED)),
)


def _on_lookup(kind: str, **params: Any) -> Arm:
    """A fault on Default's lookup by key (``GET /messages?idempotency_key=``), not on the send."""

    def arm(fake: FakeProvider, times: int) -> None:
        fake.fail_next(kind, times, method="GET", path="/messages", **params)

    return arm


# What Default's lookup after a lost answer may meet: it cannot be asked, or it answers wrongly.
DEFAULT_LOOKUP_FAULTS = (
    Fault("lookup-timeout", _on_lookup("timeout")),
    Fault("lookup-5xx", _on_lookup("status", status=503)),
    Fault("lookup-malformed-json", _on_lookup("malformed")),
    Fault("lookup-2xx-with-error", _on_lookup("status", status=200, body=ERROR_IN_2XX["default"][1])),
    Fault("lookup-wrong-404", _on_lookup("status", status=404, body=REFUSAL["default"][1] | {"status": 404})),
)

# Each cell's verdict, from the providers' contracts (PROVIDERS.md): Default can be asked and resends
# with its key; Wazzup deduplicates a resend with the same crmMessageId inside 60 s; i2crm has no
# idempotency, so only a request that provably never left (a connect timeout) may be repeated, and a
# 200 with an error in its body is its documented refusal.
EXPECTED: dict[tuple[str, str], Verdict] = {
    **{("default", fault.name): Verdict.SENT_ONCE for fault in FAULTS},
    **{("wazzup", fault.name): Verdict.SENT_ONCE for fault in FAULTS},
    ("i2crm", "timeout"): Verdict.SENT_ONCE,
    ("i2crm", "reset"): Verdict.UNKNOWN,
    ("i2crm", "5xx"): Verdict.UNKNOWN,
    ("i2crm", "429"): Verdict.SENT_ONCE,
    ("i2crm", "2xx-with-error"): Verdict.REFUSED,
    ("i2crm", "2xx-error-with-id"): Verdict.REFUSED,
    ("i2crm", "malformed-json"): Verdict.UNKNOWN,
    ("i2crm", "lost-answer"): Verdict.UNKNOWN,
}


@dataclass(frozen=True)
class Cell:
    """One probe: a provider, the faults its sends meet in turn, and what it must come to."""

    provider: str
    faults: tuple[Fault, ...]
    verdict: Verdict

    @property
    def name(self) -> str:
        return f"{self.provider}-" + "-then-".join(f.name for f in self.faults)


def cells() -> list[Cell]:
    """Every provider × every fault; then, where a lost answer is resent (Wazzup, Default), each fault
    or refusal meeting that resend: Default settles each by asking, Wazzup's 60 s window decides; then
    Default's lookup itself failing or answering wrongly (a resend with the same key is still safe)."""
    found = [Cell(p, (f,), EXPECTED[(p, f.name)]) for p in PROVIDERS for f in FAULTS]
    lost = FAULTS[-1]
    for provider, verdict in (("wazzup", Verdict.SAFE), ("default", Verdict.SENT_ONCE)):
        found += [Cell(provider, (lost, f), verdict) for f in AFTER_LOST_ANSWER]
    found += [Cell("default", (lost, f), Verdict.SENT_ONCE) for f in DEFAULT_LOOKUP_FAULTS]
    return found


@dataclass(frozen=True)
class Message:
    """One message of a cell: the number, what the CRM shows, how many copies the client got."""

    number: str
    shown: str | None  # the log entry's status line; None: the CRM never recorded it
    copies: int

    @property
    def lost(self) -> bool:
        if self.shown in SHOWN_AS_SENT:
            return self.copies == 0
        return self.copies > 0 and (self.shown is None or self.shown.startswith(ERROR)) and not self.unknown

    @property
    def duplicated(self) -> bool:
        return self.copies > 1

    @property
    def unknown(self) -> bool:
        """The honest «статус неизвестен», maybe followed by what the CRM knows (a refused resend, say)."""
        return self.shown is not None and self.shown.startswith(UNKNOWN)

    @property
    def failed(self) -> bool:
        return self.shown is not None and self.shown.startswith(ERROR) and not self.unknown and self.copies == 0

    @property
    def leaked(self) -> bool:
        return self.shown is None or not (self.shown in SHOWN_AS_SENT or self.shown.startswith(ERROR))

    def meets(self, verdict: Verdict) -> bool:
        if verdict is Verdict.SENT_ONCE:
            return self.shown == SENT and self.copies == 1
        if verdict is Verdict.REFUSED:
            return self.failed
        if verdict is Verdict.UNKNOWN:
            return self.unknown and self.copies <= 1
        return not (self.lost or self.duplicated or self.leaked)


@dataclass(frozen=True)
class Figures:
    """A cell's (or a sum of cells') counts."""

    tried: int = 0
    delivered: int = 0
    failed: int = 0
    lost: int = 0
    duplicated: int = 0
    unknown: int = 0
    leaked: int = 0

    @classmethod
    def of(cls, messages: list[Message]) -> Figures:
        return cls(
            tried=len(messages),
            delivered=sum(1 for m in messages if m.shown in SHOWN_AS_SENT and m.copies == 1),
            failed=sum(1 for m in messages if m.failed),
            lost=sum(1 for m in messages if m.lost),
            duplicated=sum(1 for m in messages if m.duplicated),
            unknown=sum(1 for m in messages if m.unknown),
            leaked=sum(1 for m in messages if m.leaked),
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.tried + other.tried,
            self.delivered + other.delivered,
            self.failed + other.failed,
            self.lost + other.lost,
            self.duplicated + other.duplicated,
            self.unknown + other.unknown,
            self.leaked + other.leaked,
        )


def shown_by_number(world: World, deal_id: int) -> dict[str, str]:
    """The status line the deal's log shows for each recipient's number."""
    numbers = {m.id: m.to_number for m in world.client.dialogs(deal_id)}
    return {
        numbers[e.message_id]: e.body
        for e in world.client.timeline(deal_id)
        if e.kind == "bp_message" and e.message_id in numbers
    }


def judge(world: World, provider: str, deal_id: int) -> list[Message]:
    """Each number of the cell: the CRM's word against the fake's outbox."""
    shown = shown_by_number(world, deal_id)
    fake = world.fakes.get(provider)
    return [Message(digits, shown.get(digits), len(fake.outbox_to(digits))) for digits in NUMBERS.values()]


def run_cell(world: World, cell: Cell) -> list[Message]:
    """One cell on a fresh world: three messages, each fault in turn on three sends, the horizon driven."""
    world.process(cell.provider)
    deal_id = world.deal((True, tuple(NUMBERS)))
    fake = world.fakes.get(cell.provider)
    for fault in cell.faults:
        fault.arm(fake, len(NUMBERS))
    world.enter(deal_id)
    world.clock.advance(HORIZON)
    return judge(world, cell.provider, deal_id)


def main() -> int:
    """Every cell on an in-process world; prints the figures; 1 when a cell is not as expected."""
    rows: list[tuple[Cell, Figures, bool]] = []
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as data_dir, Stand(StandOptions(Path(data_dir))) as stand:
        for cell in cells():
            with stand.scenario() as world:
                messages = run_cell(world, cell)
            rows.append((cell, Figures.of(messages), all(m.meets(cell.verdict) for m in messages)))
    width = max(len(cell.name) for cell, *_ in rows)
    header = f"{'cell':<{width}} tried delivered failed lost duplicated unknown leaked  as expected"
    print(header)
    print("-" * len(header))
    totals: dict[str, Figures] = {}
    for cell, figures, ok in rows:
        totals[cell.provider] = totals.get(cell.provider, Figures()) + figures
        print(f"{cell.name:<{width}} {_columns(figures)}  {'yes' if ok else 'NO'}")
    print("-" * len(header))
    for provider, figures in totals.items():
        print(f"{provider + ' (all)':<{width}} {_columns(figures)}")
    print(f"{len(rows)} cells in {time.monotonic() - began:.1f} s")
    return 0 if all(ok for *_, ok in rows) else 1


def _columns(f: Figures) -> str:
    return f"{f.tried:>5} {f.delivered:>9} {f.failed:>6} {f.lost:>4} {f.duplicated:>10} {f.unknown:>7} {f.leaked:>6}"


if __name__ == "__main__":
    sys.exit(main())
