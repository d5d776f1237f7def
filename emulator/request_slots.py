"""How many requests are at work at once; the others wait their turn on the event loop, not in a thread.

FastAPI runs a sync route in anyio's worker threads (40 by default), one call at a time: the
dependencies, the route, the validation of its answer. The request's unit of work commits only after
that validation, which needs a free worker. Under 45-50 concurrent stage changes every worker was taken
by requests parked in SQLite's busy handler (waiting for the write lock) or in the connection pool,
while the request that held the write lock waited for a worker to validate its answer and commit:
nothing moved until SQLite's 30 s timeout failed them ("database is locked"). So:

- every request takes one of fewer slots than there are workers: whoever holds a connection or the
  write lock always finds a worker to finish;
- on SQLite, which takes one writer at a time, a request that may write (any method but GET, HEAD and
  OPTIONS) first takes one of :data:`SQLITE_WRITER_SLOTS`: writers queue here in arrival order instead
  of in SQLite's busy handler, whose sleeps of up to 100 ms let late arrivals overtake those waiting
  (seconds of tail latency under 50 writers). Provider webhooks are left out of that queue: a provider
  may call one while the CRM's own request to it (connecting, sending) holds a writer slot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Request

# Workers kept free of admitted requests: for the request that holds the lock, the exits of units of
# work, static files and whatever else of the server runs in a thread.
RESERVED_WORKERS = 8
SQLITE_WRITER_SLOTS = 4
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WEBHOOKS_PREFIX = "/api/webhooks/"

# One pair of semaphores per event loop (a test client may run several in turn).
_requests: RunVar[anyio.Semaphore] = RunVar("crm_request_slots")
_writers: RunVar[anyio.Semaphore] = RunVar("crm_sqlite_writer_slots")


def request_slot_count() -> int:
    """Requests at work at once (inside the event loop): the worker threads minus the reserve."""
    workers = int(anyio.to_thread.current_default_thread_limiter().total_tokens)
    return max(1, workers - RESERVED_WORKERS)


def _semaphore(slots: RunVar[anyio.Semaphore], size: int) -> anyio.Semaphore:
    try:
        return slots.get()
    except LookupError:
        semaphore = anyio.Semaphore(size)
        slots.set(semaphore)
        return semaphore


def _may_write_to_sqlite(request: Request) -> bool:
    if request.method in READ_METHODS or request.url.path.startswith(WEBHOOKS_PREFIX):
        return False
    return bool(request.app.state.database.engine.dialect.name == "sqlite")


async def request_slot(request: Request) -> AsyncIterator[None]:
    """The app's first dependency: held from before the unit of work opens until after it commits.
    A writer's slot is taken before the request slot (always in this order: no cycle)."""
    async with AsyncExitStack() as slots:
        if _may_write_to_sqlite(request):
            await slots.enter_async_context(_semaphore(_writers, SQLITE_WRITER_SLOTS))
        await slots.enter_async_context(_semaphore(_requests, request_slot_count()))
        yield
