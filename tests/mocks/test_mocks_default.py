"""Default fake, contract 2: problem details, paged channels, idempotency and reconciliation, Standard Webhooks."""

from __future__ import annotations

import base64
import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses
from standardwebhooks import Webhook

from harness.clock import frozen
from mocks import DefaultFake, FakeChannel, ProviderFakes, RateLimit, StatusOptions

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

KEY = "d-key"
CLIENT = "79998885522"
MB16 = 16 * 1024 * 1024
SECRET = "whsec_" + base64.b64encode(b"s" * 24).decode()


@pytest.fixture
def default(fakes: ProviderFakes) -> DefaultFake:
    fakes.default.add_api_key(KEY)
    return fakes.of(DefaultFake)


@pytest.fixture
def channel(default: DefaultFake) -> FakeChannel:
    return default.add_channel("+7(937)000-00-03", name="Основной")


def call(default: DefaultFake, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {KEY}"} | kwargs.pop("headers", {})
    return requests.request(method, f"{default.base_url}{path}", headers=headers, timeout=5, **kwargs)


def send(default: DefaultFake, body: Any, key: str | None = None) -> requests.Response:
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return call(default, "POST", "/messages", json=body, headers=headers)


def message(channel: FakeChannel, **change: Any) -> dict[str, Any]:
    body = {"channel_id": channel.id, "to": CLIENT, "text": "Здравствуйте", **change}
    return {k: v for k, v in body.items() if v is not None}


def assert_problem(answer: requests.Response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert {"type", "title", "status", "detail", "code", "request_id"} <= set(problem)
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["request_id"].startswith("req_")
    if field is not None:
        assert field in [e["field"] for e in problem["errors"]], problem
    return problem


def test_channels_come_in_pages_followed_by_cursor(rsps: responses.RequestsMock, default: DefaultFake) -> None:
    for n in range(1, 4):
        default.add_channel(f"+7(937)000-00-0{n}")
    default.page_size = 1
    seen, cursor, pages = [], None, 0
    while True:
        page = call(default, "GET", "/channels", params={"cursor": cursor} if cursor else {}).json()
        pages += 1
        seen += [c["phone"] for c in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert (pages, seen) == (3, ["79370000001", "79370000002", "79370000003"])
    assert_problem(call(default, "GET", "/channels", params={"cursor": "@@"}), 400, "VALIDATION_ERROR", "cursor")


def test_a_wrong_key_is_401_problem(rsps: responses.RequestsMock, default: DefaultFake) -> None:
    answer = requests.get(f"{default.base_url}/channels", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert_problem(answer, 401, "INVALID_API_KEY")


def test_a_message_is_accepted_and_the_same_key_replays_it(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    key = str(uuid.uuid4())
    first = send(default, message(channel), key)
    assert first.status_code == 202 and first.json()["status"] == "queued"
    again = send(default, message(channel), key)
    assert (again.status_code, again.json(), again.headers["Idempotent-Replayed"]) == (202, first.json(), "true")
    assert len(default.outbox) == 1
    assert_problem(send(default, message(channel, text="другое"), key), 422, "IDEMPOTENCY_KEY_REUSED")


def test_the_key_is_required_and_a_uuid(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    answer = call(default, "POST", "/messages", json=message(channel))
    assert_problem(answer, 400, "VALIDATION_ERROR", "Idempotency-Key")
    assert_problem(send(default, message(channel), "bp-run-1-79998885522"), 400, "VALIDATION_ERROR", "Idempotency-Key")


def test_keys_are_kept_72_hours(rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel) -> None:
    key = str(uuid.uuid4())
    with frozen("2026-11-10 10:00:00") as clock:
        send(default, message(channel), key)
        clock.move_to("2026-11-13 09:59:00")
        assert send(default, message(channel), key).headers.get("Idempotent-Replayed") == "true"
        clock.move_to("2026-11-13 10:00:01")
        assert "Idempotent-Replayed" not in send(default, message(channel), key).headers
    assert len(default.outbox) == 2


def test_each_key_is_forgotten_by_its_own_age_when_the_clock_went_back(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    late, early = str(uuid.uuid4()), str(uuid.uuid4())
    with frozen("2026-11-12 10:00:00") as clock:
        send(default, message(channel), late)
        clock.move_to("2026-11-10 10:00:00")  # a scenario clock set back: the next key is older than the first
        send(default, message(channel), early)
        clock.move_to("2026-11-13 10:00:01")
        assert "Idempotent-Replayed" not in send(default, message(channel), early).headers
        assert send(default, message(channel), late).headers.get("Idempotent-Replayed") == "true"
    assert len(default.outbox) == 3


def test_a_key_in_progress_is_409_and_unknown_to_lookups(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    key = str(uuid.uuid4())
    with frozen("2026-11-10 10:00:00") as clock:
        default.fail_next("processing", seconds=30)
        with pytest.raises(requests.ReadTimeout):
            send(default, message(channel), key)
        assert_problem(send(default, message(channel), key), 409, "REQUEST_IN_PROGRESS")
        assert call(default, "GET", "/messages", params={"idempotency_key": key}).status_code == 404
        clock.tick(31)
        found = call(default, "GET", "/messages", params={"idempotency_key": key}).json()
        assert found["status"] == "queued" and found["id"] == default.outbox[0].id
    assert len(default.outbox) == 1


def test_reconciliation_by_id_and_by_key(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    key = str(uuid.uuid4())
    message_id = send(default, message(channel), key).json()["id"]
    default.emit_status(message_id, "failed", options=StatusOptions(lost=True))
    by_id = call(default, "GET", f"/messages/{message_id}").json()
    by_key = call(default, "GET", "/messages", params={"idempotency_key": key}).json()
    assert by_id == by_key and by_id["status"] == "failed" and by_id["error"]["code"] == "DELIVERY_FAILED"
    assert_problem(
        call(default, "GET", "/messages", params={"idempotency_key": str(uuid.uuid4())}), 404, "MESSAGE_NOT_FOUND"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel_id": None}, "channel_id"),
        ({"to": "+7 999"}, "to"),
        ({"text": ""}, "text"),
        ({"chat_id": "x"}, "chat_id"),
        ({"attachments": [{"url": "ftp://x", "filename": "a", "content_type": "a/b", "size": 1}]}, "attachments.0.url"),
        ({"attachments": [{"url": "https://x/a", "filename": "a", "content_type": "a/b"}]}, "attachments.0.size"),
    ],
)
def test_validation_errors_name_every_field(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, change: dict[str, Any], field: str
) -> None:
    assert_problem(send(default, message(channel, **change)), 400, "VALIDATION_ERROR", field)
    assert default.outbox == []


def test_limits_and_channel_refusals(rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel) -> None:
    assert_problem(send(default, message(channel, text="я" * 4097)), 400, "TEXT_TOO_LONG")
    big = {"url": "https://x/a", "filename": "a", "content_type": "a/b", "size": MB16 + 1}
    assert_problem(send(default, message(channel, attachments=[big])), 400, "ATTACHMENT_TOO_LARGE")
    assert_problem(send(default, message(channel, channel_id=str(uuid.uuid4()))), 404, "CHANNEL_NOT_FOUND")
    default.mark_not_on_whatsapp(CLIENT)
    assert_problem(send(default, message(channel)), 422, "NOT_ON_WHATSAPP")
    default.set_channel_state(channel.phone, "blocked")
    assert_problem(send(default, message(channel)), 409, "CHANNEL_INACTIVE")


def test_attachments_are_downloaded_and_checked(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/a.pdf", b"%PDF" * 10)
    item = {"url": url, "filename": "a.pdf", "content_type": "application/pdf", "size": 40}
    assert send(default, message(channel, attachments=[item])).status_code == 202
    assert default.outbox[0].attachments[0]["size"] == 40
    wrong = item | {"size": 41}
    assert_problem(send(default, message(channel, attachments=[wrong])), 400, "VALIDATION_ERROR", "attachments.0.size")


def test_20_requests_per_second_then_429(default: DefaultFake) -> None:
    default.rate_limit = RateLimit(2, 1.0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock, frozen("2026-11-10 10:00:00"):
        from mocks.responses_mount import mount_fake

        mount_fake(mock, default)
        answers = [call(default, "GET", "/channels") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "1"
    assert_problem(answers[2], 429, "RATE_LIMITED")


def test_registering_a_webhook_verifies_it_with_a_signed_test_event(
    rsps: responses.RequestsMock, default: DefaultFake, peer: LocalPeer
) -> None:
    answer = call(default, "PUT", "/webhook", json={"url": f"{peer.url}/hook", "secret": SECRET})
    assert answer.status_code == 200 and default.webhook_url == f"{peer.url}/hook"
    [test] = peer.posts("/hook")
    verified = Webhook(SECRET).verify(test.body, test.headers)
    assert verified["type"] == "webhook.test"
    peer.status = 500
    refused = call(default, "PUT", "/webhook", json={"url": f"{peer.url}/other", "secret": SECRET})
    assert_problem(refused, 422, "WEBHOOK_TEST_FAILED")
    assert default.webhook_url == f"{peer.url}/hook", "nothing saved after a failed test"


def test_status_webhooks_follow_standard_webhooks_and_rotation_signs_twice(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    newer = "whsec_" + base64.b64encode(b"n" * 24).decode()
    call(default, "PUT", "/webhook", json={"url": f"{peer.url}/hook", "secret": SECRET})
    message_id = send(default, message(channel)).json()["id"]
    assert default.emit_status(message_id, "delivered") == 200
    delivery = peer.posts("/hook")[-1]
    event = Webhook(SECRET).verify(delivery.body, delivery.headers)
    assert (event["type"], event["data"]["id"], event["data"]["status"]) == ("message.status", message_id, "delivered")
    call(default, "PUT", "/webhook", json={"url": f"{peer.url}/hook", "secret": newer})
    default.emit_status(message_id, "read")
    rotated = peer.posts("/hook")[-1]
    assert len(rotated.headers["webhook-signature"].split()) == 2
    Webhook(SECRET).verify(rotated.body, rotated.headers)
    Webhook(newer).verify(rotated.body, rotated.headers)
    default.emit_status(message_id, "read", options=StatusOptions(forged=True))
    forged = peer.posts("/hook")[-1]
    with pytest.raises(Exception, match="signature"):
        Webhook(newer).verify(forged.body, forged.headers)
    assert json.loads(forged.body)["data"]["id"] == message_id


def test_unknown_routes_and_methods(rsps: responses.RequestsMock, default: DefaultFake) -> None:
    assert_problem(call(default, "GET", "/nope"), 404, "NOT_FOUND")
    assert_problem(call(default, "DELETE", "/channels"), 405, "METHOD_NOT_ALLOWED")
