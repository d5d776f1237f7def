"""Finding: /_control/* (reset, seed, clock) had no authentication at all.

Now, with CRM_CONTROL_TOKEN set, every call needs ``Authorization: Bearer <token>``; without one, a call a
browser sent (``Origin``) is refused; and ``python -m emulator`` will not serve the control API on a
non-loopback address without a token.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from emulator import seed
from emulator.api.control_access import startup_refusal
from emulator.settings import Settings
from tests.demo_rows import DemoRows

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"Authorization": f"Bearer {seed.ADMIN_TOKEN}"}


def _stage_of_demo_deal(client: TestClient) -> str:
    return str(client.get("/api/deals/9396", headers=ADMIN).json()["stage"]["name"])


def _to_in_work(demo_rows: DemoRows) -> dict[str, int]:
    """The demo deal's move to «В работе» of «Воронка 2»."""
    return {"stage_id": demo_rows.stage("Воронка 2", "В работе")}


def test_with_a_token_every_control_call_needs_it(make_app: Callable[..., FastAPI], demo_rows: DemoRows) -> None:
    with TestClient(make_app(control_token="control-secret")) as client:
        assert client.post("/api/deals/9396/stage", json=_to_in_work(demo_rows), headers=ADMIN).status_code == 200
        for headers in ({}, {"Authorization": "Bearer wrong"}, ADMIN):
            answer = client.post("/_control/reset", headers=headers)
            assert answer.status_code == 401, headers
            assert "CRM_CONTROL_TOKEN" in answer.json()["detail"]
        assert client.get("/_control/health").status_code == 401
        assert _stage_of_demo_deal(client) == "В работе", "a refused reset reset the data"
        allowed = client.post("/_control/reset", headers={"Authorization": "Bearer control-secret"})
        assert allowed.status_code == 200
        assert _stage_of_demo_deal(client) == "Новая"


def test_without_a_token_a_browsers_call_is_refused(app: FastAPI, demo_rows: DemoRows) -> None:
    with TestClient(app) as client:
        assert client.post("/api/deals/9396/stage", json=_to_in_work(demo_rows), headers=ADMIN).status_code == 200
        answer = client.post("/_control/reset", headers={"Origin": "https://evil.example"})
        assert answer.status_code == 403
        assert "CRM_CONTROL_TOKEN" in answer.json()["detail"]
        assert client.post("/_control/reset", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert _stage_of_demo_deal(client) == "В работе"
        assert client.post("/_control/reset").status_code == 200  # a test or a script on this machine


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"])
def test_loopback_hosts_may_serve_the_control_api_without_a_token(host: str) -> None:
    assert startup_refusal(host, Settings(control_api=True)) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "crm.example"])
def test_other_hosts_need_a_token(host: str) -> None:
    refusal = startup_refusal(host, Settings(control_api=True))
    assert refusal is not None and "CRM_CONTROL_TOKEN" in refusal and host in refusal
    assert startup_refusal(host, Settings(control_api=True, control_token="secret")) is None
    assert startup_refusal(host, Settings(control_api=False)) is None


def test_python_m_emulator_refuses_to_serve_the_control_api_on_all_addresses_without_a_token(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("CRM_CONTROL_TOKEN", "CRM_CONTROL_API")}
    env["CRM_DATA_DIR"] = str(tmp_path)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "emulator", "--host", "0.0.0.0", "--port", str(port), "--control-api"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the emulator started serving the control API on 0.0.0.0 without a token")
    assert done.returncode == 2
    assert "CRM_CONTROL_TOKEN" in done.stderr
    assert "0.0.0.0" in done.stderr
