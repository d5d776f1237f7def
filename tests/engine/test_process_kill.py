"""A real kill: the emulator process gets SIGKILL while a provider call is in flight, and starts again.

The emulator runs as a subprocess against the standalone fakes (another subprocess), so nothing of its
memory survives; only its database does. The fake is told to answer the send slowly (it has already
accepted the message), the test waits until the fake has it, kills the emulator, moves both clocks on by
the downtime and starts the emulator again over the same database. Whatever the downtime, the client
gets the message once: Default is asked, Wazzup resends only inside its 60 s window (a shorter downtime
is deduplicated by the crmMessageId, a longer one is never resent), i2crm never resends.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.api.deal_schemas import ContactIn, DealCreate, PhoneIn
from emulator.api.process_schemas import ProcessIn
from emulator.client import CrmClient
from emulator.seed import ADMIN_TOKEN
from mocks.remote import RemoteProviderFakes

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = {"wazzup": "79370000001", "i2crm": "79370000002", "default": "79370000003"}
SEND_ROUTES = {"wazzup": "/message", "i2crm": "/target/feedback", "default": "/messages"}
CLIENT = "79998885522"
START_TIMEOUT_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until(ready: object, what: str) -> None:
    """Poll a readiness check of a process just started (bounded; not a synchronisation by sleep)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            if ready():  # type: ignore[operator]
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {START_TIMEOUT_SECONDS} s")


class EmulatorProcess:
    def __init__(self, data_dir: Path, fakes_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DATABASE_URL": f"sqlite:///{data_dir / 'crm.sqlite3'}",
            "CRM_DATA_DIR": str(data_dir),
            "CRM_PUBLIC_BASE_URL": self.url,
            "WAZZUP_BASE_URL": f"{fakes_url}/wazzup/v3",
            "I2CRM_BASE_URL": f"{fakes_url}/i2crm/api_v1",
            "DEFAULT_BASE_URL": f"{fakes_url}/default/v1",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, keep_data: bool, scheduler_loop: bool = True) -> CrmClient:
        args = [sys.executable, "-m", "emulator", "--port", str(self.port), "--real-providers", "--control-api"]
        self.process = subprocess.Popen(
            args + (["--keep-data"] if keep_data else []),
            cwd=ROOT,
            env=self.env | {"CRM_SCHEDULER_LOOP": "1" if scheduler_loop else "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = CrmClient(self.url, ADMIN_TOKEN)
        _wait_until(lambda: client.health()["status"] == "ok", "the emulator")
        return client

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[RemoteProviderFakes]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mocks", "--port", str(port), "--demo"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    remote = RemoteProviderFakes(f"http://127.0.0.1:{port}")
    try:
        _wait_until(lambda: remote.wazzup.channels is not None, "the standalone fakes")
        yield remote
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def emulator(tmp_path: Path, fakes: RemoteProviderFakes) -> Iterator[EmulatorProcess]:
    found = EmulatorProcess(tmp_path, fakes.wazzup.base_url.removesuffix("/wazzup/v3"))
    try:
        yield found
    finally:
        found.stop()


def _arrange_and_send(client: CrmClient, fakes: RemoteProviderFakes, provider: str) -> int:
    """A process on "В работе", a deal moved there; the fake accepts the send but answers after 8 s."""
    client.reset(with_processes=False)
    if provider == "default":
        client.connect("default", "demo-default-key")
    funnel = next(f for f in client.funnels() if f.name == "Воронка 2")
    stages = {s.name: s.id for s in funnel.stages}
    channel = next(c.id for c in client.integration(provider).channels if c.phone == CHANNELS[provider])
    client.create_process(ProcessIn(stage_id=stages["В работе"], provider=provider, channel_id=channel, text="Привет"))
    deal = client.create_deal(
        DealCreate(
            funnel_id=funnel.id,
            stage_id=stages["Новая"],
            client_name="Клиент",
            contacts=[ContactIn(name="К", is_primary=True, phones=[PhoneIn(value="+7(999)888-55-22")])],
        )
    )
    fakes.get(provider).fail_next("slow", seconds=8.0, method="POST", path=SEND_ROUTES[provider])
    client.change_stage(deal.id, stages["В работе"])  # the emulator's scheduler loop sends within a second
    return deal.id


def _statuses(client: CrmClient, deal_id: int) -> list[str]:
    return [e.body for e in client.timeline(deal_id) if e.kind == "bp_message"]


def _settled(client: CrmClient, deal_id: int) -> bool:
    """The message has a final status (sent, or an error): the restarted emulator has decided."""
    found = _statuses(client, deal_id)
    return len(found) == 1 and (found[0] == "Статус: Отправлено" or found[0].startswith("Статус: Ошибка"))


@pytest.mark.parametrize(
    ("provider", "downtime_seconds", "expected"),
    [
        ("wazzup", 40, "Статус: Отправлено"),  # inside the window: the repeat is deduplicated
        ("wazzup", 120, "Статус: Ошибка: статус неизвестен"),  # past the window: never resent
        ("default", 120, "Статус: Отправлено"),  # Default is asked
        ("i2crm", 40, "Статус: Ошибка: статус неизвестен"),  # no idempotency: never resent
    ],
)
def test_a_killed_send_never_reaches_the_client_twice(
    emulator: EmulatorProcess, fakes: RemoteProviderFakes, provider: str, downtime_seconds: int, expected: str
) -> None:
    client = emulator.start(keep_data=False)
    deal_id = _arrange_and_send(client, fakes, provider)
    fake = fakes.get(provider)
    _wait_until(lambda: len(fake.outbox) == 1, "the provider's acceptance of the send")
    emulator.kill()  # mid-send: the provider has the message, the emulator never got the answer
    restart_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=downtime_seconds)
    # The restarted emulator must not act before its clock shows the end of the downtime, and both clocks
    # move together once it is up (its start-up takes real seconds, which would put the fake's clock ahead):
    # its loop stays off until then.
    client = emulator.start(keep_data=True, scheduler_loop=False)
    fakes.set_clock(restart_at)
    client.set_clock(restart_at)
    client.run_due()
    _wait_until(lambda: _settled(client, deal_id), "a final status after the restart")
    client.run_due()
    assert len(fake.outbox_to(CLIENT)) == 1, "the client must get the message exactly once"
    assert _statuses(client, deal_id) == [expected]
