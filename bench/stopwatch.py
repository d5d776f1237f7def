"""Wall time for the benchmarks that freezegun cannot freeze (it patches perf_counter and monotonic,
not clock_gettime), so a stopwatch works inside a frozen scenario too."""

from __future__ import annotations

import time


def seconds() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)
