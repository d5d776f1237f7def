"""What each request of an API scenario costs the CRM itself: the server's time per endpoint.

    .venv/bin/python -m bench.request_cost [calls] [endpoint-substring]

On the suite's in-process world (harness/world.py: the CRM served by uvicorn in a thread, the fakes
behind ``responses``, the clock frozen), issues the requests an API scenario issues (the same calls, the
same bodies, on a deal with a business process through Default), and two pages of a browser scenario (the
deal's card and its live parts, read with the bearer token; not counted in the scenario's sums), ``calls``
times each (default 50; one more call of each first warms up and is not counted), one endpoint after the
other. A timing ASGI wrapper around the whole application (outside its middleware, inside uvicorn) takes
each request's server time: from the moment uvicorn hands it over until the last byte of the answer is
sent (a request the CRM receives meanwhile, such as a provider's webhook, counts in it). It excludes the
HTTP client and the socket, which the CRM does not control.

Prints per endpoint the median server time, the median round trip the client saw, the median CPU time of
this whole process during the call (client and CRM together: on a loaded machine wall time grows with the
load, CPU time much less) and the SQL statements the CRM executed; then the sums of the server and CPU
medians weighted by how many times one API scenario calls each endpoint. Compare runs back to back, not
against another day's figures. An optional second argument keeps only the endpoints whose label contains
it (e.g. ``deals``).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from starlette.types import ASGIApp, Receive, Scope, Send

from bench import stopwatch
from bench.stack import stack
from emulator.api.deal_schemas import ContactIn, DealCreate, PhoneIn
from emulator.api.process_schemas import ProcessIn
from emulator.client import CrmClient
from harness.clock import SCENARIO_START
from harness.world import CLIENT_PHONE, DEMO_FUNNEL, World
from mocks.demo import DEMO_DEFAULT_KEY


@dataclass
class ServerTimes:
    """Wraps the application: the server time of each request, in the order they finished. A request the
    CRM receives while it serves another (a provider's webhook during a connection) counts in that one."""

    app: ASGIApp
    taken: list[float] = field(default_factory=list)
    serving: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, nested = stopwatch.seconds(), self.serving > 0
        self.serving += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.serving -= 1
            if not nested:
                self.taken.append(stopwatch.seconds() - started)


@dataclass(frozen=True)
class Endpoint:
    label: str
    per_scenario: float  # how many times one API scenario calls it
    call: Callable[[], Any]
    before: Callable[[], Any] | None = None  # what each call needs first (not counted)


def endpoints(world: World) -> list[Endpoint]:
    """The requests of an API scenario, on a deal that has a business process through Default."""
    client: CrmClient = world.client
    for fake in world.local_fakes.all():
        fake.rate_limit = None  # one frozen instant: a rate window would count every call at once
    client.connect("default", DEMO_DEFAULT_KEY)
    process_id = world.process("default", text="Здравствуйте, [Имя клиента#2001]!")
    funnel, new, working = (
        world.funnel(DEMO_FUNNEL),
        world.stage(DEMO_FUNNEL, "Новая"),
        world.stage(DEMO_FUNNEL, "В работе"),
    )
    deal_body = DealCreate(
        funnel_id=funnel,
        stage_id=new,
        client_name="Иван Клиентов",
        contacts=[ContactIn(name="Контакт 0", is_primary=True, phones=[PhoneIn(value=CLIENT_PHONE)])],
    )
    deal_id = client.create_deal(deal_body).id
    client.change_stage(deal_id, working)
    client.run_due()
    saved = client.process(process_id)
    process_body = ProcessIn(
        stage_id=saved.stage_id,
        provider=saved.provider,
        channel_id=saved.channel.id if saved.channel else None,
        recipient_rule=saved.recipient_rule,
        text=saved.text,
    )
    stages = [new, working]

    def change_stage() -> None:
        stages.reverse()
        client.change_stage(deal_id, stages[0])

    def create_process() -> None:
        client.create_process(process_body)

    def one_run_due() -> None:
        client.change_stage(deal_id, new)
        client.change_stage(deal_id, working)

    def page(path: str) -> Callable[[], Any]:
        """A page read with the API's bearer token (as the API driver opens a deal's link)."""

        def read() -> None:
            answer = client.session.get(f"{client.base_url}{path}", headers={"Authorization": f"Bearer {client.token}"})
            answer.raise_for_status()

        return read

    # Reads first, on a deal with one message sent; then the writes, which add to what the reads would read.
    return [
        Endpoint("GET /api/business-processes/editor-options", 3, client.editor_options),
        Endpoint("GET /api/deals/{id}", 2, lambda: client.deal(deal_id)),
        Endpoint("GET /api/integrations", 1, client.integrations),
        Endpoint("GET /api/funnels", 1, client.funnels),
        Endpoint("GET /api/integrations/default", 1, lambda: client.integration("default")),
        Endpoint("GET /api/deals/{id}/dialogs", 1, lambda: client.dialogs(deal_id)),
        Endpoint("GET /api/deals/{id}/timeline", 1, lambda: client.timeline(deal_id)),
        Endpoint("GET /api/deals/{id}/runs", 1, lambda: client.runs(deal_id)),
        Endpoint("GET /_control/scheduler/next-due", 1, client.next_due),
        # Pages: an API scenario opens none, a browser scenario the deal's card, then polls its live parts.
        Endpoint("GET /deals/{id} (page)", 0, page(f"/deals/{deal_id}")),
        Endpoint("GET /deals/{id}/live (page)", 0, page(f"/deals/{deal_id}/live")),
        Endpoint("POST /api/deals/{id}/stage", 1, change_stage),
        # One run due (the deal left the stage and entered it again), executed: one message sent.
        Endpoint("POST /_control/scheduler/run-due", 2.5, client.run_due, before=one_run_due),
        Endpoint("POST /api/integrations/wazzup/channels/sync", 1, lambda: client.sync_channels("wazzup")),
        Endpoint(
            "POST /api/integrations/default/connect",
            1,
            lambda: client.connect("default", DEMO_DEFAULT_KEY),
            before=lambda: client.disconnect("default"),
        ),
        Endpoint("POST /api/deals", 1, lambda: client.create_deal(deal_body)),
        Endpoint("POST /api/business-processes", 1, create_process),
        # At the scenarios' instant, as the suite resets (the demo rows' template is kept per instant).
        Endpoint(
            "POST /_control/reset",
            1,
            lambda: client.reset(with_processes=False),
            before=lambda: world.clock.mover.move_to(SCENARIO_START),
        ),
    ]


@dataclass
class Statements:
    """Counts the SQL statements the CRM's engine executes."""

    count: int = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1


def measure(
    times: ServerTimes, statements: Statements, endpoint: Endpoint, calls: int
) -> tuple[float, float, float, float]:
    """(median server time, median round trip, median CPU time of this process, median SQL statements)
    of ``calls`` calls, after one call that warms up."""
    if endpoint.before is not None:
        endpoint.before()
    endpoint.call()
    server, round_trip, cpu, queries = [], [], [], []
    for _ in range(calls):
        if endpoint.before is not None:
            endpoint.before()
        before, counted = len(times.taken), statements.count
        started, cpu_started = stopwatch.seconds(), time.process_time()
        endpoint.call()
        round_trip.append(stopwatch.seconds() - started)
        cpu.append(time.process_time() - cpu_started)
        server.append(sum(times.taken[before:]))
        queries.append(statements.count - counted)
    medians = (statistics.median(server), statistics.median(round_trip), statistics.median(cpu))
    return (*medians, statistics.median(queries))


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    with stack() as stand:
        server = stand.server
        app = server.app if server is not None else None
        if server is None or app is None or app.middleware_stack is None:
            raise SystemExit("needs the in-process CRM, started")
        # Outside every middleware of the app (Starlette calls whatever middleware_stack holds).
        times = ServerTimes(app.middleware_stack)
        app.middleware_stack = times
        statements = Statements()
        event.listen(server.database.engine, "before_cursor_execute", statements)
        weighted, weighted_cpu = 0.0, 0.0
        heading = f"{'endpoint':46} {'server ms':>9} {'round trip ms':>13} {'CPU ms':>7} {'SQL':>5}"
        print(f"{heading}  (medians of {calls} calls)")
        with stand.scenario() as world:
            for endpoint in [e for e in endpoints(world) if only in e.label]:
                taken, trip, cpu, queries = measure(times, statements, endpoint, calls)
                weighted += endpoint.per_scenario * taken
                weighted_cpu += endpoint.per_scenario * cpu
                print(f"{endpoint.label:46} {taken * 1000:9.2f} {trip * 1000:13.2f} {cpu * 1000:7.2f} {queries:5.0f}")
        print(
            f"one API scenario's requests (weighted sums of the medians): server {weighted * 1000:.1f} ms, "
            f"CPU {weighted_cpu * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
