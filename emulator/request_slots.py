"""A bounded number of requests at work at once; the rest wait on the event loop, not in a worker thread.

FastAPI runs a sync route in anyio's worker threads (40 by default), one call at a time: the
dependencies, the route, the validation of its answer. The request's unit of work commits only after
that validation, which needs a free worker. Under load every worker was taken by requests parked in
SQLite's busy handler (waiting for the write lock) or in the connection pool, while the request that
held the write lock waited for a worker to validate its answer and commit: nothing moved until
SQLite's 30 s timeout failed them ("database is locked"). Admitting fewer requests than there are
workers keeps some workers free, so whoever holds a connection or the write lock always finishes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

# Workers kept free of admitted requests: for the request that holds the lock, the exits of units of
# work, static files and whatever else of the server runs in a thread.
RESERVED_WORKERS = 8

_slots: RunVar[anyio.Semaphore] = RunVar("crm_request_slots")


def slot_count() -> int:
    """Admitted requests at once (inside the event loop): the worker threads minus the reserve."""
    workers = int(anyio.to_thread.current_default_thread_limiter().total_tokens)
    return max(1, workers - RESERVED_WORKERS)


async def request_slot() -> AsyncIterator[None]:
    """The app's first dependency: held from before the unit of work opens until after it commits."""
    try:
        slots = _slots.get()
    except LookupError:  # one semaphore per event loop (a test client may run several in turn)
        slots = anyio.Semaphore(slot_count())
        _slots.set(slots)
    async with slots:
        yield
