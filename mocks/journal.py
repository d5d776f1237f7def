"""The journal: every API request a fake received, in order, with what it answered."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from requests.structures import CaseInsensitiveDict

from mocks.wire import FakeRequest, FakeResponse


@dataclass(frozen=True)
class JournalEntry:
    """One request as the fake saw it, and the answer it produced (status None: no answer was produced)."""

    provider: str
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    json: Any
    body: str
    status: int | None
    response: Any
    fault: str | None
    outcome: str
    time: datetime
    response_headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        provider: str,
        request: FakeRequest,
        response: FakeResponse,
        fault: str | None,
        time: datetime,
        processed: bool,
    ) -> JournalEntry:
        """An entry for ``request``; ``processed`` False means the provider never produced an answer."""
        return cls(
            provider=provider,
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=CaseInsensitiveDict(dict(request.headers)),
            json=request.json,
            body=request.body.decode("utf-8", errors="replace"),
            status=response.status if processed else None,
            response=response.json if processed else None,
            fault=fault,
            outcome=str(response.outcome),
            time=time,
            response_headers=dict(response.headers) if processed else {},
        )

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively."""
        return CaseInsensitiveDict(dict(self.headers)).get(name)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the control API's wire form)."""
        return {
            "provider": self.provider,
            "method": self.method,
            "path": self.path,
            "query": dict(self.query),
            "headers": dict(self.headers),
            "json": self.json,
            "body": self.body,
            "status": self.status,
            "response": self.response,
            "fault": self.fault,
            "outcome": self.outcome,
            "time": self.time.isoformat(),
            "response_headers": dict(self.response_headers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JournalEntry:
        """The inverse of ``to_json``."""
        return cls(
            provider=data["provider"],
            method=data["method"],
            path=data["path"],
            query=dict(data["query"]),
            headers=CaseInsensitiveDict(dict(data["headers"])),
            json=data["json"],
            body=data["body"],
            status=data["status"],
            response=data["response"],
            fault=data["fault"],
            outcome=data["outcome"],
            time=datetime.fromisoformat(data["time"]),
            response_headers=dict(data.get("response_headers", {})),
        )


def _matches(entry: JournalEntry, method: str | None, path: str | None, status: int | None) -> bool:
    if method is not None and entry.method != method.upper():
        return False
    if path is not None and entry.path != "/" + path.lstrip("/"):
        return False
    return status is None or entry.status == status


class JournalQueries(ABC):
    """The queries every journal answers, from its ``entries`` and ``filter`` (in-process or remote)."""

    @property
    @abstractmethod
    def entries(self) -> list[JournalEntry]:
        """All entries, oldest first."""

    @abstractmethod
    def filter(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[JournalEntry]:
        """Entries matching every given criterion (path relative to the base URL, e.g. ``/message``)."""

    def count(self, method: str | None = None, path: str | None = None, status: int | None = None) -> int:
        """How many entries match."""
        return len(self.filter(method, path, status))

    def last(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> JournalEntry | None:
        """The newest matching entry, or None."""
        found = self.filter(method, path, status)
        return found[-1] if found else None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries)


class Journal(JournalQueries):
    """An ordered, thread-safe record of requests."""

    def __init__(self, entries: list[JournalEntry] | None = None) -> None:
        self._entries: list[JournalEntry] = list(entries or [])
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        """Append an entry."""
        with self._lock:
            self._entries.append(entry)

    @property
    def entries(self) -> list[JournalEntry]:
        """All entries, oldest first (a copy)."""
        with self._lock:
            return list(self._entries)

    def filter(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[JournalEntry]:
        """Entries matching every given criterion (path relative to the base URL, e.g. ``/message``)."""
        return [entry for entry in self.entries if _matches(entry, method, path, status)]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
