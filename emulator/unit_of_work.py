"""A request's unit of work: one database session per request, opened by whoever needs it first.

The route classes identify the caller from the headers before FastAPI reads the body
(``api/bearer_route.py``, ``web/page_route.py``). They read the user in the request's own session and end
that read at once (its connection goes back to the pool while the request waits for its turn), so the
handler's dependencies find the same user there: no second session, no second lookup. The session
dependencies then hand out that session and end the unit of work after the handler: committed before the
answer leaves, rolled back on error, closed either way (as :meth:`emulator.db.Database.session` does).

The dependencies are coroutines: opening a session touches no database, so only its end (commit or
rollback, which may) goes to a worker thread, and only when the session began a transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from emulator.db import Database
from emulator.models import User

T = TypeVar("T")
_SESSION = "unit_of_work"
_USER = "signed_in_user"


def session_of(request: Request) -> Session:
    """The request's session, opened now if nothing opened it yet (no connection until it is used)."""
    session: Session | None = getattr(request.state, _SESSION, None)
    if session is None:
        database: Database = request.app.state.database
        session = database.sessions()
        setattr(request.state, _SESSION, session)
    return session


def read_first(request: Request, read: Callable[[Session], T]) -> T:
    """``read`` in the request's session, before the request's turn (in a worker thread). Its transaction
    ends at once, giving the connection back; what it read stays in the session (which does not expire
    objects on commit) for the handler."""
    session = session_of(request)
    try:
        result = read(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def remember_user(request: Request, user: User | None) -> None:
    """Who the route class found behind the request's credentials (a user of the request's session)."""
    setattr(request.state, _USER, user)


def remembered_user(request: Request) -> tuple[bool, User | None]:
    """(whether the route class identified the caller, the user it found)."""
    if not hasattr(request.state, _USER):
        return False, None
    user: User | None = getattr(request.state, _USER)
    return True, user


def commit_now(request: Request) -> None:
    """Ends the request's unit of work in this thread (a worker's), before the answer is built
    (api/worker_trip.py): committed, or rolled back and the error raised. The dependency that opened it
    then finds no transaction and only closes the session."""
    session: Session | None = getattr(request.state, _SESSION, None)
    if session is not None and session.in_transaction():
        _commit_or_roll_back(session)


def _commit_or_roll_back(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _commit(session: Session) -> None:
    with session:
        _commit_or_roll_back(session)


def _roll_back(session: Session) -> None:
    with session:
        session.rollback()


@asynccontextmanager
async def unit_of_work(request: Request) -> AsyncIterator[Session]:
    """The request's session, committed at the end of the block (rolled back when the block raised)."""
    session = session_of(request)
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_roll_back, session)
        raise
    if session.in_transaction():
        await run_in_threadpool(_commit, session)
    else:
        session.close()  # nothing began: nothing to end, no connection to give back
