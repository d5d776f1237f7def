"""Row ids as both databases hold them, and looking a row up by an id that came from outside.

Every id column is an ``Integer``: 64 bits on SQLite, but PostgreSQL's ``integer`` (32 bits) — the
narrower one bounds what an id can be. An id outside 1..2^31-1 names no row on either backend, so it
is simply "not found"; it is never sent to the database (SQLite's driver overflows above 2^63 and
PostgreSQL refuses above 2^31 with an error, both of which were 500s).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

MIN_ROW_ID = 1
MAX_ROW_ID = 2**31 - 1  # PostgreSQL's ``integer``

Row = TypeVar("Row")


def storable(ident: object) -> bool:
    """Whether ``ident`` is an id some row could have."""
    return isinstance(ident, int) and not isinstance(ident, bool) and MIN_ROW_ID <= ident <= MAX_ROW_ID


def get(
    session: Session,
    model: type[Row],
    ident: object,
    options: Sequence[ORMOption] = (),
    *,
    populate_existing: bool = False,
) -> Row | None:
    """``session.get`` for an id from a request: an id no row can have finds nothing, without a query.
    ``options`` and ``populate_existing`` as ``session.get`` takes them (what to load with the row; read
    it again even when the session holds it)."""
    if not storable(ident):
        return None
    return session.get(model, ident, options=options, populate_existing=populate_existing)


def parse(raw: str) -> int | None:
    """An id typed into a form: plain ASCII digits that some row could have, else None."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    ident = int(text)
    return ident if storable(ident) else None
