"""When to try a failed send again: the S2 schedule (10 s ... 5 h), Retry-After, idempotency windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

RETRY_DELAYS_SECONDS: tuple[int, ...] = (10, 30, 60, 120, 180, 240, 600, 3600, 7200, 18000)
MAX_ATTEMPTS = len(RETRY_DELAYS_SECONDS) + 1


class GiveUp(Enum):
    """Why no further attempt is made."""

    ATTEMPTS_EXHAUSTED = "attempts_exhausted"  # the schedule is used up
    PROVIDER_FORGETS = "provider_forgets"  # a retry would come after the provider stops deduplicating


@dataclass(frozen=True)
class Decision:
    next_attempt_at: dt.datetime | None  # None: give up
    give_up: GiveUp | None = None
    give_up_reason: str | None = None  # shown to the user


def after_transient_failure(
    attempts: int,
    now: dt.datetime,
    retry_after: float | None = None,
    not_after: dt.datetime | None = None,
    ambiguous: bool = False,
) -> Decision:
    """``attempts`` made so far (>= 1). Retry-After stretches the wait, never shortens it.

    ``ambiguous``: the provider may have received the message; giving up then says "статус неизвестен"
    (the CRM cannot tell the user it failed), else the last reason with the number of attempts.
    """
    if attempts >= MAX_ATTEMPTS:
        if ambiguous:
            return Decision(None, GiveUp.PROVIDER_FORGETS, "статус неизвестен")
        return Decision(None, GiveUp.ATTEMPTS_EXHAUSTED, f"попыток: {attempts}")
    wait = float(RETRY_DELAYS_SECONDS[attempts - 1])
    if retry_after is not None:
        wait = max(wait, retry_after)
    next_at = now + dt.timedelta(seconds=wait)
    if not_after is not None and next_at >= not_after:  # at the very edge the provider may have forgotten
        return Decision(None, GiveUp.PROVIDER_FORGETS, "статус неизвестен")
    return Decision(next_at)
