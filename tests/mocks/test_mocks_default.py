"""Default fake: the contract of /v1, Idempotency-Key replay, validation by field, HMAC webhooks."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses
from freezegun import freeze_time

from mocks import DefaultFake, FakeChannel, ProviderFakes, RateLimit
from mocks.wire import FakeRequest

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

KEY = "d-key"
CLIENT = "79998885522"
MB16 = 16 * 1024 * 1024


@pytest.fixture
def default(fakes: ProviderFakes) -> DefaultFake:
    fakes.default.add_api_key(KEY)
    return fakes.default


@pytest.fixture
def channel(default: DefaultFake) -> FakeChannel:
    return default.add_channel("+7(937)000-00-03", name="Основной")


def send(default: DefaultFake, body: Any, key: str | None = "idem-1", token: str = KEY) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(f"{default.base_url}/messages", json=body, headers=headers, timeout=5)


def attachment(**change: Any) -> dict[str, Any]:
    item = {"url": "https://files.example/a.pdf", "filename": "a.pdf", "content_type": "application/pdf", "size": 1}
    return {k: v for k, v in {**item, **change}.items() if v is not None}


def message(channel: FakeChannel, **change: Any) -> dict[str, Any]:
    body = {"channel_id": channel.id, "to": CLIENT, "text": "Здравствуйте", **change}
    return {k: v for k, v in body.items() if v is not None}


def assert_error(answer: requests.Response, status: int, code: str, field: str | None = None) -> None:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error.get("field") == field


def test_channels_are_listed_in_default_format(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    default.add_channel("79370000004", state="blocked")
    answer = requests.get(f"{default.base_url}/channels", headers={"Authorization": f"Bearer {KEY}"}, timeout=5)
    assert answer.json() == [
        {"id": channel.id, "phone": "79370000003", "name": "Основной", "transport": "whatsapp", "state": "active"},
        {
            "id": default.channel("79370000004").id,
            "phone": "79370000004",
            "name": "WhatsApp 79370000004",
            "transport": "whatsapp",
            "state": "blocked",
        },
    ]


def test_a_wrong_key_is_401(rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel) -> None:
    assert_error(send(default, message(channel), token="nope"), 401, "INVALID_API_KEY")
    answer = requests.get(f"{default.base_url}/channels", timeout=5)
    assert_error(answer, 401, "INVALID_API_KEY")


def test_text_and_attachments_are_accepted_in_one_request(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/a.pdf", b"%PDF" * 25)
    attachment = {"url": url, "filename": "Счёт.pdf", "content_type": "application/pdf", "size": 100}
    answer = send(default, message(channel, attachments=[attachment]))
    assert answer.status_code == 202
    assert answer.json()["status"] == "queued"
    uuid.UUID(answer.json()["id"])
    [sent] = default.outbox
    assert (sent.id, sent.channel, sent.to, sent.text) == (answer.json()["id"], "79370000003", CLIENT, "Здравствуйте")
    assert sent.attachments == [attachment]
    assert sent.idempotency_key == "idem-1"


@pytest.mark.parametrize("key", [None, "", "k" * 256])
def test_the_idempotency_key_is_required(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, key: str | None
) -> None:
    assert_error(send(default, message(channel), key=key), 400, "VALIDATION_ERROR", "Idempotency-Key")
    assert default.outbox == []


def test_the_same_key_replays_the_original_answer_and_sends_nothing(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    first = send(default, message(channel))
    default.set_channel_state("79370000003", "inactive")
    again = send(default, message(channel))
    assert again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(default.outbox) == 1


def test_the_same_key_with_another_body_is_refused(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    send(default, message(channel))
    answer = send(default, message(channel, text="Другой текст"))
    assert_error(answer, 422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    assert len(default.outbox) == 1


def test_keys_are_remembered_for_24_hours(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    with freeze_time("2025-03-01 09:00:00") as clock:
        first = send(default, message(channel)).json()
        clock.tick(24 * 3600 - 1)
        assert send(default, message(channel)).json() == first
        clock.tick(1)
        later = send(default, message(channel))
    assert later.status_code == 202 and later.json() != first
    assert "Idempotent-Replayed" not in later.headers
    assert len(default.outbox) == 2


def test_a_refused_request_does_not_consume_its_key(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    default.set_channel_state("79370000003", "inactive")
    assert_error(send(default, message(channel)), 409, "CHANNEL_INACTIVE", "channel_id")
    default.set_channel_state("79370000003", "active")
    assert send(default, message(channel)).status_code == 202


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel_id": None}, "channel_id"),
        ({"channel_id": 5}, "channel_id"),
        ({"to": None}, "to"),
        ({"to": "+79998885522"}, "to"),
        ({"to": "8999"}, "to"),
        ({"text": ""}, "text"),
        ({"text": None}, "text"),
        ({"text": None, "attachments": []}, "text"),
        ({"chat_id": CLIENT}, "chat_id"),
        ({"attachments": {"url": "x"}}, "attachments"),
        ({"attachments": ["https://files.example/a.pdf"]}, "attachments[0]"),
        ({"attachments": [attachment(url=None)]}, "attachments[0].url"),
        ({"attachments": [attachment(url="ftp://f.example/a")]}, "attachments[0].url"),
        ({"attachments": [attachment(filename=None)]}, "attachments[0].filename"),
        ({"attachments": [attachment(filename="")]}, "attachments[0].filename"),
        ({"attachments": [attachment(content_type="pdf")]}, "attachments[0].content_type"),
        ({"attachments": [attachment(size="1")]}, "attachments[0].size"),
        ({"attachments": [attachment(size=True)]}, "attachments[0].size"),
        ({"attachments": [attachment(size=0)]}, "attachments[0].size"),
        ({"attachments": [attachment(x=1)]}, "attachments[0].x"),
        ({"attachments": [attachment()] * 11}, "attachments"),
    ],
)
def test_validation_errors_name_the_field(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, change: dict[str, Any], field: str
) -> None:
    assert_error(send(default, message(channel, **change)), 400, "VALIDATION_ERROR", field)
    assert default.outbox == []


def test_a_body_that_is_not_a_json_object_is_refused(rsps: responses.RequestsMock, default: DefaultFake) -> None:
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": "k"}
    answer = requests.post(f"{default.base_url}/messages", data=b"[]", headers=headers, timeout=5)
    assert_error(answer, 400, "VALIDATION_ERROR", "body")


def test_text_over_4096_characters_is_too_long(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel
) -> None:
    assert send(default, message(channel, text="я" * 4096), key="a").status_code == 202
    assert_error(send(default, message(channel, text="я" * 4097), key="b"), 400, "TEXT_TOO_LONG", "text")


def test_an_attachment_declared_over_16_mb_is_refused_without_downloading(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/big.mp4", b"x")
    attachment = {"url": url, "filename": "big.mp4", "content_type": "video/mp4", "size": MB16 + 1}
    answer = send(default, message(channel, attachments=[attachment]))
    assert_error(answer, 400, "ATTACHMENT_TOO_LARGE", "attachments[0].size")
    assert peer.received == []


def test_an_attachment_whose_file_is_over_16_mb_is_refused(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/big.bin", b"x" * (MB16 + 1), "application/octet-stream")
    attachment = {"url": url, "filename": "big.bin", "content_type": "application/octet-stream", "size": MB16}
    answer = send(default, message(channel, attachments=[attachment]))
    assert_error(answer, 400, "ATTACHMENT_TOO_LARGE", "attachments[0].url")


def test_an_attachment_that_cannot_be_downloaded_or_differs_is_refused(
    rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    good = peer.add_file("/ok.txt", b"12345", "text/plain")
    gone = peer.add_file("/gone.txt", b"", "text/plain", status=404)
    item = {"url": good, "filename": "ok.txt", "content_type": "text/plain", "size": 5}
    wrong_size = message(channel, attachments=[item, item | {"size": 6}])
    assert_error(send(default, wrong_size, key="a"), 400, "VALIDATION_ERROR", "attachments[1].size")
    missing = message(channel, attachments=[item | {"url": gone}])
    assert_error(send(default, missing, key="b"), 400, "VALIDATION_ERROR", "attachments[0].url")
    assert default.outbox == []


def test_channel_and_recipient_errors(rsps: responses.RequestsMock, default: DefaultFake, channel: FakeChannel) -> None:
    ghost = FakeChannel(id=str(uuid.uuid4()), phone="79370000003", name="x", state="active")
    assert_error(send(default, message(ghost), key="a"), 404, "CHANNEL_NOT_FOUND", "channel_id")
    for state in ("inactive", "blocked"):
        default.set_channel_state("79370000003", state)
        assert_error(send(default, message(channel), key=state), 409, "CHANNEL_INACTIVE", "channel_id")
    default.set_channel_state("79370000003", "active")
    default.mark_not_on_whatsapp(CLIENT)
    assert_error(send(default, message(channel), key="c"), 422, "NOT_ON_WHATSAPP", "to")
    telegram = default.add_channel("79370000005", transport="telegram")
    assert_error(send(default, message(telegram), key="d"), 400, "VALIDATION_ERROR", "channel_id")
    assert default.outbox == []


def test_20_requests_per_second_then_429(default: DefaultFake) -> None:
    request = FakeRequest("GET", "/channels", headers={"Authorization": f"Bearer {KEY}"})
    with freeze_time("2025-03-01 09:00:00") as clock:
        assert {default.handle(request).status for _ in range(20)} == {200}
        limited = default.handle(request)
        assert (limited.status, limited.json["error"]["code"]) == (429, "RATE_LIMITED")
        assert limited.headers["Retry-After"] == "1"
        clock.tick(1)
        assert default.handle(request).status == 200
        default.rate_limit = None
        assert {default.handle(request).status for _ in range(100)} == {200}
        clock.tick(60)
        default.rate_limit = RateLimit(requests=1, per_seconds=60)
        assert default.handle(request).status == 200
        assert default.handle(request).headers["Retry-After"] == "60"


def test_unknown_routes_and_methods(rsps: responses.RequestsMock, default: DefaultFake) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    assert_error(requests.get(f"{default.base_url}/message", headers=headers, timeout=5), 404, "NOT_FOUND")
    assert_error(requests.get(f"{default.base_url}/messages", headers=headers, timeout=5), 405, "METHOD_NOT_ALLOWED")


def test_status_webhooks_are_signed_with_hmac_of_the_raw_body(
    rsps: responses.RequestsMock, default: DefaultFake, peer: LocalPeer
) -> None:
    default.webhook_url = f"{peer.url}/api/webhooks/default"
    default.webhook_secret = "s3cret"
    with freeze_time("2025-03-01 09:00:00"):
        assert default.emit_status("m-1", "delivered") == 200
        default.emit_status("m-1", "failed")
        default.emit_status("m-1", "failed", error={"code": "BLOCKED", "message": "заблокирован"})
    delivered, failed, custom = peer.posts("/api/webhooks/default")
    assert delivered.json == {"id": "m-1", "status": "delivered", "timestamp": "2025-03-01T09:00:00Z"}
    for received in (delivered, failed, custom):
        expected = "sha256=" + hmac.new(b"s3cret", received.body, hashlib.sha256).hexdigest()
        assert received.headers["X-Default-Signature"] == expected
    assert failed.json["error"]["code"] == "DELIVERY_FAILED"
    assert custom.json["error"] == {"code": "BLOCKED", "message": "заблокирован"}


def test_forged_and_unsigned_status_webhooks(
    rsps: responses.RequestsMock, default: DefaultFake, peer: LocalPeer
) -> None:
    default.webhook_url = f"{peer.url}/hook"
    with pytest.raises(RuntimeError, match="webhook_secret"):
        default.emit_status("m-1", "read")
    peer.status = 401
    assert default.emit_status("m-1", "read", signature="sha256=forged") == 401
    assert default.emit_status("m-1", "read", unsigned=True) == 401
    forged, unsigned = peer.posts()
    assert forged.headers["X-Default-Signature"] == "sha256=forged"
    assert "X-Default-Signature" not in unsigned.headers
    with pytest.raises(ValueError, match="unknown status"):
        default.emit_status("m-1", "error")


def test_default_channel_states(default: DefaultFake) -> None:
    with pytest.raises(ValueError, match="unknown channel state"):
        default.add_channel("79370000003", state="notEnoughMoney")
