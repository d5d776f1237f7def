"""Every fault kind through the responses mount, as the CRM's ``requests`` calls experience it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
import responses
from urllib3 import exceptions as urllib3_errors

from mocks import FakeChannel, ProviderFakes

W_AUTH = {"Authorization": "Bearer w"}
D_AUTH = {"Authorization": "Bearer d"}


@pytest.fixture
def channels(fakes: ProviderFakes) -> dict[str, FakeChannel]:
    fakes.wazzup.add_api_key("w")
    fakes.i2crm.add_api_key("i")
    fakes.default.add_api_key("d")
    return {
        "wazzup": fakes.wazzup.add_channel("79370000001"),
        "i2crm": fakes.i2crm.add_channel("79370000002"),
        "default": fakes.default.add_channel("79370000003"),
    }


def wazzup_send(fakes: ProviderFakes, channel: FakeChannel, timeout: Any = 5, **extra: Any) -> requests.Response:
    body = {"channelId": channel.id, "chatType": "whatsapp", "chatId": "79998885522", "text": "Привет", **extra}
    return requests.post(f"{fakes.wazzup.base_url}/message", json=body, headers=W_AUTH, timeout=timeout)


def i2crm_send(fakes: ProviderFakes, channel: FakeChannel) -> requests.Response:
    body = {"domain": "whatsapp", "source": channel.phone, "client": "79998885522", "text": "Привет"}
    url = f"{fakes.i2crm.base_url}/target/feedback"
    return requests.post(url, params={"key": channel.key}, json=body, timeout=5)


def default_send(fakes: ProviderFakes, channel: FakeChannel, key: str = "idem-1") -> requests.Response:
    body = {"channel_id": channel.id, "to": "79998885522", "text": "Привет"}
    headers = D_AUTH | {"Idempotency-Key": str(uuid.uuid5(uuid.NAMESPACE_URL, key))}
    return requests.post(f"{fakes.default.base_url}/messages", json=body, headers=headers, timeout=5)


def test_timeout_never_reaches_the_provider(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("timeout")
    with pytest.raises(requests.ConnectTimeout) as caught:
        wazzup_send(fakes, channels["wazzup"], timeout=(2, 7))
    assert isinstance(caught.value.args[0], urllib3_errors.MaxRetryError)
    assert "connect timeout=2" in str(caught.value)
    assert fakes.wazzup.outbox == []
    entry = fakes.wazzup.journal.last()
    assert entry is not None
    assert (entry.fault, entry.status, entry.outcome, entry.path) == ("timeout", None, "connect_timeout", "/message")
    assert wazzup_send(fakes, channels["wazzup"]).status_code == 201  # one-shot


def test_lost_answer_is_accepted_then_a_read_timeout(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("lost_answer")
    with pytest.raises(requests.ReadTimeout) as caught:
        wazzup_send(fakes, channels["wazzup"], crmMessageId="m-1")
    assert isinstance(caught.value.args[0], urllib3_errors.ReadTimeoutError)
    assert len(fakes.wazzup.outbox) == 1
    entry = fakes.wazzup.journal.last()
    assert entry is not None and (entry.fault, entry.status, entry.outcome) == ("lost_answer", 201, "read_timeout")


@pytest.mark.parametrize("provider", ["wazzup", "i2crm", "default"])
def test_malformed_answer_is_processed_and_cut_in_half(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel], provider: str
) -> None:
    fakes.get(provider).fail_next("malformed")
    send = {"wazzup": wazzup_send, "i2crm": i2crm_send, "default": default_send}[provider]
    answer = send(fakes, channels[provider])
    assert 200 <= answer.status_code < 300
    with pytest.raises(ValueError):
        answer.json()
    assert len(fakes.get(provider).outbox) == 1, "processed: the message was accepted"
    assert send(fakes, channels[provider]).json(), "one-shot"


def test_a_retry_after_a_lost_answer_per_provider(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    for fake in fakes.all():
        fake.fail_next("lost_answer")
    with pytest.raises(requests.ReadTimeout):
        wazzup_send(fakes, channels["wazzup"], crmMessageId="m-1")
    retry = wazzup_send(fakes, channels["wazzup"], crmMessageId="m-1")
    assert (retry.status_code, retry.json()["error"]) == (400, "REPEATED_CRM_MESSAGE_ID")
    assert len(fakes.wazzup.outbox) == 1

    with pytest.raises(requests.ReadTimeout):
        default_send(fakes, channels["default"])
    replay = default_send(fakes, channels["default"])
    assert replay.status_code == 202
    assert replay.json()["id"] == fakes.default.outbox[0].id
    assert len(fakes.default.outbox) == 1

    with pytest.raises(requests.ReadTimeout):
        i2crm_send(fakes, channels["i2crm"])
    assert i2crm_send(fakes, channels["i2crm"]).json()["error"] is False
    assert len(fakes.i2crm.outbox) == 2  # no idempotency: a blind retry is a duplicate


def test_connection_refused_provably_never_left(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.i2crm.fail_next("connection_refused")
    with pytest.raises(requests.ConnectionError) as caught:
        i2crm_send(fakes, channels["i2crm"])
    assert not isinstance(caught.value, requests.Timeout)
    inner = caught.value.args[0]
    assert isinstance(inner, urllib3_errors.MaxRetryError) and isinstance(
        inner.reason, urllib3_errors.NewConnectionError
    )
    assert "Connection refused" in str(caught.value)
    assert fakes.i2crm.outbox == []
    assert fakes.i2crm.journal.last().outcome == "connection_refused"  # type: ignore[union-attr]


def test_connection_reset_is_a_protocol_error(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.default.fail_next("connection_reset")
    with pytest.raises(requests.ConnectionError) as caught:
        default_send(fakes, channels["default"])
    inner = caught.value.args[0]
    assert isinstance(inner, urllib3_errors.ProtocolError)
    assert inner.args[0] == "Connection aborted."
    assert isinstance(inner.args[1], ConnectionResetError)
    assert fakes.default.outbox == []
    assert caught.value.request is not None


def test_status_fault_answers_the_given_body_and_headers(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("status", status=400, body={"error": "CHANNEL_LIMIT_EXCEEDED"}, headers={"X-Trace": "1"})
    answer = wazzup_send(fakes, channels["wazzup"])
    assert (answer.status_code, answer.json(), answer.headers["X-Trace"]) == (
        400,
        {"error": "CHANNEL_LIMIT_EXCEEDED"},
        "1",
    )
    assert fakes.wazzup.outbox == []


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("wazzup", lambda body: body["error"] == "INTERNAL_SERVER_ERROR" and body["status"] == 503),
        ("i2crm", lambda body: body == {"error": "Внутренняя ошибка сервера", "data": {"status": 503}}),
        ("default", lambda body: body["code"] == "SERVICE_UNAVAILABLE" and body["request_id"].startswith("req_")),
    ],
)
def test_status_fault_without_a_body_uses_the_provider_format(
    rsps: responses.RequestsMock,
    fakes: ProviderFakes,
    channels: dict[str, FakeChannel],
    provider: str,
    expected: Any,
) -> None:
    fakes.get(provider).fail_next("status", status=503)
    send = {"wazzup": wazzup_send, "i2crm": i2crm_send, "default": default_send}[provider]
    answer = send(fakes, channels[provider])
    assert answer.status_code == 503
    assert expected(answer.json())


@pytest.mark.parametrize(
    ("provider", "check"),
    [
        ("wazzup", lambda body: body["error"] == "TOO_MANY_REQUESTS"),
        ("i2crm", lambda body: body["data"]["status"] == 429 and isinstance(body["error"], str)),
        ("default", lambda body: body["code"] == "RATE_LIMITED"),
    ],
)
def test_rate_limit_fault_is_a_429_with_retry_after(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel], provider: str, check: Any
) -> None:
    """i2crm answers HTTP 200 always: its 429 is in the envelope."""
    fakes.get(provider).fail_next("rate_limit", retry_after=7)
    send = {"wazzup": wazzup_send, "i2crm": i2crm_send, "default": default_send}[provider]
    answer = send(fakes, channels[provider])
    assert answer.status_code == (200 if provider == "i2crm" else 429)
    assert answer.headers["Retry-After"] == "7"
    assert check(answer.json())
    assert fakes.get(provider).outbox == []


def test_slow_beyond_the_read_timeout_is_processed_then_times_out(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("slow", seconds=10, times=3)
    with pytest.raises(requests.ReadTimeout):
        wazzup_send(fakes, channels["wazzup"], timeout=10)
    with pytest.raises(requests.ReadTimeout):
        wazzup_send(fakes, channels["wazzup"], timeout=(1, 5))
    assert wazzup_send(fakes, channels["wazzup"], timeout=10.5).status_code == 201
    assert len(fakes.wazzup.outbox) == 3
    assert [e.fault for e in fakes.wazzup.journal] == ["slow"] * 3


def test_slow_without_a_client_timeout_answers(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("slow", seconds=600)
    assert wazzup_send(fakes, channels["wazzup"], timeout=None).status_code == 201


def test_faults_can_target_a_method_and_path(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.wazzup.fail_next("status", status=500, method="POST", path="/message")
    assert requests.get(f"{fakes.wazzup.base_url}/channels", headers=W_AUTH, timeout=5).status_code == 200
    assert wazzup_send(fakes, channels["wazzup"]).status_code == 500
    assert wazzup_send(fakes, channels["wazzup"]).status_code == 201


def test_times_and_persistent_faults(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.default.fail_next("status", times=2, status=502)
    assert [default_send(fakes, channels["default"], key=str(n)).status_code for n in range(3)] == [502, 502, 202]
    fakes.default.fail_always("status", status=500)
    assert {default_send(fakes, channels["default"], key=f"x{n}").status_code for n in range(5)} == {500}
    fakes.default.clear_faults()
    assert default_send(fakes, channels["default"], key="y").status_code == 202


def test_faults_apply_in_order_and_only_to_their_provider(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    fakes.i2crm.fail_next("status", status=500)
    fakes.i2crm.fail_next("rate_limit")
    assert wazzup_send(fakes, channels["wazzup"]).status_code == 201
    answers = [i2crm_send(fakes, channels["i2crm"]) for _ in range(3)]
    assert [a.status_code for a in answers] == [500, 200, 200]
    assert [a.json()["data"].get("status") for a in answers[1:]] == [429, None]


def test_the_journal_records_rejected_and_faulted_requests_in_order(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    requests.get(f"{fakes.wazzup.base_url}/channels", timeout=5)
    fakes.wazzup.fail_next("connection_reset")
    with pytest.raises(requests.ConnectionError):
        wazzup_send(fakes, channels["wazzup"])
    wazzup_send(fakes, channels["wazzup"])
    journal = fakes.wazzup.journal
    assert [(e.method, e.path, e.status, e.fault) for e in journal] == [
        ("GET", "/channels", 401, None),
        ("POST", "/message", None, "connection_reset"),
        ("POST", "/message", 201, None),
    ]
    last = journal.last(method="POST")
    assert last is not None
    assert last.json["text"] == "Привет"
    assert last.header("authorization") == "Bearer w"
    assert journal.count(path="/message") == 2


def test_the_mount_covers_every_method_and_leaves_other_hosts_alone(
    rsps: responses.RequestsMock, fakes: ProviderFakes, channels: dict[str, FakeChannel]
) -> None:
    answer = requests.delete(f"{fakes.default.base_url}/messages", headers=D_AUTH, timeout=5)
    assert answer.json()["code"] == "METHOD_NOT_ALLOWED"
    answer = requests.get(f"{fakes.wazzup.base_url}/channels?x=1", headers=W_AUTH, timeout=5)
    assert answer.status_code == 200
    assert fakes.wazzup.journal.last().query == {"x": "1"}  # type: ignore[union-attr]
    with pytest.raises(requests.ConnectionError, match="doesn't match"):
        requests.get("https://api.wazzup24.com/v30/channels", timeout=5)
