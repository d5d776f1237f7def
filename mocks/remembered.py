"""Answers of a pure function, kept per key: what the fakes' contract checks compute once and look up after."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()


class Remembered(Generic[V]):
    """``get(key, compute)``: ``compute()``'s answer for ``key``, computed the first time only.

    Safe to share between threads (two threads may both compute a missing answer; either is kept). With a
    ``limit``, the oldest answer is forgotten first when it is reached. An exception from ``compute`` is
    raised and nothing is kept."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit
        self._answers: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        found = self._answers.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        answer = compute()
        with self._lock:
            if self._limit is not None and len(self._answers) >= self._limit:
                del self._answers[next(iter(self._answers))]
            self._answers[key] = answer
        return answer
