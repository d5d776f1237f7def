"""The audit run after every scenario: it catches an adapter request and a fake answer that break a contract."""

from __future__ import annotations

import datetime as dt

from harness.contract_audit import entry_problems, violations
from harness.world import World
from mocks import ProviderFakes
from mocks.journal import JournalEntry
from mocks.wire import FakeRequest, FakeResponse


def _entry(provider: str, request: FakeRequest, response: FakeResponse) -> JournalEntry:
    return JournalEntry.of(provider, request, response, None, dt.datetime.now(dt.UTC), True)


def test_a_request_with_an_undocumented_field_is_reported() -> None:
    request = FakeRequest(
        "POST", "/target/feedback", {"key": "k"}, {"Content-Type": "application/json"},
        b'{"domain": "whatsapp", "source": "79370000002", "client": "79998885522", "files": ["https://x/a"]}',
    )  # fmt: skip
    problems = entry_problems(_entry("i2crm", request, FakeResponse(200, {"error": False, "data": {}})))
    assert any(p.field == "request files" for p in problems), problems
    assert any(p.field.startswith("answer") for p in problems), "data lacks id/external_ids/queued"


def test_an_answer_without_a_request_id_is_reported() -> None:
    request = FakeRequest("GET", "/channels", headers={"Authorization": "Bearer k"})
    answer = FakeResponse(401, {"type": "t", "title": "x", "status": 401, "code": "INVALID_API_KEY"})
    answer.content_type = "application/problem+json"
    answer.headers["Content-Type"] = "application/problem+json"
    assert [p.field for p in entry_problems(_entry("default", request, answer))] == ["answer request_id"]


def test_a_full_send_per_provider_is_clean(world: World) -> None:
    for provider in ("wazzup", "i2crm", "default"):
        world.process(provider)
    deal_id = world.deal()
    world.enter(deal_id)
    for fake in world.local_fakes.all():
        message = fake.outbox[0]
        fake.emit_status(message.id, fake.profile.status_words["delivered"])
    assert violations(world.local_fakes) == []
    assert all(len(world.sends(p)) == 1 for p in ("wazzup", "i2crm", "default"))


def test_clean_fakes_have_nothing_to_report() -> None:
    assert violations(ProviderFakes()) == []


def test_an_answer_checked_again_gets_the_same_verdict_and_a_changed_one_its_own() -> None:
    """Answers are checked once per identical input (mocks/contract.py ``_remembered``): the same answer
    again is reported again, and the same answer with the field put back is clean."""
    request = FakeRequest("GET", "/channels", headers={"Authorization": "Bearer k"})
    fields = {"type": "t", "title": "x", "status": 401, "code": "INVALID_API_KEY"}

    def problem_answer(body: dict[str, object]) -> FakeResponse:
        answer = FakeResponse(401, body)
        answer.content_type = "application/problem+json"
        answer.headers["Content-Type"] = "application/problem+json"
        return answer

    for _ in range(2):
        assert [p.field for p in entry_problems(_entry("default", request, problem_answer(fields)))] == [
            "answer request_id"
        ]
    complete = problem_answer({**fields, "request_id": "req_1"})
    assert entry_problems(_entry("default", request, complete)) == []
    assert [p.field for p in entry_problems(_entry("default", request, problem_answer(fields)))] == [
        "answer request_id"
    ]
