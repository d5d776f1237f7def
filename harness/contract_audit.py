"""The contract audit: every request the CRM made to a fake, and every answer a fake gave, checked
against the provider's contract (``contracts/<provider>.yaml``) at the end of each scenario.

Every acceptance scenario and engine test is thereby also a contract test of the adapters (what they
send) and of the fakes (what they answer). Answers a test injected (a fault) are the test's own, so
only their requests are checked; webhook deliveries the fakes made are checked against the contract's
``webhooks`` section.
"""

from __future__ import annotations

import json
from typing import Any

from mocks.contract import Problem, contract
from mocks.interface import FakeProviders
from mocks.journal import JournalEntry
from mocks.registry import FAKE_CLASSES
from mocks.wire import FakeRequest


def entry_problems(entry: JournalEntry) -> list[Problem]:
    document = contract(entry.provider)
    request = FakeRequest(entry.method, entry.path, dict(entry.query), dict(entry.headers), entry.body.encode("utf-8"))
    problems = [Problem(f"request {p.field}", p.message) for p in document.request_problems(request)]
    if entry.fault is None and entry.status is not None:
        body = b"" if entry.response is None else _encoded(entry.response)
        headers = {"Content-Type": _content_type(entry)} | dict(entry.response_headers)
        found = document.response_problems(entry.method, entry.path, dict(entry.query), entry.status, headers, body)
        problems += [Problem(f"answer {p.field}", p.message) for p in found]
    return problems


def _encoded(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _content_type(entry: JournalEntry) -> str:
    declared = {k.lower(): v for k, v in dict(entry.response_headers).items()}.get("content-type")
    if declared:
        return declared
    problem_like = isinstance(entry.response, dict) and "request_id" in entry.response and "code" in entry.response
    return "application/problem+json" if problem_like else "application/json"


def violations(fakes: FakeProviders) -> list[str]:
    found = []
    for fake in fakes.all():
        for entry in fake.journal:
            for problem in entry_problems(entry):
                found.append(f"{fake.name} {entry.method} {entry.path}: {problem.field}: {problem.message}")
        for delivery in fake.webhook_deliveries:
            if delivery.third_party:
                continue
            body = delivery.body.encode("utf-8")
            for problem in contract(fake.name).webhook_problems(
                FAKE_CLASSES[fake.name].contract_webhook, delivery.headers, body, delivery.method.lower()
            ):
                found.append(f"{fake.name} webhook {delivery.method}: {problem.field}: {problem.message}")
    return found


def audit_journals(fakes: FakeProviders) -> None:
    """Raise AssertionError listing every violation of the contracts in this scenario's traffic."""
    found = violations(fakes)
    assert not found, "traffic that breaks the provider contracts:\n" + "\n".join(found)
