"""Wazzup fake: strictness of /v3 channels and messages, the 60 s crmMessageId window, the rate window."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses

from harness.clock import frozen
from mocks import FakeChannel, ProviderFakes, WazzupFake
from mocks.wire import FakeRequest

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

KEY = "w-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
CLIENT = "79998885522"


@pytest.fixture
def wazzup(fakes: ProviderFakes) -> WazzupFake:
    fakes.wazzup.add_api_key(KEY)
    return fakes.of(WazzupFake)


@pytest.fixture
def channel(wazzup: WazzupFake) -> FakeChannel:
    return wazzup.add_channel("+7(937)000-00-01")


def send(wazzup: WazzupFake, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(f"{wazzup.base_url}/message", json=body, headers=headers or AUTH, timeout=5)


def text_message(channel: FakeChannel, **extra: Any) -> dict[str, Any]:
    return {"channelId": channel.id, "chatType": "whatsapp", "chatId": CLIENT, "text": "Здравствуйте", **extra}


def assert_error(response: requests.Response, code: str, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] == code
    assert body["status"] == status
    assert set(body) == {"status", "requestId", "error", "description", "data"}
    return body


def test_channels_are_listed_in_wazzup_format(rsps: responses.RequestsMock, wazzup: WazzupFake) -> None:
    channel = wazzup.add_channel("+7(937)000-00-01", state="qridle")
    wazzup.add_channel("79370000009", transport="telegram")
    answer = requests.get(f"{wazzup.base_url}/channels", headers=AUTH, timeout=5)
    assert answer.status_code == 200
    assert answer.json()[0] == {
        "channelId": channel.id,
        "transport": "whatsapp",
        "plainId": "79370000001",
        "state": "qridle",
    }
    assert answer.json()[1]["transport"] == "telegram"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}, {"Authorization": f"Basic {KEY}"}]
)
def test_a_request_without_the_bearer_key_is_401(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, headers: dict[str, str]
) -> None:
    answer = requests.post(f"{wazzup.base_url}/message", json=text_message(channel), headers=headers, timeout=5)
    assert_error(answer, "UNAUTHORIZED", 401)
    assert wazzup.outbox == []
    assert wazzup.journal.last() is not None and wazzup.journal.last().status == 401  # type: ignore[union-attr]


def test_a_text_message_is_accepted_and_lands_in_the_outbox(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    answer = send(wazzup, text_message(channel, crmMessageId="m-1"))
    assert answer.status_code == 201
    assert set(answer.json()) == {"messageId", "chatId"}
    assert answer.json()["chatId"] == CLIENT
    uuid.UUID(answer.json()["messageId"])
    [message] = wazzup.outbox
    assert (message.provider, message.id, message.channel, message.to) == (
        "wazzup",
        answer.json()["messageId"],
        "79370000001",
        CLIENT,
    )
    assert (message.text, message.attachments, message.idempotency_key) == ("Здравствуйте", [], "m-1")
    assert wazzup.outbox_to("+7 (999) 888-55-22") == [message]


def test_text_and_content_in_one_request_is_refused(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    answer = send(wazzup, text_message(channel, contentUri="https://files.example/a.pdf"))
    assert_error(answer, "MESSAGE_ONLY_TEXT_OR_CONTENT")
    assert wazzup.outbox == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": None}, "text"),
        ({"text": ""}, "text"),
        ({"text": 5}, "text"),
        ({"chatId": "+79998885522"}, "chatId"),
        ({"chatId": "7999888552x"}, "chatId"),
        ({"chatId": 79998885522}, "chatId"),
        ({"chatType": "tiktok"}, "chatType"),
        ({"chatType": None}, "chatType"),
        ({"channelId": "not-a-uuid"}, "channelId"),
        ({"channelId": None}, "channelId"),
        ({"crmMessageID": "typo"}, "crmMessageID"),
        ({"text": None, "contentUri": "ftp://files.example/a.pdf"}, "contentUri"),
        ({"crmMessageId": ""}, "crmMessageId"),
    ],
)
def test_invalid_message_data_names_the_field(
    rsps: responses.RequestsMock,
    wazzup: WazzupFake,
    channel: FakeChannel,
    change: dict[str, Any],
    field: str,
) -> None:
    body = {k: v for k, v in {**text_message(channel), **change}.items() if v is not None}
    error = assert_error(send(wazzup, body), "INVALID_MESSAGE_DATA")
    assert field in error["data"]["fields"], "data.fields lists the field names"
    assert all(isinstance(name, str) for name in error["data"]["fields"])
    assert wazzup.outbox == []


def test_every_documented_field_is_accepted(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    """The documentation's own example fields and the rest of its list (templates, buttons, ...)."""
    documented = {
        "refMessageId": "61e5a375-1760-452f-ad73-5318844ffc4f",
        "crmUserId": "string-user-id",
        "crmMessageId": "string-crm-message-id",
        "username": "durov",
        "phone": "79998885522",
        "clearUnanswered": False,
        "templateId": "8f2c1b7e-0d4a-4d55-9a61-3c7e5b2a9f10",
        "templateValues": ["Анна"],
        "buttonsObject": {"buttons": [{"text": "Да", "type": "text"}]},
    }
    assert send(wazzup, text_message(channel, **documented)).status_code == 201
    template_only = {k: v for k, v in text_message(channel).items() if k != "text"}
    template_only |= {"templateId": "8f2c1b7e-0d4a-4d55-9a61-3c7e5b2a9f10", "templateValues": ["Анна"]}
    assert send(wazzup, template_only).status_code == 201, "a WABA template needs no text"
    assert_error(send(wazzup, {k: v for k, v in text_message(channel).items() if k != "text"}), "INVALID_MESSAGE_DATA")


def test_chat_type_must_fit_the_channel_and_waba_is_whatsapp(rsps: responses.RequestsMock, wazzup: WazzupFake) -> None:
    telegram = wazzup.add_channel("79370000005", transport="telegram")
    assert_error(send(wazzup, text_message(telegram)), "WRONG_TRANSPORT")
    waba = wazzup.add_channel("79370000006", transport="wapi")
    assert send(wazzup, text_message(waba)).status_code == 201
    assert_error(send(wazzup, text_message(waba, text="я" * 4097)), "MESSAGE_TEXT_TOO_LONG")


def test_a_file_link_that_redirects_is_refused(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    target = peer.add_file("/real.pdf", b"%PDF" * 10)
    moved = peer.add_file("/moved.pdf", b"", status=302)
    peer.redirects["/moved.pdf"] = target
    body = text_message(channel, text=None, contentUri=moved)
    assert_error(send(wazzup, {k: v for k, v in body.items() if v is not None}), "MESSAGE_DOWNLOAD_CONTENT_ERROR")
    assert wazzup.outbox == []


def test_a_body_that_is_not_a_json_object_is_invalid(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    for raw in (b"not json", b"[1, 2]"):
        answer = requests.post(f"{wazzup.base_url}/message", data=raw, headers=AUTH, timeout=5)
        assert_error(answer, "INVALID_MESSAGE_DATA")


def test_text_up_to_10000_characters_passes_and_longer_is_refused(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    assert send(wazzup, text_message(channel, text="я" * 10_000)).status_code == 201
    assert_error(send(wazzup, text_message(channel, text="я" * 10_001)), "MESSAGE_TEXT_TOO_LONG")
    assert len(wazzup.outbox) == 1


def test_an_unknown_channel_is_not_found(rsps: responses.RequestsMock, wazzup: WazzupFake) -> None:
    ghost = FakeChannel(id=str(uuid.uuid4()), phone="79370000001", name="x", state="active")
    assert_error(send(wazzup, text_message(ghost)), "CHANNEL_NOT_FOUND")


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ("blocked", "CHANNEL_BLOCKED"),
        ("disabled", "CHANNEL_BLOCKED"),
        ("rejected", "CHANNEL_WAPI_REJECTED"),
        ("notEnoughMoney", "CHANNEL_NO_MONEY"),
        ("qridle", "MESSAGE_CHANNEL_UNAVAILABLE"),
        ("phoneUnavailable", "MESSAGE_CHANNEL_UNAVAILABLE"),
        ("init", "MESSAGE_CHANNEL_UNAVAILABLE"),
    ],
)
def test_only_an_active_channel_sends(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, state: str, code: str
) -> None:
    wazzup.set_channel_state("+7 937 000-00-01", state)
    assert_error(send(wazzup, text_message(channel)), code)
    wazzup.set_channel_state("79370000001", "active")
    assert send(wazzup, text_message(channel)).status_code == 201


def test_a_number_without_whatsapp_is_a_bad_contact(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    wazzup.mark_not_on_whatsapp("+7(999)888-55-22")
    assert_error(send(wazzup, text_message(channel)), "BAD_CONTACT")
    assert wazzup.outbox == []


def test_a_repeated_crm_message_id_is_refused_for_60_seconds_then_forgotten(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    with frozen("2025-03-01 09:00:00") as clock:
        assert send(wazzup, text_message(channel, crmMessageId="deal-1")).status_code == 201
        clock.tick(59)
        assert_error(send(wazzup, text_message(channel, crmMessageId="deal-1")), "REPEATED_CRM_MESSAGE_ID")
        assert send(wazzup, text_message(channel, crmMessageId="deal-2")).status_code == 201
        clock.tick(1)
        assert send(wazzup, text_message(channel, crmMessageId="deal-1")).status_code == 201
    assert [m.idempotency_key for m in wazzup.outbox] == ["deal-1", "deal-2", "deal-1"]


def test_each_crm_message_id_leaves_the_window_by_its_own_age_when_the_clock_went_back(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    with frozen("2025-03-01 09:10:00") as clock:
        assert send(wazzup, text_message(channel, crmMessageId="late")).status_code == 201
        clock.move_to("2025-03-01 09:00:00")  # a scenario clock set back: the next id is older than the first
        assert send(wazzup, text_message(channel, crmMessageId="early")).status_code == 201
        clock.move_to("2025-03-01 09:10:30")
        assert send(wazzup, text_message(channel, crmMessageId="early")).status_code == 201
        assert_error(send(wazzup, text_message(channel, crmMessageId="late")), "REPEATED_CRM_MESSAGE_ID")
    assert [m.idempotency_key for m in wazzup.outbox] == ["late", "early", "early"]


def test_a_refused_send_does_not_consume_its_crm_message_id(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel
) -> None:
    wazzup.set_channel_state("79370000001", "blocked")
    assert_error(send(wazzup, text_message(channel, crmMessageId="deal-1")), "CHANNEL_BLOCKED")
    wazzup.set_channel_state("79370000001", "active")
    assert send(wazzup, text_message(channel, crmMessageId="deal-1")).status_code == 201


def test_content_is_downloaded_and_recorded(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/files/%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf", b"%PDF" * 100)
    body = {k: v for k, v in text_message(channel, contentUri=url).items() if k != "text"}
    assert send(wazzup, body).status_code == 201
    [message] = wazzup.outbox
    assert message.text is None
    assert message.attachments == [
        {"url": url, "filename": "договор.pdf", "content_type": "application/pdf", "size": 400}
    ]
    assert [r.path for r in peer.received if r.method == "GET"] == [
        "/files/%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf"
    ]


def test_content_that_cannot_be_downloaded_is_refused(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    missing = peer.add_file("/gone.pdf", b"", status=404)
    body = {k: v for k, v in text_message(channel, contentUri=missing).items() if k != "text"}
    assert_error(send(wazzup, body), "MESSAGE_DOWNLOAD_CONTENT_ERROR")
    body["contentUri"] = "https://unregistered.example/a.pdf"  # refused by the responses mock
    assert_error(send(wazzup, body), "MESSAGE_DOWNLOAD_CONTENT_ERROR")
    assert wazzup.outbox == []


def test_content_over_10_mb_is_refused(
    rsps: responses.RequestsMock, wazzup: WazzupFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    exact = peer.add_file("/exact.bin", b"x" * (10 * 1024 * 1024), "application/octet-stream")
    bigger = peer.add_file("/bigger.bin", b"x" * (10 * 1024 * 1024 + 1), "application/octet-stream")
    body = {k: v for k, v in text_message(channel).items() if k != "text"}
    assert send(wazzup, body | {"contentUri": exact}).status_code == 201
    assert_error(send(wazzup, body | {"contentUri": bigger}), "MESSAGES_CONTENT_SIZE_EXCEEDED")


def test_more_than_500_requests_in_5_seconds_are_rate_limited(wazzup: WazzupFake) -> None:
    request = FakeRequest("GET", "/channels", headers=AUTH)
    with frozen("2025-03-01 09:00:00") as clock:
        assert [wazzup.handle(request).status for _ in range(500)] == [200] * 500
        limited = wazzup.handle(request)
        assert limited.status == 429
        assert limited.json["error"] == "TOO_MANY_REQUESTS"
        assert limited.headers["Retry-After"] == "5"
        clock.tick(4.9)
        assert wazzup.handle(request).status == 429
        clock.tick(0.1)
        assert wazzup.handle(request).status == 200


def test_unknown_routes_and_methods(rsps: responses.RequestsMock, wazzup: WazzupFake) -> None:
    assert_error(requests.get(f"{wazzup.base_url}/messages", headers=AUTH, timeout=5), "NOT_FOUND", 404)
    assert_error(requests.get(f"{wazzup.base_url}/message", headers=AUTH, timeout=5), "METHOD_NOT_ALLOWED", 405)


def test_channel_states_outside_the_vocabulary_are_refused(wazzup: WazzupFake) -> None:
    with pytest.raises(ValueError, match="unknown channel state"):
        wazzup.add_channel("79370000001", state="inactive")
    wazzup.add_channel("79370000001")
    with pytest.raises(ValueError, match="already exists"):
        wazzup.add_channel("+7 937 000 00 01")
    with pytest.raises(ValueError, match="not a phone"):
        wazzup.add_channel("12345")
