"""The building blocks: FakeRequest, Journal, Fault/FaultPlan, phone digits, the registry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.clock import frozen
from mocks import Fault, ProviderFakes
from mocks.channel import phone_digits
from mocks.faults import FaultPlan
from mocks.journal import Journal, JournalEntry
from mocks.outbox import OutboxMessage
from mocks.responses_mount import read_timeout, url_pattern
from mocks.wire import FakeRequest, FakeResponse

KEY = "5f1c1d4e-9c0e-4b8a-9a57-2f6ad1c3e111"


def test_a_fake_request_normalises_and_parses() -> None:
    request = FakeRequest("post", "message/", {"key": "k"}, {"authorization": "Bearer abc"}, b'{"a": 1}')
    assert (request.method, request.path, request.json, request.json_error) == ("POST", "/message", {"a": 1}, None)
    assert request.header("Authorization") == "Bearer abc"
    assert request.bearer_token() == "abc"
    broken = FakeRequest("POST", "/", body=b"{nope")
    assert broken.json is None and broken.json_error
    assert FakeRequest("GET", "/", headers={"Authorization": "Bearer "}).bearer_token() is None
    assert FakeRequest("GET", "/", headers={"Authorization": "Token abc"}).bearer_token() is None


def test_a_fake_response_encodes_utf8_json() -> None:
    response = FakeResponse(200, {"text": "Привет"})
    assert response.body_bytes() == '{"text": "Привет"}'.encode()
    assert response.all_headers()["Content-Type"] == "application/json; charset=utf-8"
    assert FakeResponse(204).body_bytes() == b""
    assert "Content-Type" not in FakeResponse(204).all_headers()


def entry(method: str, path: str, status: int | None) -> JournalEntry:
    request = FakeRequest(method, path)
    return JournalEntry.of("wazzup", request, FakeResponse(status or 0), None, datetime.now(UTC), status is not None)


def test_the_journal_filters_counts_and_clears() -> None:
    journal = Journal()
    for item in (entry("GET", "/channels", 200), entry("POST", "/message", 400), entry("POST", "/message", 201)):
        journal.record(item)
    assert journal.count() == len(journal) == 3
    assert journal.count(method="post") == 2
    assert journal.count(path="message") == 2
    assert journal.count(method="POST", status=201) == 1
    assert journal.last(method="POST").status == 201  # type: ignore[union-attr]
    assert journal.last(path="/webhooks") is None
    assert [e.path for e in journal.filter(method="GET")] == ["/channels"]
    journal.clear()
    assert journal.entries == []


def test_journal_entries_round_trip_through_json() -> None:
    with frozen("2025-03-01 09:00:00"):
        original = JournalEntry.of(
            "default",
            FakeRequest("POST", "/messages", {"a": "b"}, {"Idempotency-Key": KEY}, b'{"to": "1"}'),
            FakeResponse(202, {"id": "x"}, {"Idempotent-Replayed": "true"}),
            "slow",
            datetime.now(UTC),
            True,
        )
    copy = JournalEntry.from_json(original.to_json())
    assert copy.to_json() == original.to_json()
    assert copy.header("idempotency-key") == KEY
    assert copy.time == datetime(2025, 3, 1, 9, tzinfo=UTC)


def test_outbox_messages_round_trip_through_json() -> None:
    message = OutboxMessage(
        "wazzup",
        "id",
        "79370000001",
        "79998885522",
        None,
        [{"url": "https://f/a", "filename": "a", "content_type": "a/b", "size": 3}],
        "k",
        datetime(2025, 3, 1, tzinfo=UTC),
    )
    assert OutboxMessage.from_json(message.to_json()) == message


@pytest.mark.parametrize(
    ("kind", "params", "match"),
    [
        ("explode", {}, "unknown fault kind"),
        ("status", {}, "status="),
        ("status", {"status": 99}, "status="),
        ("slow", {}, "seconds="),
        ("timeout", {"retry_after": -1}, "retry_after"),
        ("timeout", {"delay": 1}, "unknown fault parameters"),
    ],
)
def test_faults_are_validated(kind: str, params: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Fault.build(kind, 1, params)


def test_a_fault_plan_consumes_one_shot_faults_and_keeps_persistent_ones() -> None:
    plan = FaultPlan()
    plan.add(Fault("status", times=2, status=500, method="post", path="message"))
    plan.add(Fault("timeout", times=None))
    assert plan.take("GET", "/channels").kind == "timeout"  # type: ignore[union-attr]
    assert plan.take("POST", "/message").kind == "status"  # type: ignore[union-attr]
    assert plan.take("POST", "/message").kind == "status"  # type: ignore[union-attr]
    assert plan.take("POST", "/message").kind == "timeout"  # type: ignore[union-attr]
    assert [f.kind for f in plan.pending] == ["timeout"]
    with pytest.raises(ValueError, match="times"):
        Fault("timeout", times=0)
    plan.clear()
    assert plan.take("GET", "/channels") is None


def test_phone_digits() -> None:
    assert phone_digits("+7(937)000-00-01") == "79370000001"
    assert phone_digits(" 8 937 000 00 01 ") == "89370000001"
    for bad in ("12345", "+7 (937) abc", "7937000000112345678"):
        with pytest.raises(ValueError):
            phone_digits(bad)


def test_read_timeouts_and_url_patterns() -> None:
    assert read_timeout(5) == 5.0
    assert read_timeout((1, 7)) == 7.0
    assert read_timeout((1, 7), 0) == 1.0
    assert read_timeout(None) is None
    assert read_timeout((3, None)) is None
    pattern = url_pattern("https://api.wazzup24.com/v3")
    assert pattern.match("https://api.wazzup24.com/v3/message?x=1")
    assert pattern.match("https://api.wazzup24.com/v3")
    assert not pattern.match("https://api.wazzup24.com/v30/message")


def test_the_registry(fakes: ProviderFakes) -> None:
    assert [f.name for f in fakes.all()] == ["wazzup", "i2crm", "default"]
    assert fakes.get("default") is fakes.default
    assert fakes.wazzup.base_url == "https://api.wazzup24.com/v3"
    assert fakes.i2crm.base_url == "https://app.i2crm.ru/api_v1"
    assert fakes.default.base_url == "https://api.default.example/v1"
    with pytest.raises(KeyError, match="telegram"):
        fakes.get("telegram")
    fakes.configure_webhooks("http://127.0.0.1:8000/")
    assert fakes.i2crm.webhook_url == "http://127.0.0.1:8000/api/webhooks/i2crm"
    assert fakes.default.webhook_url is None, "Default learns its address from PUT /webhook"
    assert fakes.wazzup.webhook_url is None, "Wazzup learns its address from PATCH /webhooks"
    custom = ProviderFakes(default_base_url="http://127.0.0.1:9/default/v1/")
    assert custom.default.base_url == "http://127.0.0.1:9/default/v1"


def test_reset_empties_everything(fakes: ProviderFakes) -> None:
    fake = fakes.default
    fake.add_api_key("d")
    channel = fake.add_channel("79370000003")
    fake.mark_not_on_whatsapp("79998885522")
    fake.fail_always("timeout")
    fake._learn_webhook("http://crm/hook")  # as a PUT /webhook would
    fake.rate_limit = None
    request = FakeRequest(
        "POST",
        "/messages",
        headers={"Authorization": "Bearer d", "Idempotency-Key": KEY},
        body=b'{"channel_id": "%s", "to": "79998885000", "text": "x"}' % channel.id.encode(),
    )
    fake.clear_faults()
    assert fake.handle(request).status == 202
    fake.fail_always("timeout")
    fakes.reset()
    assert (fake.api_keys, fake.channels, fake.not_on_whatsapp, fake.faults.pending) == (set(), {}, set(), [])
    again = fakes.get("default")
    assert (again.outbox, again.journal.entries, again.webhook_url) == ([], [], None)
    assert fake.rate_limit is not None and fake.rate_limit.requests == 20
    fake.add_api_key("d")
    fake.add_channel("79370000003")
    assert fake.handle(request).status == 404  # the old channel id is gone, and the key "k" forgotten


def test_the_outbox_across_providers_keeps_acceptance_order(fakes: ProviderFakes) -> None:
    for fake, key in ((fakes.wazzup, "w"), (fakes.default, "d")):
        fake.add_api_key(key)
    w = fakes.wazzup.add_channel("79370000001")
    d = fakes.default.add_channel("79370000003")
    with frozen("2025-03-01 09:00:00"):
        to_default = FakeRequest(
            "POST",
            "/messages",
            headers={"Authorization": "Bearer d", "Idempotency-Key": KEY},
            body=b'{"channel_id": "%s", "to": "79998885522", "text": "1"}' % d.id.encode(),
        )
        to_wazzup = FakeRequest(
            "POST",
            "/message",
            headers={"Authorization": "Bearer w"},
            body=b'{"channelId": "%s", "chatType": "whatsapp", "chatId": "79998885522", "text": "2"}' % w.id.encode(),
        )
        assert fakes.default.handle(to_default).status == 202
        assert fakes.wazzup.handle(to_wazzup).status == 201
    assert [(m.provider, m.text) for m in fakes.outbox()] == [("default", "1"), ("wazzup", "2")]
