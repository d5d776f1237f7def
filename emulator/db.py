"""Engine, sessions and the column types shared by the models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any, TypeVar, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Enum as SqlEnum,
    Result,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=Enum)


class Base(DeclarativeBase):
    pass


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, returns aware UTC, on every backend alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        aware = value.astimezone(dt.UTC)
        return dt.datetime(
            aware.year, aware.month, aware.day, aware.hour, aware.minute, aware.second, aware.microsecond
        )

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def enum_column(kind: type[E], length: int = 40) -> SqlEnum:
    """A column holding a closed vocabulary: stored as its value (``"delayed"``), read back as the enum."""
    return SqlEnum(
        kind,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def rowcount_of(result: Result[Any]) -> int:
    """Rows an UPDATE/DELETE touched (``Session.execute`` types every result as a plain ``Result``)."""
    return cast(CursorResult[Any], result).rowcount


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        # No cap on connections (max_overflow=-1): a SQLite connection is a file handle, and a capped
        # pool let requests that held connections wait for worker threads taken by requests waiting for
        # connections. Concurrency is bounded by emulator/request_slots.py instead.
        in_memory = make_url(database_url).database in (None, "", ":memory:")
        pool: dict[str, Any] = {} if in_memory else {"pool_size": 10, "max_overflow": -1}
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


class Database:
    """An engine plus its session factory."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.engine = make_engine(database_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def create_schema(self) -> None:
        from emulator import models  # noqa: F401  (registers the tables)

        Base.metadata.create_all(self.engine)

    def drop_schema(self) -> None:
        from emulator import models  # noqa: F401

        Base.metadata.drop_all(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A unit of work in Core statements alone (no ORM session to set up): commits on success, rolls back
        on error. ``self.sessions(bind=connection)`` joins it where the ORM is needed after all."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
