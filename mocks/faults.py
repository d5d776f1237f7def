"""Injected failures: what kind, how often, and for which requests.

Kinds and what the client sees (in-process ``responses`` mount / standalone app):

- ``timeout``: the request never reached the provider (not processed, not in the outbox); in-process the
  client gets ``requests.exceptions.ConnectTimeout`` -- the only timeout that proves "never reached".
  Standalone the server holds the connection ``seconds`` (default 60) and then drops it unanswered.
- ``lost_answer``: the provider processed (and maybe accepted) the request, the answer was lost; the client
  gets ``ReadTimeout``. Standalone: processed, then held ``seconds`` (default 60) and dropped.
- ``connection_refused``: provably never left; ``ConnectionError`` wrapping urllib3 ``NewConnectionError``.
- ``connection_reset``: reset before the provider read the request (not processed); ``ConnectionError``
  wrapping ``ProtocolError("Connection aborted.", ConnectionResetError(104, ...))``.
- ``status``: answer ``status`` with ``body`` (default: the provider's own error body) and ``headers``
  instead of processing.
- ``rate_limit``: HTTP 429 in the provider's error format with ``Retry-After: retry_after`` (default 1),
  not processed.
- ``malformed``: processed (the message may have been accepted), answered with the provider's own status
  but a body cut in half: not JSON (a truncated answer, a proxy that broke it).
- ``slow``: processed, answered after ``seconds``. In-process nothing sleeps: if ``seconds`` >= the
  client's read timeout the client gets ``ReadTimeout`` (the message was accepted), else the answer.
- ``processing``: the provider is still processing the request when the client gives up (a read
  timeout); for ``seconds`` (default 30) it has no answer yet. A provider that tracks requests in
  progress (Default) answers a repeat with the same key 409 meanwhile; the others treat it as
  ``lost_answer``.

In-process, waiting costs scenario time: the mount moves the frozen clock by the client's timeout for
a timeout or a lost answer, and by ``seconds`` for a slow answer.

``method``/``path`` (relative to the base URL, e.g. ``POST`` + ``/message``) restrict a fault to matching
requests; ``times=None`` makes it persistent. The oldest matching fault wins.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ConfigDict

FAULT_KINDS = frozenset(
    {
        "timeout",
        "lost_answer",
        "connection_refused",
        "connection_reset",
        "status",
        "rate_limit",
        "slow",
        "processing",
        "malformed",
    }
)
DEFAULT_HOLD_SECONDS = 60.0


@dataclass
class Fault:
    """One planned failure; ``times`` None means "until cleared"."""

    # The control API validates request bodies straight into this class: unknown fields are refused.
    __pydantic_config__ = ConfigDict(extra="forbid")

    kind: str
    times: int | None = 1
    method: str | None = None
    path: str | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    retry_after: int = 1
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be >= 1 (or None for a persistent fault)")
        if self.kind == "status" and (self.status is None or not 100 <= self.status <= 599):
            raise ValueError("a 'status' fault needs status=<100..599>")
        if self.kind == "slow" and (self.seconds is None or self.seconds < 0):
            raise ValueError("a 'slow' fault needs seconds=<float >= 0>")
        if self.retry_after < 0:
            raise ValueError("retry_after must be >= 0")
        if self.method is not None:
            self.method = self.method.upper()
        if self.path is not None:
            self.path = "/" + self.path.strip("/")

    @classmethod
    def build(cls, kind: str, times: int | None, params: Mapping[str, Any]) -> Fault:
        """A fault from ``fail_next``-style keyword parameters; unknown parameters are an error."""
        allowed = {"method", "path", "status", "body", "headers", "retry_after", "seconds"}
        unknown = set(params) - allowed
        if unknown:
            raise ValueError(f"unknown fault parameters {sorted(unknown)}; allowed: {sorted(allowed)}")
        return cls(kind=kind, times=times, **params)

    @property
    def hold_seconds(self) -> float:
        """How long the standalone mount holds a timed-out connection."""
        return DEFAULT_HOLD_SECONDS if self.seconds is None else self.seconds

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path == "/" + path.strip("/")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the control API's wire form)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """The inverse of ``to_json`` (missing keys take their defaults)."""
        return cls(**dict(data))


class FaultPlan:
    """The pending faults of one fake, consumed in order."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Plan a fault after the ones already planned."""
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any; one-shot faults are used up."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
            return None

    @property
    def pending(self) -> list[Fault]:
        """Faults still planned (copies' references; do not mutate)."""
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        """Drop every planned fault."""
        with self._lock:
            self._faults.clear()
