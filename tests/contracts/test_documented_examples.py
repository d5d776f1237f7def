"""The examples the contracts quote from the documentation, replayed against the fakes with the documented answers."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
import yaml

from mocks import ProviderFakes
from mocks.contract import CONTRACTS_DIR
from mocks.responses_mount import mount
from tests.mocks.local_peer import LocalPeer


def examples(provider: str, path: str, method: str) -> dict[str, Any]:
    document = yaml.safe_load((CONTRACTS_DIR / f"{provider}.yaml").read_text(encoding="utf-8"))
    content = document["paths"][path][method]["requestBody"]["content"]["application/json"]
    return {name: item["value"] for name, item in content["examples"].items()}


@pytest.fixture
def fakes(peer: LocalPeer) -> Any:
    found = ProviderFakes()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mount(rsps, found)
        rsps.add_passthru(peer.url)
        yield found


def test_wazzups_send_example_is_accepted_201(fakes: ProviderFakes) -> None:
    body = examples("wazzup", "/message", "post")["text"]
    fakes.wazzup.add_api_key("k")
    fakes.wazzup.add_channel("79370000000", channel_id=body["channelId"])
    answer = requests.post(
        f"{fakes.wazzup.base_url}/message", json=body, headers={"Authorization": "Bearer k"}, timeout=5
    )
    assert answer.status_code == 201 and set(answer.json()) == {"messageId", "chatId"}
    again = requests.post(
        f"{fakes.wazzup.base_url}/message", json=body, headers={"Authorization": "Bearer k"}, timeout=5
    )
    assert (again.status_code, again.json()["error"]) == (400, "REPEATED_CRM_MESSAGE_ID")


def test_wazzups_webhook_example_subscribes_after_a_test_post(fakes: ProviderFakes, peer: LocalPeer) -> None:
    body = examples("wazzup", "/webhooks", "patch")["documented"] | {"webhooksUri": f"{peer.url}/webhooks"}
    fakes.wazzup.add_api_key("k")
    answer = requests.patch(
        f"{fakes.wazzup.base_url}/webhooks", json=body, headers={"Authorization": "Bearer k"}, timeout=5
    )
    assert (answer.status_code, answer.json()) == (200, {"ok": True})
    assert [r.json for r in peer.posts("/webhooks")] == [{"test": True}]


def test_the_public_i2crm_clients_request_is_accepted(fakes: ProviderFakes, peer: LocalPeer) -> None:
    body = examples("i2crm", "/target/feedback", "post")["public_client"]
    channel = fakes.i2crm.add_channel(body["source"])
    body["url"] = peer.add_file("/a.jpg", b"\xff\xd8" * 10, "image/jpeg")
    answer = requests.post(f"{fakes.i2crm.base_url}/target/feedback", params={"key": channel.key}, json=body, timeout=5)
    data = answer.json()
    assert answer.status_code == 200 and data["error"] is False
    assert isinstance(data["data"]["id"], int) and data["data"]["queued"] is False


def test_defaults_send_example_is_accepted_202(fakes: ProviderFakes) -> None:
    body = examples("default", "/messages", "post")["text"]
    fakes.default.add_api_key("k")
    fakes.default.add_channel("79370000003", channel_id=body["channel_id"])
    headers = {"Authorization": "Bearer k", "Idempotency-Key": "6b1f2a0e-3f5c-4c8e-9a57-0d6e3f1b2c44"}
    answer = requests.post(f"{fakes.default.base_url}/messages", json=body, headers=headers, timeout=5)
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
