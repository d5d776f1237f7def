"""The embedded default (SQLite) holds 50 concurrent writers: no error, every change recorded once.

Before the fix, 45-50 simultaneous stage changes took all of the server's 40 worker threads (waiting
for SQLite's write lock or for a pooled connection) while the request holding the lock waited for a
worker to finish its answer: all stalled until SQLite's 30 s timeout and most answered 500.
Bounded: a fixed number of changes, each with a request timeout; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests

from emulator.api.deal_schemas import DealCreate
from emulator.client import CrmClient
from emulator.seed import ADMIN_TOKEN
from harness.world import Stand, StandOptions

CLIENTS = 50
CHANGES_PER_CLIENT = 4  # «В работе», «Новая», «В работе», «Новая»
REQUEST_TIMEOUT = 120.0  # far above the server's 30 s lock timeout: a stall fails as an error answer


@pytest.fixture(scope="module")
def load_stand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stand]:
    """The suite's stand on a fresh SQLite file, with the demo data and its business process."""
    with Stand(StandOptions(tmp_path_factory.mktemp("crm-load"))) as stand:
        stand.client().reset(with_processes=True)
        yield stand


def _demo_funnel(client: CrmClient) -> tuple[int, dict[str, int]]:
    funnel = next(f for f in client.funnels() if f.name == "Воронка 2")
    return funnel.id, {s.name: s.id for s in funnel.stages}


def test_fifty_concurrent_stage_changes_all_succeed_and_are_logged_once(load_stand: Stand) -> None:
    client = load_stand.client()
    funnel_id, stages = _demo_funnel(client)
    new_deal = DealCreate(funnel_id=funnel_id, stage_id=stages["Новая"])
    deal_ids = [client.create_deal(new_deal).id for _ in range(CLIENTS)]
    route = [stages["В работе"], stages["Новая"]] * (CHANGES_PER_CLIENT // 2)
    start = threading.Barrier(CLIENTS)
    errors: list[str] = []
    changed = [0] * CLIENTS

    def writer(n: int) -> None:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
            start.wait()
            for stage_id in route:
                url = f"{load_stand.crm_url}/api/deals/{deal_ids[n]}/stage"
                try:
                    answer = http.post(url, json={"stage_id": stage_id}, timeout=REQUEST_TIMEOUT)
                except requests.RequestException as exc:
                    errors.append(f"deal {deal_ids[n]}: {type(exc).__name__}")
                    continue
                if answer.status_code != 200:
                    errors.append(f"deal {deal_ids[n]}: HTTP {answer.status_code} {answer.text[:120]}")
                elif answer.json()["changed"]:
                    changed[n] += 1

    threads = [threading.Thread(target=writer, args=(n,), name=f"writer-{n}") for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert changed == [CHANGES_PER_CLIENT] * CLIENTS
    logged = {deal_id: [e.title for e in client.timeline(deal_id) if e.kind == "stage_changed"] for deal_id in deal_ids}
    expected = ["Смена этапа с В работе на Новая", "Смена этапа с Новая на В работе"] * (CHANGES_PER_CLIENT // 2)
    assert {d: sorted(t) for d, t in logged.items()} == {d: sorted(expected) for d in deal_ids}
    # The demo process hangs on «В работе»: one scheduled run per entry, each recorded once.
    runs = {deal_id: len(client.runs(deal_id)) for deal_id in deal_ids}
    assert runs == {deal_id: CHANGES_PER_CLIENT // 2 for deal_id in deal_ids}


def test_the_embedded_default_keeps_its_journal_in_wal_mode(load_stand: Stand) -> None:
    """Readers never wait for the writer (WAL), the precondition of the deal page under writers."""
    assert load_stand.server is not None
    with load_stand.server.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
