"""Real processes for the kill and two-emulator probes: the emulator (``python -m emulator``, forked by
tests/reliability/emulator_launcher.py from a process that has imported it once), the standalone provider
fakes (``python -m mocks``), and a PostgreSQL database of one's own.

The emulator runs as a process of its own against the standalone fakes, so nothing of its memory survives
a ``kill -9``; only its database does. Waiting for a process is a bounded poll of an observable condition
(its health answer, the fake's outbox), never a fixed sleep.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, make_url, text

from emulator.api.deal_schemas import ContactIn, DealCreate, PhoneIn
from emulator.api.process_schemas import ProcessIn
from emulator.client import CrmClient
from emulator.seed import ADMIN_TOKEN
from mocks.demo import DEMO_DEFAULT_KEY, seed_demo
from mocks.remote import RemoteProviderFakes
from tests.reliability.emulator_launcher import Launcher

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "CRM_TEST_POSTGRES_URL"  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test (CI sets it)
CHANNELS = {"wazzup": "79370000001", "i2crm": "79370000002", "default": "79370000003"}
SEND_ROUTES = {"wazzup": "/message", "i2crm": "/target/feedback", "default": "/messages"}
START_TIMEOUT_SECONDS = 60.0
FINAL = ("Статус: Отправлено", "Статус: Доставлено", "Статус: Прочитано", "Статус: Ошибка")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], what: str, timeout: float = START_TIMEOUT_SECONDS, interval: float = 0.1
) -> None:
    """Poll an observable condition of a process (bounded; not a synchronisation by sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except requests.RequestException:
            pass
        time.sleep(interval)
    raise RuntimeError(f"{what} did not happen within {timeout} s")


class EmulatorProcess:
    """``python -m emulator`` on a free port, over ``database_url``, talking to the standalone fakes."""

    def __init__(self, launcher: Launcher, data_dir: Path, fakes_url: str, database_url: str) -> None:
        self.launcher = launcher
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "CRM_DATA_DIR": str(data_dir),
            "CRM_PUBLIC_BASE_URL": self.url,
            "WAZZUP_BASE_URL": f"{fakes_url}/wazzup/v3",
            "I2CRM_BASE_URL": f"{fakes_url}/i2crm/api_v1",
            "DEFAULT_BASE_URL": f"{fakes_url}/default/v1",
        }
        self.pid: int | None = None

    def start(self, keep_data: bool, scheduler_loop: bool = True) -> CrmClient:
        """Start (fresh demo data unless ``keep_data``) and wait until it answers."""
        args = ["--port", str(self.port), "--real-providers", "--control-api"]
        self.pid = self.launcher.start(
            args + (["--keep-data"] if keep_data else []),
            self.env | {"CRM_SCHEDULER_LOOP": "1" if scheduler_loop else "0"},
        )
        client = CrmClient(self.url, ADMIN_TOKEN)
        # A refused connection costs nothing: polled often, the answer is seen as soon as it comes.
        wait_until(lambda: client.health()["status"] == "ok", "the emulator's start", interval=0.02)
        return client

    def kill(self) -> None:
        """``kill -9``: nothing is flushed, nothing is closed."""
        code = self._kill()
        assert code == -signal.SIGKILL, f"the emulator process ended by itself before its kill (exit code {code})"

    def stop(self) -> None:
        if self.pid is not None:
            self._kill()

    def _kill(self) -> int:
        assert self.pid is not None
        code = self.launcher.kill(self.pid)
        self.pid = None
        return code


@contextmanager
def standalone_fakes() -> Iterator[RemoteProviderFakes]:
    """``python -m mocks --demo`` on a free port, stopped at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mocks", "--port", str(port), "--demo"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    remote = RemoteProviderFakes(f"http://127.0.0.1:{port}")
    try:
        wait_until(lambda: remote.wazzup.channels is not None, "the standalone fakes' start", interval=0.02)
        yield remote
    finally:
        # Killed, not asked to stop: they keep nothing, and a graceful stop would wait for a slow answer
        # still held for an emulator killed mid-send (the kill probes hold one for 20 s).
        process.kill()
        process.wait(timeout=10)


def fresh_fakes(fakes: RemoteProviderFakes) -> RemoteProviderFakes:
    """The demo accounts again, nothing sent, no faults, the real clock.

    A reset leaves the fakes' clock where the last test moved it (hours ahead, after a kill test's
    horizon): the next test's sends would be counted in rate windows and processing times that lie in
    that test's future, and its clock would then move back behind them."""
    fakes.reset()
    fakes.set_clock(dt.datetime.now(dt.UTC))
    seed_demo(fakes)
    return fakes


def fakes_url(fakes: RemoteProviderFakes) -> str:
    return fakes.wazzup.base_url.removesuffix("/wazzup/v3")


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A database of one's own on the configured PostgreSQL server: its URL; dropped at the end.

    Not a schema in the configured database: the schedulers' stand lock is a PostgreSQL advisory lock, which
    holds for a whole database, so the emulators of tests running side by side in one database would wait
    for each other's passes (a pass asked for through the control API waits for every pass in progress,
    and a pass queued behind it waits too: one emulator of the two-emulator test could then be kept out
    of the sending altogether)."""
    name = f"crm_reliability_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- arranging through the emulator's REST API ---------------------------------------------------------


def demo_stages(client: CrmClient) -> tuple[int, dict[str, int]]:
    funnel = next(f for f in client.funnels() if f.name == "Воронка 2")
    return funnel.id, {s.name: s.id for s in funnel.stages}


def add_process(
    client: CrmClient, provider: str, text: str, stage: str = "В работе", delay_minutes: int | None = None
) -> None:
    """A business process on ``stage`` of «Воронка 2» through the provider's demo channel, at once or delayed."""
    if provider == "default" and not client.integration("default").connected:
        client.connect("default", DEMO_DEFAULT_KEY)
    _, stages = demo_stages(client)
    channel = next(c.id for c in client.integration(provider).channels if c.phone == CHANNELS[provider])
    body = ProcessIn(stage_id=stages[stage], provider=provider, channel_id=channel, text=text)
    if delay_minutes is not None:
        body = body.model_copy(update={"timing": "delayed", "delay_value": delay_minutes, "delay_unit": "minutes"})
    client.create_process(body)


def add_deal(client: CrmClient, phone: str) -> int:
    """A deal on «Новая» whose one primary contact has ``phone``."""
    funnel_id, stages = demo_stages(client)
    deal = client.create_deal(
        DealCreate(
            funnel_id=funnel_id,
            stage_id=stages["Новая"],
            client_name="Клиент",
            contacts=[ContactIn(name="К", is_primary=True, phones=[PhoneIn(value=phone)])],
        )
    )
    return deal.id


def move_to(client: CrmClient, deal_id: int, stage: str) -> None:
    """The deal enters ``stage`` of «Воронка 2»."""
    _, stages = demo_stages(client)
    client.change_stage(deal_id, stages[stage])


def statuses(client: CrmClient, deal_id: int) -> list[str]:
    """The deal's business-process log lines, oldest first."""
    return [e.body for e in reversed(client.timeline(deal_id)) if e.kind == "bp_message"]


def settled(client: CrmClient, deal_id: int, messages: int) -> bool:
    """The deal's ``messages`` messages all have a final status."""
    found = statuses(client, deal_id)
    return len(found) == messages and all(s.startswith(FINAL) for s in found)


def move_clocks(client: CrmClient, fakes: RemoteProviderFakes, moment: dt.datetime) -> None:
    """The emulator's clock and the fakes' move together."""
    fakes.set_clock(moment)
    client.set_clock(moment)
