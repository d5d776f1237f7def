"""A 3-day delay must cost what an immediate send costs: no scenario waits for time to pass.

    .venv/bin/python -m bench.delay_cost [repeats]

Prints the median wall time of one scenario of each kind (run in turn) and their ratio (delayed / immediate).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys

from bench import stopwatch
from bench.stack import scenario, stack
from drivers.protocol import ContactSpec, ProcessSpec
from harness.world import Stand


def one(s: Stand, delayed: bool) -> float:
    started = stopwatch.seconds()  # not perf_counter: the stand keeps time frozen between scenarios
    with scenario(s) as (crm, clock):
        spec = ProcessSpec(funnel="Воронка 2", stage="В работе", service="Wazzup", channel="+7(937)000-00-01",
                           text="Здравствуйте!")  # fmt: skip
        if delayed:
            spec.when, spec.delay, spec.unit = "С задержкой", "3", "дни"
        assert crm.save_business_process(spec).saved
        deal = crm.create_deal("Воронка 2", "Новая", contacts=[ContactSpec(primary=True, phones=("+79998885522",))])
        crm.move_deal_to_stage(deal, "В работе")
        clock.advance(dt.timedelta(days=3) if delayed else dt.timedelta(0))
        assert [m.body for m in crm.timeline(deal) if m.title.startswith("Отправка")] == ["Статус: Отправлено"]
    return stopwatch.seconds() - started


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with stack() as s:
        one(s, False)  # warm up
        samples: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(repeats):  # in turn, so a load that comes and goes weighs on both kinds alike
            for delayed_kind in (False, True):
                samples[delayed_kind].append(one(s, delayed_kind))
        immediate, delayed = statistics.median(samples[False]), statistics.median(samples[True])
    print(f"immediate send scenario: {immediate * 1000:.1f} ms (median of {repeats})")
    print(f"3-day delayed scenario:  {delayed * 1000:.1f} ms (median of {repeats})")
    print(f"ratio delayed/immediate: {delayed / immediate:.2f}  (goal: at most 1.1; 3 days real = 259200 s)")


if __name__ == "__main__":
    main()
