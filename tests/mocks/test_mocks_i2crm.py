"""i2crm fake: always-200 envelopes, targets and their sender accounts, no idempotency, X-Auth-Token webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses

from mocks import FakeChannel, I2crmFake, ProviderFakes, StatusOptions

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

TOKEN = "i-token"
CLIENT = "79998885522"


@pytest.fixture
def i2crm(fakes: ProviderFakes) -> I2crmFake:
    fakes.i2crm.add_api_key(TOKEN)
    return fakes.of(I2crmFake)


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


def test_targets_list_keys_and_their_senders_come_from_target_sources(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    targets = requests.get(f"{i2crm.base_url}/targets", params={"token": TOKEN}, timeout=5).json()["data"]["list"]
    assert [(t["id"], t["key"], t["active"]) for t in targets] == [(1, channel.key, True)]
    assert targets[0]["name"] != channel.name, "a target's name is not its account's: never pair them by name"
    params = {"verbose": "true", "key": channel.key}
    senders = requests.get(f"{i2crm.base_url}/target/sources", params=params, timeout=5).json()
    assert senders["error"] is False
    assert [(a["account_id"], a["name"]) for a in senders["data"]["whatsapp"]] == [("79370000002", "Продажи")]
    for token in ({}, {"token": "wrong"}, {"key": channel.key}):
        assert_failure(requests.get(f"{i2crm.base_url}/targets", params=token, timeout=5), 401)


def test_waba_accounts_are_listed_under_their_kind(rsps: responses.RequestsMock, i2crm: I2crmFake) -> None:
    waba = i2crm.add_channel("+7(937)000-00-07", transport="waba")
    params = {"verbose": "true", "key": waba.key}
    senders = requests.get(f"{i2crm.base_url}/target/sources", params=params, timeout=5).json()["data"]
    assert list(senders) == ["waba"]
    assert send(i2crm, waba.key, message(domain="waba", source="79370000007")).json()["error"] is False


def test_a_send_answers_the_id_and_the_messenger_ids(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel
) -> None:
    answer = send(i2crm, channel.key, message()).json()
    assert answer["error"] is False and answer["data"]["queued"] is False
    [external] = answer["data"]["external_ids"]
    assert external != str(answer["data"]["id"]) and external == i2crm.external_id_of(str(answer["data"]["id"]))
    i2crm.queue_sends = True
    queued = send(i2crm, channel.key, message()).json()["data"]
    assert (queued["queued"], queued["external_ids"]) == (True, [])
    assert len(i2crm.outbox) == 2, "no idempotency: every POST is a message"


@pytest.mark.parametrize("key", [None, "", "wrong", TOKEN])
def test_a_wrong_key_is_kanal_ne_sushchestvuet_with_http_200(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, key: str | None
) -> None:
    assert assert_failure(send(i2crm, key, message()), 404)["error"] == "Канал не существует"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"domain": "telegram"}, "domain"),
        ({"source": "79370000009"}, "source"),
        ({"client": "+7 999"}, "client"),
        ({"text": None}, "text"),
        ({"files": ["https://x/a.pdf"]}, "files"),
        ({"url": "ftp://x"}, "url"),
        ({"client": None}, "client"),
    ],
)
def test_validation_names_the_field(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, change: dict[str, Any], field: str
) -> None:
    body = assert_failure(send(i2crm, channel.key, message(**change)), 400)
    assert field in body["data"]["validation"], body
    assert i2crm.outbox == []


def test_a_file_is_url_downloaded_and_may_travel_with_text(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    url = peer.add_file("/a.jpg", b"\xff\xd8" * 100, "image/jpeg")
    assert send(i2crm, channel.key, message(url=url)).json()["error"] is False
    [accepted] = i2crm.outbox
    assert (accepted.text, accepted.attachments[0]["size"]) == ("Добрый день", 200)
    missing = peer.add_file("/gone.jpg", b"", status=404)
    body = assert_failure(send(i2crm, channel.key, message(url=missing)), 400)
    assert "url" in body["data"]["validation"]


def test_refusals_in_the_envelope(rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel) -> None:
    i2crm.mark_not_on_whatsapp(CLIENT)
    assert "client" in assert_failure(send(i2crm, channel.key, message()), 400)["data"]["validation"]
    i2crm.set_channel_state(channel.phone, "inactive")
    assert assert_failure(send(i2crm, channel.key, message()), 403)["error"] == "Канал неактивен"
    i2crm.fail_next("rate_limit", retry_after=30)
    limited = send(i2crm, channel.key, message())
    assert limited.headers["Retry-After"] == "30"
    assert_failure(limited, 429)
    assert_failure(requests.get(f"{i2crm.base_url}/nope", timeout=5), 404)


def test_status_webhooks_carry_the_channel_key_and_the_external_id(
    rsps: responses.RequestsMock, i2crm: I2crmFake, channel: FakeChannel, peer: LocalPeer
) -> None:
    i2crm.webhook_url = f"{peer.url}/hook"
    data = send(i2crm, channel.key, message()).json()["data"]
    assert i2crm.emit_status(str(data["id"]), "delivered") == 200
    [received] = peer.posts("/hook")
    assert received.headers["X-Auth-Token"] == channel.key
    assert received.json["external_id"] == data["external_ids"][0] != str(data["id"])
    assert (received.json["type"], received.json["status"], received.json["client_id"]) == (
        "status",
        "delivered",
        CLIENT,
    )
    i2crm.emit_status(str(data["id"]), "read", options=StatusOptions(forged=True))
    assert peer.posts("/hook")[-1].headers["X-Auth-Token"] != channel.key
    assert i2crm.emit_edit(str(data["id"])) == 200
    assert peer.received[-1].method == "PATCH"
    with pytest.raises(ValueError, match="unknown status"):
        i2crm.emit_status(str(data["id"]), "failed")
