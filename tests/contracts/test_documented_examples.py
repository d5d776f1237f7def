"""The examples the contracts quote from the documentation, replayed against the fakes with the documented answers.

Every request example of every operation is replayed (``test_every_documented_request_example_…``): a new
example in a contract is replayed without anyone naming it here. The named tests below add what one
example alone shows (a repeat, the test POST of a subscription).
"""

from __future__ import annotations

import copy
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


def _documented_requests() -> list[Any]:
    """(provider, path, method, body, documented 2xx codes) for every request example in contracts/."""
    found = []
    for contract in sorted(CONTRACTS_DIR.glob("*.yaml")):
        document = yaml.safe_load(contract.read_text(encoding="utf-8"))
        for path, operations in document.get("paths", {}).items():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                success = sorted(int(code) for code in operation["responses"] if str(code).startswith("2"))
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    named = dict(media.get("examples") or {})
                    if "example" in media:
                        named["example"] = {"value": media["example"]}
                    for name, item in named.items():
                        label = f"{contract.stem} {method.upper()} {path} {name}"
                        found.append(pytest.param(contract.stem, path, method, item["value"], success, id=label))
    return found


DOCUMENTED = _documented_requests()
URL_FIELDS = {"webhooksUri", "url", "contentUri"}  # addresses the fake calls: pointed at the local peer


def test_the_contracts_document_request_examples_for_every_provider() -> None:
    assert {p.values[0] for p in DOCUMENTED} == {"wazzup", "i2crm", "default"}


@pytest.mark.parametrize(("provider", "path", "method", "example", "success"), DOCUMENTED)
def test_every_documented_request_example_is_answered_with_a_documented_2xx(
    fakes: ProviderFakes, peer: LocalPeer, provider: str, path: str, method: str, example: Any, success: list[int]
) -> None:
    """The account the example needs is arranged (its key, the channel it names); addresses it gives are
    replaced by the local peer's (a file to download, a webhook receiver that answers 200)."""
    body = copy.deepcopy(example)
    for field in URL_FIELDS & set(body):
        body[field] = peer.add_file(f"/{provider}/{field}", b"\xff\xd8" * 10, "image/jpeg")
    fake = fakes.get(provider)
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    if provider == "i2crm":
        params["key"] = fake.add_channel(body.get("source", "79370000002")).key or ""
    else:
        fake.add_api_key("k")
        headers["Authorization"] = "Bearer k"
        channel = body.get("channelId") or body.get("channel_id")
        if channel:
            fake.add_channel("79370000000", channel_id=channel)
        if provider == "default" and (method, path) == ("post", "/messages"):
            headers["Idempotency-Key"] = "6b1f2a0e-3f5c-4c8e-9a57-0d6e3f1b2c44"
    answer = requests.request(
        method.upper(), f"{fake.base_url}{path}", json=body, headers=headers, params=params, timeout=5
    )
    assert answer.status_code in success, f"{answer.status_code} {answer.text[:300]}"
    if provider == "i2crm":
        assert answer.json()["error"] is False, answer.text[:300]
