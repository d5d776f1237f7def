"""``kill -9`` of a real emulator process during a send and with delayed runs pending, then a restart over
the same database (SQLite and PostgreSQL): every message reaches its client at most once, none is lost.

At the kill: one immediate send is in flight (the fake has accepted it and answers slowly, so the
emulator never gets the answer), and delayed runs of all three providers are waiting for their moment.
Both clocks then move on by the downtime and the emulator starts again (its loop off until its clock is
set, so its start-up time cannot put the fake's clock ahead). The send in flight ends as its provider's
contract allows: Wazzup resends inside its 60 s window (the repeat is deduplicated by the crmMessageId)
and never after it, Default is asked, i2crm never resends ("статус неизвестен"). The delayed runs, which
never started, are each sent exactly once when due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.clock import ScenarioClock
from harness.world import RemoteFakesMover
from mocks.remote import RemoteProviderFakes
from tests.reliability.emulator_launcher import Launcher
from tests.reliability.emulator_processes import (
    SEND_ROUTES,
    EmulatorProcess,
    add_deal,
    add_process,
    fakes_url,
    fresh_fakes,
    move_clocks,
    move_to,
    postgres_database,
    standalone_fakes,
    statuses,
    wait_until,
)

IN_FLIGHT = ("+7(999)888-55-22", "79998885522")
# Deals whose delayed runs (one per provider) are pending at the kill.
PENDING = {"+7(999)777-00-01": "79997770001", "+7(999)777-00-02": "79997770002"}
DELAY_MINUTES = 2
HORIZON = dt.timedelta(hours=16)  # the whole retry schedule (about 8.3 h) and the status checks (up to 6 h)
SENT = "Статус: Отправлено"
UNKNOWN = "Статус: Ошибка: статус неизвестен"


@pytest.fixture(scope="module")
def module_fakes() -> Iterator[RemoteProviderFakes]:
    with standalone_fakes() as fakes:
        yield fakes


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crm.sqlite3'}"
        return
    postgres_url: str = request.getfixturevalue("postgres_url")
    with postgres_database(postgres_url) as url:
        yield url


@pytest.fixture
def emulator(
    emulator_launcher: Launcher, tmp_path: Path, module_fakes: RemoteProviderFakes, database_url: str
) -> Iterator[EmulatorProcess]:
    found = EmulatorProcess(emulator_launcher, tmp_path, fakes_url(fresh_fakes(module_fakes)), database_url)
    try:
        yield found
    finally:
        found.stop()


@pytest.mark.parametrize(
    ("provider", "downtime_seconds", "in_flight_ends"),
    [
        ("wazzup", 40, SENT),  # inside the window: the repeat is deduplicated
        ("wazzup", 120, UNKNOWN),  # past the window: never resent
        ("default", 120, SENT),  # Default is asked
        ("i2crm", 40, UNKNOWN),  # no idempotency: never resent
    ],
    ids=["wazzup-inside-window", "wazzup-past-window", "default", "i2crm"],
)
def test_a_kill_during_a_send_with_runs_pending_loses_nothing_and_sends_nothing_twice(
    emulator: EmulatorProcess,
    module_fakes: RemoteProviderFakes,
    provider: str,
    downtime_seconds: int,
    in_flight_ends: str,
) -> None:
    fakes = module_fakes
    client = emulator.start(keep_data=False)
    client.reset(with_processes=False)
    for delayed in ("wazzup", "i2crm", "default"):
        add_process(client, delayed, f"Напоминание через {delayed}", "В работе", DELAY_MINUTES)
    pending = {digits: add_deal(client, phone) for phone, digits in PENDING.items()}
    for deal_id in pending.values():
        move_to(client, deal_id, "В работе")  # three delayed runs each, due in DELAY_MINUTES
    add_process(client, provider, "Сразу", "Оплата")
    in_flight = add_deal(client, IN_FLIGHT[0])
    fake = fakes.get(provider)
    fake.fail_next("slow", seconds=20.0, method="POST", path=SEND_ROUTES[provider])
    move_to(client, in_flight, "Оплата")  # the emulator's own loop sends within a second; the delayed runs wait
    wait_until(lambda: len(fake.outbox_to(IN_FLIGHT[1])) == 1, "the provider's acceptance of the send")
    assert all(f.outbox == [] for f in fakes.all() if f is not fake), "the delayed runs were not due yet"

    emulator.kill()  # mid-send: the provider has the message, the emulator never got the answer
    restart_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=downtime_seconds)
    client = emulator.start(keep_data=True, scheduler_loop=False)
    move_clocks(client, fakes, restart_at)
    # Every retry, the delayed runs (their clock never ran while the emulator was down) and the status
    # checks, each at its moment: the scheduler runs synchronously as the clocks step through them.
    ScenarioClock(RemoteFakesMover(client, fakes), client).advance(HORIZON)

    in_flight_statuses = statuses(client, in_flight)
    assert len(fake.outbox_to(IN_FLIGHT[1])) == 1, "the client must get the message exactly once"
    assert in_flight_statuses == [in_flight_ends]
    for digits, deal_id in pending.items():
        assert statuses(client, deal_id) == [SENT] * 3
        for each in fakes.all():
            assert len(each.outbox_to(digits)) == 1, f"{each.name} → {digits}: exactly once"
