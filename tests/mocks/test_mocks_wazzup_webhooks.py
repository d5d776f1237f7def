"""Wazzup fake: the webhook subscription (PATCH/GET /webhooks) and status webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses

from harness.clock import frozen
from mocks import ProviderFakes, StatusOptions, WazzupFake

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer

KEY = "w-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


def assert_error(response: requests.Response, code: str) -> None:
    assert response.status_code == 400, response.text
    assert (response.json()["status"], response.json()["error"]) == (400, code)


@pytest.fixture
def wazzup(fakes: ProviderFakes) -> WazzupFake:
    fakes.wazzup.add_api_key(KEY)
    return fakes.of(WazzupFake)


def subscribe(wazzup: WazzupFake, body: Any) -> requests.Response:
    return requests.patch(f"{wazzup.base_url}/webhooks", json=body, headers=AUTH, timeout=5)


def test_subscribing_posts_a_test_webhook_and_saves_the_subscription(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    uri = f"{peer.url}/api/webhooks/wazzup/s3cr3t"
    answer = subscribe(wazzup, {"webhooksUri": uri, "subscriptions": {"messagesAndStatuses": True}})
    assert answer.status_code == 200
    assert answer.json() == {"ok": True}
    [test] = peer.posts("/api/webhooks/wazzup/s3cr3t")
    assert test.json == {"test": True}
    assert "Authorization" not in test.headers, "the fake knows the CRM only by the address it registered"
    assert wazzup.webhook_url == uri
    current = requests.get(f"{wazzup.base_url}/webhooks", headers=AUTH, timeout=5).json()
    assert current["webhooksUri"] == uri
    assert current["subscriptions"]["messagesAndStatuses"] is True
    assert "channelsUpdates" not in current["subscriptions"], "only what was subscribed is reported"


def test_a_failed_test_webhook_fails_the_subscription(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    peer.status = 500
    body = {"webhooksUri": f"{peer.url}/api/webhooks/wazzup", "subscriptions": {"messagesAndStatuses": True}}
    assert_error(subscribe(wazzup, body), "testPostNotPassed")
    assert wazzup.webhook_url is None
    body["webhooksUri"] = "https://unreachable.example/hook"
    assert_error(subscribe(wazzup, body), "testPostNotPassed")
    assert wazzup.webhook_url is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"webhooksUri": "https://crm.example/" + "a" * 181, "subscriptions": {"messagesAndStatuses": True}},
            "uriNotValid",
        ),
        ({"webhooksUri": "crm.example/hook", "subscriptions": {"messagesAndStatuses": True}}, "uriNotValid"),
        ({"webhooksUri": "https://crm.example/hook", "subscriptions": "all"}, "INVALID_WEBHOOKS_DATA"),
        ({"webhooksUri": "https://crm.example/hook"}, "INVALID_WEBHOOKS_DATA"),
        ({"webhooksUri": "https://crm.example/hook", "subscriptions": {"statuses": True}}, "INVALID_WEBHOOKS_DATA"),
        (
            {"webhooksUri": "https://crm.example/hook", "subscriptions": {"messagesAndStatuses": "yes"}},
            "INVALID_WEBHOOKS_DATA",
        ),
    ],
)
def test_an_invalid_subscription_is_refused_without_a_test_post(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer, body: dict[str, Any], code: str
) -> None:
    assert_error(subscribe(wazzup, body), code)
    assert peer.received == []


def test_a_200_character_webhook_uri_is_accepted(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    uri = f"{peer.url}/"
    uri += "a" * (200 - len(uri))
    assert subscribe(wazzup, {"webhooksUri": uri, "subscriptions": {}}).status_code == 200
    [test] = peer.posts()
    assert "Authorization" not in test.headers  # no crmKey configured, no bearer


def test_status_webhooks_go_to_the_registered_address_without_authorization(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    subscribe(wazzup, {"webhooksUri": f"{peer.url}/hook/s3cr3t", "subscriptions": {"messagesAndStatuses": True}})
    with frozen("2025-03-01 09:00:00.250"):
        assert wazzup.emit_status("m-1", "delivered") == 200
        peer.status = 401
        assert wazzup.emit_status("m-1", "error", error={"error": "BAD_CONTACT", "description": "x"}) == 401
    _, delivered, failed = peer.posts()
    assert delivered.path == "/hook/s3cr3t"
    assert delivered.json == {
        "statuses": [{"messageId": "m-1", "timestamp": "2025-03-01T09:00:00.250Z", "status": "delivered"}]
    }
    assert "Authorization" not in delivered.headers, "an API-key integration's webhooks carry no Authorization"
    assert failed.json["statuses"][0]["error"] == {"error": "BAD_CONTACT", "description": "x"}


def test_forged_and_unsigned_status_webhooks_miss_the_secret(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    subscribe(wazzup, {"webhooksUri": f"{peer.url}/hook/s3cr3t", "subscriptions": {"messagesAndStatuses": True}})
    wazzup.emit_status("m-1", "read", options=StatusOptions(forged=True))
    wazzup.emit_status("m-1", "read", options=StatusOptions(unsigned=True))
    wazzup.emit_status("m-1", "error")
    _, forged, unsigned, failed = peer.posts()
    assert forged.path.startswith("/hook/") and forged.path != "/hook/s3cr3t"
    assert unsigned.path == "/hook"
    assert failed.json["statuses"][0]["error"]["error"] == "UNKNOWN_ERROR"


def test_status_emission_refuses_what_wazzup_would_not_send(
    rsps: responses.RequestsMock, wazzup: WazzupFake, peer: LocalPeer
) -> None:
    with pytest.raises(RuntimeError, match="webhook address"):
        wazzup.emit_status("m-1", "delivered")
    with pytest.raises(ValueError, match="failed"):
        wazzup.emit_status("m-1", "failed")
    subscribe(wazzup, {"webhooksUri": f"{peer.url}/hook", "subscriptions": {"messagesAndStatuses": False}})
    with pytest.raises(RuntimeError, match="messagesAndStatuses"):
        wazzup.emit_status("m-1", "delivered")
