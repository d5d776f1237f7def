"""i2crm fake: always-200 envelopes, token and per-channel keys, no idempotency, status webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses
from freezegun import freeze_time

from mocks import FakeChannel, I2crmFake, ProviderFakes

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

TOKEN = "i-token"
CLIENT = "79998885522"


@pytest.fixture
def i2crm(fakes: ProviderFakes) -> I2crmFake:
    fakes.i2crm.add_api_key(TOKEN)
    return fakes.i2crm


@pytest.fixture
def channel(i2crm: I2crmFake) -> FakeChannel:
    return i2crm.add_channel("+7(937)000-00-02", name="Продажи")


def send(i2crm: I2crmFake, key: str | None, body: Any) -> requests.Response:
    params = {"key": key} if key is not None else {}
    return requests.post(f"{i2crm.base_url}/target/feedback", params=params, json=body, timeout=5)


def message(**change: Any) -> dict[str, Any]:
    body = {"domain": "whatsapp", "source": "79370000002", "client": CLIENT, "text": "Добрый день", **change}
    return {k: v for k, v in body.items() if v is not None}


def assert_failure(answer: requests.Response, status: int) -> dict[str, Any]:
    """HTTP is 200 however it failed; the envelope carries the verdict."""
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert isinstance(body["error"], str) and body["error"]
    assert any("а" <= ch <= "я" for ch in body["error"].lower()), "i2crm errors are Russian"
    assert body["data"]["status"] == status
    return body


def test_targets_and_sources_need_the_user_token(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    targets = requests.get(f"{i2crm.base_url}/targets", params={"token": TOKEN}, timeout=5).json()
    assert targets == {
        "error": False,
        "data": {"list": [{"id": 1, "name": "Продажи", "active": True, "key": channel.key}]},
    }
    i2crm.set_channel_state("79370000002", "inactive")
    sources = requests.get(f"{i2crm.base_url}/sources", params={"token": TOKEN}, timeout=5).json()
    assert sources["data"]["list"] == [
        {"id": 1, "channel": "whatsapp", "account_id": "79370000002", "name": "Продажи", "active": False}
    ]
    for params in ({}, {"token": "wrong"}, {"key": channel.key}):
        assert_failure(requests.get(f"{i2crm.base_url}/targets", params=params, timeout=5), 401)


def test_every_channel_gets_its_own_send_key(i2crm: I2crmFake) -> None:
    first = i2crm.add_channel("79370000002")
    second = i2crm.add_channel("79370000003")
    assert first.key and second.key and first.key != second.key
    assert len(first.key) == 32
    assert (first.id, second.id) == ("1", "2")


def test_a_message_is_accepted_with_the_channel_key(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    answer = send(i2crm, channel.key, message())
    assert answer.status_code == 200
    assert answer.json() == {"error": False, "data": {"id": 1, "external_ids": [], "queued": False}}
    [sent] = i2crm.outbox
    assert (sent.id, sent.channel, sent.to, sent.text, sent.idempotency_key) == (
        "1",
        "79370000002",
        CLIENT,
        "Добрый день",
        None,
    )


def test_an_identical_post_again_is_a_second_message(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    first = send(i2crm, channel.key, message()).json()["data"]["id"]
    second = send(i2crm, channel.key, message()).json()["data"]["id"]
    assert first != second
    assert [m.text for m in i2crm.outbox] == ["Добрый день", "Добрый день"]


@pytest.mark.parametrize("key", [None, "", "wrong", TOKEN])
def test_a_wrong_key_is_refused_with_http_200(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, key: str | None
) -> None:
    assert_failure(send(i2crm, key, message()), 401)
    assert i2crm.outbox == []


def test_an_inactive_channel_is_refused(rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel) -> None:
    i2crm.set_channel_state("79370000002", "inactive")
    assert_failure(send(i2crm, channel.key, message()), 403)
    assert i2crm.outbox == []


def test_a_number_without_whatsapp_is_refused(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    i2crm.mark_not_on_whatsapp(CLIENT)
    body = assert_failure(send(i2crm, channel.key, message()), 400)
    assert "client" in body["data"]["validation"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"domain": None}, "domain"),
        ({"domain": "telegram"}, "domain"),
        ({"source": None}, "source"),
        ({"source": "79370000099"}, "source"),
        ({"source": "+7(937)000-00-02"}, "source"),
        ({"client": None}, "client"),
        ({"client": "+79998885522"}, "client"),
        ({"client": "12345"}, "client"),
        ({"text": None}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "я" * 4097}, "text"),
        ({"files": "https://files.example/a.pdf"}, "files"),
        ({"files": []}, "files"),
        ({"files": ["not a url"]}, "files.0"),
        ({"attachments": []}, "attachments"),
    ],
)
def test_validation_errors_name_the_field(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, change: dict[str, Any], field: str
) -> None:
    body = assert_failure(send(i2crm, channel.key, message(**change)), 400)
    assert field in body["data"]["validation"]
    assert all(isinstance(text, str) for text in body["data"]["validation"][field])
    assert i2crm.outbox == []


def test_text_of_4096_characters_passes(rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel) -> None:
    assert send(i2crm, channel.key, message(text="я" * 4096)).json()["error"] is False


def test_a_body_that_is_not_json_is_refused(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    answer = requests.post(f"{i2crm.base_url}/target/feedback", params={"key": channel.key}, data=b"x", timeout=5)
    assert "body" in assert_failure(answer, 400)["data"]["validation"]


def test_files_are_downloaded_and_may_travel_with_text(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/price.png", b"\x89PNG" * 10, "image/png")
    assert send(i2crm, channel.key, message(files=[url])).json()["error"] is False
    assert send(i2crm, channel.key, message(text=None, files=[url])).json()["error"] is False
    with_text, only_file = i2crm.outbox
    assert with_text.text == "Добрый день" and only_file.text is None
    assert only_file.attachments == [{"url": url, "filename": "price.png", "content_type": "image/png", "size": 40}]


def test_a_file_that_cannot_be_downloaded_is_refused(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    good = peer.add_file("/a.pdf", b"%PDF")
    gone = peer.add_file("/gone.pdf", b"", status=404)
    body = assert_failure(send(i2crm, channel.key, message(files=[good, gone])), 400)
    assert "files.1" in body["data"]["validation"]
    assert i2crm.outbox == []


def test_unknown_routes_and_methods_answer_200_envelopes(rsps: responses.RequestsMock, i2crm: I2crmFake) -> None:
    assert_failure(requests.get(f"{i2crm.base_url}/messages", timeout=5), 404)
    assert_failure(requests.get(f"{i2crm.base_url}/target/feedback", timeout=5), 405)


def test_status_webhooks_use_the_i2crm_format_without_auth(
    rsps: responses.RequestsMock, i2crm: I2crmFake, peer: LocalPeer
) -> None:
    i2crm.webhook_url = f"{peer.url}/api/webhooks/i2crm"
    with freeze_time("2025-03-01 09:00:00"):
        assert i2crm.emit_status("17", "delivered") == 200
        i2crm.emit_status("17", "error", error={"code": "blocked", "message": "Клиент заблокировал"})
        i2crm.emit_status("17", "error")
    delivered, refused, default_error = peer.posts("/api/webhooks/i2crm")
    assert delivered.json == {
        "type": "status",
        "external_id": "17",
        "status": "delivered",
        "error_code": None,
        "error_message": None,
        "datetime": "2025-03-01T09:00:00+00:00",
    }
    assert "Authorization" not in delivered.headers
    assert "X-Default-Signature" not in delivered.headers
    assert (refused.json["error_code"], refused.json["error_message"]) == ("blocked", "Клиент заблокировал")
    assert default_error.json["error_code"] == "not_delivered"


def test_i2crm_would_repeat_a_webhook_the_crm_did_not_answer_with_json(
    rsps: responses.RequestsMock, i2crm: I2crmFake, peer: LocalPeer
) -> None:
    i2crm.webhook_url = f"{peer.url}/hook"
    i2crm.emit_status("1", "read")
    peer.body, peer.content_type = b"OK", "text/plain"
    assert i2crm.emit_status("1", "read") == 200
    assert [d.answered_json for d in i2crm.webhook_deliveries] == [True, False]


def test_status_emission_checks_its_arguments(i2crm: I2crmFake) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        i2crm.emit_status("1", "failed")
    with pytest.raises(RuntimeError, match="webhook_url"):
        i2crm.emit_status("1", "sent")
    i2crm.webhook_url = "http://127.0.0.1:9/hook"
    with pytest.raises(ValueError, match="signature"):
        i2crm.emit_status("1", "sent", signature="sha256=00")


def test_i2crm_channel_states(i2crm: I2crmFake) -> None:
    with pytest.raises(ValueError, match="unknown channel state"):
        i2crm.add_channel("79370000002", state="blocked")
