"""The standalone app through Starlette's TestClient: provider routes, control API, outbox page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from mocks import ProviderFakes
from mocks.app import create_app
from mocks.demo import seed_demo

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer


@pytest.fixture
def client(fakes: ProviderFakes) -> Iterator[TestClient]:
    with TestClient(create_app(fakes)) as test_client:
        yield test_client


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the app's waits instead of waiting."""
    recorded: list[float] = []

    async def record(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("mocks.app.sleep", record)
    return recorded


def wazzup_message(fakes: ProviderFakes, text: str = "Привет") -> dict[str, Any]:
    channel = fakes.wazzup.channel("79370000001")
    return {"channelId": channel.id, "chatType": "whatsapp", "chatId": "79998885522", "text": text}


W_AUTH = {"Authorization": "Bearer demo-wazzup-key"}


def test_the_providers_are_served_under_their_prefixes(fakes: ProviderFakes, client: TestClient) -> None:
    seed_demo(fakes)
    sent = client.post("/wazzup/v3/message", json=wazzup_message(fakes), headers=W_AUTH)
    assert sent.status_code == 201
    assert client.post("/wazzup/v3/message", json=wazzup_message(fakes)).status_code == 401
    targets = client.get("/i2crm/api_v1/targets", params={"token": "demo-i2crm-token"}).json()
    assert targets["data"]["list"][0]["name"] == "Исходящий канал №101"
    assert client.get("/i2crm/api_v1/targets", params={"token": "x"}).status_code == 200
    channels = client.get("/default/v1/channels", headers={"Authorization": "Bearer demo-default-key"}).json()["data"]
    assert [(c["phone"], c["state"]) for c in channels] == [("79370000003", "active"), ("79370000004", "inactive")]
    assert fakes.wazzup.journal.count(path="/message") == 2
    assert fakes.wazzup.outbox[0].text == "Привет"
    for provider in ("wazzup", "i2crm", "default"):
        docs = client.get(f"/{provider}/docs")
        assert (
            docs.status_code == 200 and "<h2>Запросы</h2>" in docs.text and "http" not in docs.text.split("<style>")[0]
        )
        assert "cdn" not in docs.text.lower(), "the docs page works offline"
        assert client.get(f"/{provider}/openapi.yaml").text.startswith("openapi: 3.1.0")


def test_the_control_api_arranges_state(fakes: ProviderFakes, client: TestClient) -> None:
    assert client.post("/_fakes/default/api-keys", json={"key": "k"}).json() == {"ok": True}
    channel = client.post("/_fakes/default/channels", json={"phone": "+7(937)000-00-03", "name": "Основной"}).json()
    assert (channel["phone"], channel["state"], channel["name"]) == ("79370000003", "active", "Основной")
    changed = client.patch("/_fakes/default/channels/%2B7(937)000-00-03", json={"state": "blocked"})
    assert changed.json()["state"] == "blocked"
    assert fakes.default.channel("79370000003").state == "blocked"
    state = client.get("/_fakes/default").json()
    assert state["api_keys"] == ["k"] and state["rate_limit"] == {"requests": 20, "per_seconds": 1.0}
    assert client.put("/_fakes/default/rate-limit").json()["rate_limit"] is None
    assert fakes.default.rate_limit is None
    assert client.delete("/_fakes/default/channels/79370000003").status_code == 200
    assert fakes.default.channels == {}
    client.post("/_fakes/default/not-on-whatsapp", json={"number": "+79998885522"})
    assert fakes.default.not_on_whatsapp == {"79998885522"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/_fakes/telegram", None, 404),
        ("POST", "/_fakes/wazzup/channels", {"phone": "79370000001", "state": "inactive"}, 400),
        ("POST", "/_fakes/wazzup/channels", {"phone": "123"}, 400),
        ("PATCH", "/_fakes/wazzup/channels/79370000009", {"state": "active"}, 404),
        ("POST", "/_fakes/wazzup/faults", {"kind": "explode"}, 400),
        ("POST", "/_fakes/wazzup/faults", {"kind": "timeout", "delay": 3}, 422),
        ("POST", "/_fakes/wazzup/status", {"message_id": "m", "status": "delivered"}, 409),
        ("POST", "/_fakes/wazzup/status", {"message_id": "m", "status": "failed"}, 400),
    ],
)
def test_the_control_api_refuses_bad_requests(
    client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    assert client.request(method, path, json=body).status_code == status


def test_faults_journal_and_outbox_over_the_control_api(fakes: ProviderFakes, client: TestClient) -> None:
    seed_demo(fakes)
    fault = {"kind": "status", "status": 503, "path": "/message", "body": {"error": "DOWN"}}
    assert client.post("/_fakes/wazzup/faults", json=fault).json()["status"] == 503
    assert client.get("/_fakes/wazzup").json()["faults"][0]["kind"] == "status"
    assert client.post("/wazzup/v3/message", json=wazzup_message(fakes), headers=W_AUTH).status_code == 503
    assert client.post("/wazzup/v3/message", json=wazzup_message(fakes), headers=W_AUTH).status_code == 201
    journal = client.get("/_fakes/wazzup/journal", params={"method": "POST", "status": 503}).json()
    assert [(e["fault"], e["response"]) for e in journal] == [("status", {"error": "DOWN"})]
    assert len(client.get("/_fakes/wazzup/journal").json()) == 2
    outbox = client.get("/_fakes/wazzup/outbox", params={"to": "+7 999 888-55-22"}).json()
    assert [m["text"] for m in outbox] == ["Привет"]
    assert len(client.get("/_fakes/outbox").json()) == 1
    client.delete("/_fakes/wazzup/journal")
    assert fakes.wazzup.journal.entries == []
    client.post("/_fakes/wazzup/faults", json={"kind": "status", "status": 500, "times": None})
    client.delete("/_fakes/wazzup/faults")
    assert fakes.wazzup.faults.pending == []
    client.post("/_fakes/reset")
    assert fakes.outbox() == [] and fakes.wazzup.channels == {}


def test_control_calls_are_not_subject_to_faults(fakes: ProviderFakes, client: TestClient) -> None:
    fakes.wazzup.fail_always("status", status=500)
    assert client.get("/_fakes/wazzup").status_code == 200
    assert client.get("/wazzup/v3/channels").status_code == 500


def test_webhooks_over_the_control_api(fakes: ProviderFakes, client: TestClient, peer: LocalPeer) -> None:
    client.post("/_fakes/webhooks", json={"crm_base_url": peer.url})
    assert fakes.i2crm.webhook_url == f"{peer.url}/api/webhooks/i2crm"
    assert fakes.default.webhook_url is None, "Default learns its address only from PUT /webhook"
    assert client.patch("/_fakes/default/webhook", json={"secret": "s"}).json() == {"webhook_url": None}
    channel = fakes.i2crm.add_channel("79370000002")
    answer = client.post("/_fakes/i2crm/status", json={"message_id": "m-1", "status": "read"})
    assert answer.json() == {"crm_status": 200}
    [received] = peer.posts("/api/webhooks/i2crm")
    assert received.json["status"] == "read" and received.headers["X-Auth-Token"] == channel.key
    assert client.post("/_fakes/i2crm/webhook-replay").json() == {"crm_status": 200}
    deliveries = client.get("/_fakes/i2crm/webhook-deliveries").json()
    assert [d["status"] for d in deliveries] == [200, 200]
    client.patch("/_fakes/i2crm/webhook", json={"url": "http://127.0.0.1:9/closed"})
    assert client.post("/_fakes/i2crm/status", json={"message_id": "1", "status": "read"}).status_code == 502


def test_a_slow_fault_really_waits_standalone(fakes: ProviderFakes, client: TestClient, sleeps: list[float]) -> None:
    seed_demo(fakes)
    fakes.wazzup.fail_next("slow", seconds=2.5)
    assert client.post("/wazzup/v3/message", json=wazzup_message(fakes), headers=W_AUTH).status_code == 201
    assert sleeps == [2.5]
    assert len(fakes.wazzup.outbox) == 1


def test_a_connection_fault_gets_no_answer_under_testclient(fakes: ProviderFakes, client: TestClient) -> None:
    seed_demo(fakes)
    fakes.wazzup.fail_next("connection_reset")
    with pytest.raises(AssertionError, match="did not receive any response"):
        client.get("/wazzup/v3/channels", headers=W_AUTH)
    assert client.get("/wazzup/v3/channels", headers=W_AUTH).status_code == 200


def test_the_outbox_page_escapes_everything(fakes: ProviderFakes, client: TestClient, peer: LocalPeer) -> None:
    seed_demo(fakes)
    fakes.wazzup.channel("79370000001").name = "<i>name</i>"
    text = '<script>alert("x")</script> & "Привет"'
    assert client.post("/wazzup/v3/message", json=wazzup_message(fakes, text), headers=W_AUTH).status_code == 201
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script>" not in page.text and "<i>" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Привет&quot;" in page.text
    assert "&lt;i&gt;name&lt;/i&gt;" in page.text
    assert "Outbox (1)" in page.text


def test_the_outbox_page_escapes_file_names_and_links(
    fakes: ProviderFakes, client: TestClient, peer: LocalPeer
) -> None:
    seed_demo(fakes)
    url = peer.add_file("/%3Cb%3E%22x%22.pdf", b"%PDF")
    key = fakes.i2crm.channel("79370000002").key
    body = {"domain": "whatsapp", "source": "79370000002", "client": "79998885522", "url": url}
    assert client.post("/i2crm/api_v1/target/feedback", params={"key": key}, json=body).json()["error"] is False
    page = client.get("/").text
    assert "<b>" not in page
    assert f'<a href="{url}" rel="noreferrer">&lt;b&gt;&quot;x&quot;.pdf</a> (4 B)' in page
