"""Load on the embedded default (SQLite): the deal page and stage changes under concurrent clients,
beside a bare FastAPI endpoint served the same way in the same run.

    .venv/bin/python -m bench.load [--clients 50] [--seconds 10] [--max-requests 5000]

A child process serves the suite's world (``harness/world.py``: the emulator over a fresh SQLite file
with the demo data and its business process, the fakes in-process, the clock frozen) and, beside it,
a FastAPI app with one plain endpoint on uvicorn just like the emulator's. This process is the
clients: ``--clients`` threads, each with its own keep-alive ``requests.Session``, hit one target at a
time for ``--seconds`` (or until ``--max-requests``), so the clients' own work never shares a GIL with
the servers. Phases: the bare endpoint, the deal page (``GET /deals/9396``), stage changes (each
client moves its own deal between «Новая» and «В работе»: a timeline entry and a scheduled run per
entry into «В работе»). Afterwards every deal's log must hold exactly the changes its client was told
were made. Prints p50/p99 per phase, their ratios to the bare endpoint, and the errors.
Goal: 0 errors; deal-page p99 within 5x the bare endpoint.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import requests
import uvicorn
from fastapi import FastAPI

from emulator.seed import ADMIN_TOKEN, DEMO_DEAL_ID
from harness.emulator_server import NotifyingServer

HEADERS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
REQUEST_TIMEOUT = 120.0  # a stalled request shows as slow, a lost one as an error
GOAL_P99_RATIO = 5.0


# -- the servers (child process) -------------------------------------------------------------------


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/bare")
    def bare() -> dict[str, str]:  # a sync endpoint: through the same thread pool as the CRM's routes
        return {"status": "ok"}

    return app


def serve_bare() -> tuple[str, NotifyingServer]:
    """A bare FastAPI endpoint served as harness/emulator_server.py serves the emulator."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        bare_app(), log_level="warning", lifespan="on", timeout_keep_alive=30, timeout_graceful_shutdown=1
    )
    server = NotifyingServer(config)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bare", daemon=True).start()
    if not server.ready.wait(timeout=60):
        raise RuntimeError("the bare server did not start within 60 s")
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


def serve(conn: Connection, deals: int) -> None:
    """Child process: the suite's world and the bare endpoint, until the parent says stop."""
    from bench.stack import stack

    with stack() as stand, stand.scenario(with_processes=True) as world:
        new, working = world.stage("Воронка 2", "Новая"), world.stage("Воронка 2", "В работе")
        deal_ids = [world.deal() for _ in range(deals)]
        bare_url, bare = serve_bare()
        conn.send({"crm": stand.crm_url, "bare": bare_url, "deals": deal_ids, "stages": (new, working)})
        conn.recv()  # stop
        bare.should_exit = True


# -- the clients (this process) --------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = 0.0
    seconds: float = 0.0

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.p(0.99)


# Step ``step`` of client ``n`` on its own session: an error text, or None when it went well.
Request = Callable[[requests.Session, int, int], str | None]


def run_phase(name: str, clients: int, seconds: float, max_requests: int, request: Request, warm_up: str) -> Phase:
    """``clients`` threads on keep-alive sessions, each connected first (one unrecorded GET of ``warm_up``),
    then all at once for ``seconds`` or ``max_requests`` requests in all."""
    phase = Phase(name)
    budget = iter(range(max_requests))
    budget_lock = threading.Lock()
    start = threading.Barrier(clients)
    deadline: list[float] = []

    def client(n: int) -> None:
        with requests.Session() as http:
            http.headers.update(HEADERS)
            http.get(warm_up, timeout=REQUEST_TIMEOUT)
            start.wait()
            if n == 0:
                deadline.append(time.perf_counter() + seconds)
                phase.started = time.perf_counter()
            step = 0
            while True:
                with budget_lock:
                    if next(budget, None) is None or (deadline and time.perf_counter() >= deadline[0]):
                        return
                began = time.perf_counter()
                try:
                    error = request(http, n, step)
                except requests.RequestException as exc:
                    error = f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - began
                with phase.lock:
                    phase.latencies.append(elapsed)
                    if error:
                        phase.errors.append(error)
                step += 1

    threads = [threading.Thread(target=client, args=(n,), name=f"client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - phase.started
    return phase


def _checked(response: requests.Response) -> str | None:
    if response.ok:
        return None
    return f"HTTP {response.status_code}: {response.text[:200]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000, help="per phase")
    args = parser.parse_args()

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=serve, args=(child, args.clients), name="bench-servers")
    server.start()
    try:
        world: dict[str, Any] = parent.recv()
        crm, bare_url, deal_ids, (new, working) = world["crm"], world["bare"], world["deals"], world["stages"]
        made = [0] * args.clients

        def bare(http: requests.Session, _n: int, _step: int) -> str | None:
            return _checked(http.get(f"{bare_url}/bare", timeout=REQUEST_TIMEOUT))

        def deal_page(http: requests.Session, _n: int, _step: int) -> str | None:
            return _checked(http.get(f"{crm}/deals/{DEMO_DEAL_ID}", timeout=REQUEST_TIMEOUT))

        def stage_change(http: requests.Session, n: int, step: int) -> str | None:
            target = working if step % 2 == 0 else new
            url = f"{crm}/api/deals/{deal_ids[n]}/stage"
            response = http.post(url, json={"stage_id": target}, timeout=REQUEST_TIMEOUT)
            if response.ok and response.json().get("changed"):
                made[n] += 1
            return _checked(response)

        targets = (
            ("bare FastAPI", bare, f"{bare_url}/bare"),
            ("deal page", deal_page, f"{crm}/api/me"),
            ("stage change", stage_change, f"{crm}/api/me"),
        )
        phases = [
            run_phase(name, args.clients, args.seconds, args.max_requests, request, warm_up)
            for name, request, warm_up in targets
        ]
        with requests.Session() as http:
            http.headers.update(HEADERS)
            for n, deal_id in enumerate(deal_ids):
                log = http.get(f"{crm}/api/deals/{deal_id}/timeline", timeout=REQUEST_TIMEOUT).json()
                recorded = sum(1 for e in log if e["kind"] == "stage_changed")
                if recorded != made[n]:
                    phases[2].errors.append(f"deal {deal_id}: {made[n]} changes answered, {recorded} logged")
    finally:
        parent.send("stop")
        server.join(timeout=60)

    print(f"{args.clients} concurrent clients, {args.seconds:g} s per phase (at most {args.max_requests} requests)")
    print(f"{'':16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>8}")
    for phase in phases:
        rate = len(phase.latencies) / phase.seconds
        print(
            f"{phase.name:16}{len(phase.latencies):9d}{len(phase.errors):8d}"
            f"{phase.p50 * 1000:9.1f}{phase.p99 * 1000:9.1f}{rate:8.1f}"
        )
    base = phases[0]
    for phase in phases[1:]:
        print(f"{phase.name} / bare: p50 x{phase.p50 / base.p50:.1f}, p99 x{phase.p99 / base.p99:.1f}")
    for phase in phases:
        for error in sorted(set(phase.errors))[:5]:
            print(f"  {phase.name}: {error} (x{phase.errors.count(error)})")
    errors = sum(len(p.errors) for p in phases)
    ok = errors == 0 and phases[1].p99 / base.p99 <= GOAL_P99_RATIO
    print(f"goal: 0 errors, deal-page p99 within {GOAL_P99_RATIO:g}x the bare endpoint: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
