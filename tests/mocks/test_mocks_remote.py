"""RemoteProviderFakes against a real uvicorn server, and the same test steps in-process and remote."""

from __future__ import annotations

import base64
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses
import uvicorn
from standardwebhooks import Webhook

from mocks import ProviderFakes
from mocks.app import create_app
from mocks.demo import DEMO_DEFAULT_KEY, seed_demo
from mocks.interface import FakeProviders
from mocks.remote import RemoteProviderFakes
from mocks.responses_mount import mount

if TYPE_CHECKING:
    from tests.mocks.local_peer import LocalPeer


@dataclass
class Server:
    url: str
    fakes: ProviderFakes


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    fakes = ProviderFakes()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio sets TCP_NODELAY
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections queue up until uvicorn accepts them: no startup race
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(fakes), log_level="critical", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):  # bounded readiness poll; each attempt blocks until served
        try:
            if requests.get(f"{url}/_fakes/wazzup", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            continue
    else:
        pytest.fail("the fake server did not come up")
    yield Server(url, fakes)
    uv.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture
def remote(server: Server) -> RemoteProviderFakes:
    server.fakes.reset()
    return RemoteProviderFakes(server.url)


@pytest.fixture(params=["in-process", "remote"])
def any_fakes(request: pytest.FixtureRequest, peer: LocalPeer) -> Iterator[FakeProviders]:
    """The same interface two ways: in-process behind responses, or a standalone server."""
    if request.param == "remote":
        yield request.getfixturevalue("remote")
        return
    fakes = ProviderFakes()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mount(rsps, fakes)
        rsps.add_passthru(peer.url)
        yield fakes


def default_send(fakes: FakeProviders, key: str, timeout: Any = 5) -> requests.Response:
    channel = fakes.default.channel("79370000003")
    headers = {"Authorization": f"Bearer {DEMO_DEFAULT_KEY}", "Idempotency-Key": uuid_of(key)}
    body = {"channel_id": channel.id, "to": "79998885522", "text": "Ваш заказ готов"}
    return requests.post(f"{fakes.default.base_url}/messages", json=body, headers=headers, timeout=timeout)


def uuid_of(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def test_the_same_steps_work_in_process_and_remote(any_fakes: FakeProviders, peer: LocalPeer) -> None:
    fakes = any_fakes
    seed_demo(fakes)
    accepted = default_send(fakes, "k-1")
    assert accepted.status_code == 202
    fakes.default.fail_next("status", status=503, method="POST")
    assert default_send(fakes, "k-2").status_code == 503
    fakes.default.fail_next("rate_limit", retry_after=3)
    assert default_send(fakes, "k-2").headers["Retry-After"] == "3"
    assert default_send(fakes, "k-1").json() == accepted.json()
    [message] = fakes.default.outbox
    assert (message.id, message.to, message.idempotency_key) == (accepted.json()["id"], "79998885522", uuid_of("k-1"))
    assert fakes.default.outbox_to("+7 (999) 888-55-22") == [message]
    assert [m.provider for m in fakes.outbox()] == ["default"]
    journal = fakes.default.journal
    assert journal.count(method="POST", path="/messages") == 4
    assert [e.status for e in journal.filter(path="/messages")] == [202, 503, 429, 202]
    last = journal.last()
    assert last is not None and last.header("Idempotency-Key") == uuid_of("k-1")
    assert journal.last(status=503).fault == "status"  # type: ignore[union-attr]

    secret = "whsec_" + base64.b64encode(b"k" * 24).decode()
    registered = requests.put(
        f"{fakes.default.base_url}/webhook",
        json={"url": f"{peer.url}/api/webhooks/default", "secret": secret},
        headers={"Authorization": f"Bearer {DEMO_DEFAULT_KEY}"},
        timeout=5,
    )
    assert registered.status_code == 200
    assert fakes.default.emit_status(message.id, "delivered") == 200
    webhook = peer.posts("/api/webhooks/default")[-1]
    assert Webhook(secret).verify(webhook.body, webhook.headers)["data"]["id"] == message.id
    assert fakes.default.replay_last_webhook() == 200
    assert fakes.default.profile.send.path == "/messages"

    fakes.default.set_channel_state("+7(937)000-00-03", "blocked")
    assert default_send(fakes, "k-3").status_code == 409
    fakes.default.mark_not_on_whatsapp("79998885522")
    fakes.default.remove_channel("79370000003")
    with pytest.raises(KeyError):
        fakes.default.remove_channel("79370000003")
    with pytest.raises(ValueError, match="unknown channel state"):
        fakes.default.set_channel_state("79370000004", "paused")
    with pytest.raises(ValueError, match="unknown fault"):
        fakes.default.fail_always("explode")
    journal.clear()
    assert len(journal) == 0
    fakes.reset()
    assert fakes.default.outbox == [] and fakes.default.webhook_url is None


def test_a_lost_answer_times_out_both_ways(any_fakes: FakeProviders) -> None:
    seed_demo(any_fakes)
    any_fakes.default.fail_next("lost_answer", seconds=0.3)
    with pytest.raises(requests.ReadTimeout):
        default_send(any_fakes, "k-1", timeout=0.1)
    assert len(any_fakes.default.outbox) == 1
    assert default_send(any_fakes, "k-1").json()["id"] == any_fakes.default.outbox[0].id


def test_remote_attributes_round_trip(remote: RemoteProviderFakes, server: Server) -> None:
    remote.i2crm.webhook_url = "http://crm.example/hook"
    assert remote.i2crm.webhook_url == "http://crm.example/hook" == server.fakes.i2crm.webhook_url
    remote.default.page_size = 2
    assert server.fakes.default.page_size == 2
    remote.default.rate_limit = None
    assert remote.default.rate_limit is None and server.fakes.default.rate_limit is None
    remote.i2crm.add_api_key("t")
    channel = remote.i2crm.add_channel("+7(937)000-00-02", name="Продажи")
    assert channel == server.fakes.i2crm.channel("79370000002")
    assert channel.key and remote.i2crm.channels["79370000002"].key == channel.key
    assert remote.get("i2crm") is remote.i2crm
    assert remote.i2crm.base_url == f"{server.url}/i2crm/api_v1"
    with pytest.raises(KeyError):
        remote.get("telegram")


def test_connection_faults_drop_the_socket(remote: RemoteProviderFakes, server: Server) -> None:
    seed_demo(remote)
    remote.wazzup.fail_next("connection_reset")
    remote.wazzup.fail_next("connection_refused")
    url = f"{remote.wazzup.base_url}/channels"
    for _ in range(2):
        with pytest.raises(requests.ConnectionError, match="Connection aborted"):
            requests.get(url, headers={"Authorization": "Bearer demo-wazzup-key"}, timeout=5)
    assert requests.get(url, headers={"Authorization": "Bearer demo-wazzup-key"}, timeout=5).status_code == 200
    assert [e.outcome for e in remote.wazzup.journal] == ["connection_reset", "connection_refused", "answered"]


def test_a_timeout_holds_the_connection_unprocessed(remote: RemoteProviderFakes) -> None:
    seed_demo(remote)
    remote.default.fail_next("timeout", seconds=0.3)
    with pytest.raises(requests.ReadTimeout):
        default_send(remote, "k-1", timeout=0.1)
    assert remote.default.outbox == []
    assert remote.default.journal.last().outcome == "connect_timeout"  # type: ignore[union-attr]


def test_remote_webhook_errors_map_to_exceptions(remote: RemoteProviderFakes, peer: LocalPeer) -> None:
    with pytest.raises(RuntimeError, match="webhook address"):
        remote.i2crm.emit_status("1", "read")
    remote.i2crm.webhook_url = "http://127.0.0.1:9/closed"
    with pytest.raises(requests.ConnectionError):
        remote.i2crm.emit_status("1", "read")
    remote.i2crm.webhook_url = f"{peer.url}/hook"
    peer.body, peer.content_type = b"OK", "text/plain"
    assert remote.i2crm.emit_status("1", "read") == 200
    assert [d.answered_json for d in remote.i2crm.webhook_deliveries] == [False]


@pytest.mark.parametrize("provider", ["wazzup", "default"])
def test_a_fake_that_learns_its_webhook_by_registration_takes_it_from_nobody_else(
    any_fakes: FakeProviders, provider: str
) -> None:
    """Wazzup and Default learn the CRM's webhook address (and the secret in or beside it) only from the CRM's
    registration call: neither the in-process fake, nor the control API, nor the remote client takes one."""
    fake = any_fakes.get(provider)
    with pytest.raises(PermissionError, match="registration"):
        fake.webhook_url = "http://crm.example/api/webhooks/guessed-secret"
    assert fake.webhook_url is None
    assert fake.webhook_secrets == []


def test_the_control_api_refuses_a_webhook_address_for_wazzup_and_default(server: Server) -> None:
    server.fakes.reset()
    for provider in ("wazzup", "default"):
        answer = requests.patch(f"{server.url}/_fakes/{provider}/webhook", json={"url": "http://crm/x"}, timeout=5)
        assert answer.status_code == 403, answer.text
    answer = requests.patch(f"{server.url}/_fakes/i2crm/webhook", json={"url": "http://crm/x"}, timeout=5)
    assert answer.status_code == 200 and server.fakes.i2crm.webhook_url == "http://crm/x"
