"""``python -m mocks``: arguments, the demo state, and what it serves."""

from __future__ import annotations

from typing import Any

import pytest

import mocks.__main__ as entry
from mocks import ProviderFakes
from mocks.demo import seed_demo


def test_defaults_and_flags() -> None:
    args = entry.parse_args([])
    assert (args.host, args.port, args.demo, args.public_url) == ("127.0.0.1", 8100, False, None)
    args = entry.parse_args(["--host", "0.0.0.0", "--port", "9000", "--demo", "--public-url", "http://fakes:9000"])
    assert (args.host, args.port, args.demo, args.public_url) == ("0.0.0.0", 9000, True, "http://fakes:9000")


def test_without_demo_nothing_is_seeded() -> None:
    fakes = entry.build_fakes("http://127.0.0.1:8100/", demo=False)
    assert fakes.wazzup.base_url == "http://127.0.0.1:8100/wazzup/v3"
    assert fakes.i2crm.base_url == "http://127.0.0.1:8100/i2crm/api_v1"
    assert fakes.default.base_url == "http://127.0.0.1:8100/default/v1"
    assert all(not fake.api_keys and not fake.channels for fake in fakes.all())


def test_the_demo_state() -> None:
    fakes = ProviderFakes()
    seed_demo(fakes)
    assert fakes.wazzup.api_keys == {"demo-wazzup-key"}
    assert fakes.i2crm.api_keys == {"demo-i2crm-token"}
    assert fakes.default.api_keys == {"demo-default-key"}
    assert {(c.phone, c.state) for c in fakes.wazzup.channels.values()} == {("79370000001", "active")}
    assert {(c.phone, c.state) for c in fakes.i2crm.channels.values()} == {("79370000002", "active")}
    assert {(c.phone, c.state) for c in fakes.default.channels.values()} == {
        ("79370000003", "active"),
        ("79370000004", "inactive"),
    }
    assert fakes.i2crm.channel("79370000002").key


def test_main_serves_the_seeded_fakes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: Any, host: str, port: int) -> None:
        served.update(app=app, host=host, port=port)

    monkeypatch.setattr("mocks.__main__.uvicorn.run", fake_run)
    entry.main(["--port", "8123", "--demo"])
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    fakes: ProviderFakes = served["app"].state.fakes
    assert fakes.default.base_url == "http://127.0.0.1:8123/default/v1"
    assert len(fakes.default.channels) == 2
    assert "http://127.0.0.1:8123/wazzup/v3" in capsys.readouterr().out
