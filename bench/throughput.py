"""Engine throughput: deals entering a stage with three processes (I2CRM, Wazzup, Default) each.

    .venv/bin/python -m bench.throughput [deals]

On the suite's in-process world (SQLite, fakes behind ``responses``, frozen clock): the deals enter
«В работе» through the REST API, then the scheduler executes every run and sends every message.
Prints deals/s and messages/s of the engine alone (runs due -> every message sent) and end to end
(the stage changes included). Goal: at least 200 deals/s for the engine.
"""

from __future__ import annotations

import sys

from bench import stopwatch
from bench.stack import stack


def main() -> None:
    deals = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with stack() as stand, stand.scenario() as world:
        for provider in ("i2crm", "wazzup", "default"):
            world.process(provider)
        for fake in world.local_fakes.all():
            fake.rate_limit = None  # one frozen instant: a rate window would count every request at once
        stage = world.stage("Воронка 2", "В работе")
        ids = [world.deal() for _ in range(deals)]
        started = stopwatch.seconds()
        for deal_id in ids:
            world.client.change_stage(deal_id, stage)
        entered = stopwatch.seconds()
        # The engine itself, in this process (no HTTP round trip whose client timeout a loaded machine hits).
        world.scheduler.run_due()
        done = stopwatch.seconds()
        sent = sum(len(fake.outbox) for fake in world.local_fakes.all())
    assert sent == 3 * deals, f"expected {3 * deals} messages, the fakes accepted {sent}"
    engine, total = done - entered, done - started
    print(f"{deals} deals x 3 processes, {sent} messages")
    print(f"engine (runs due -> all sent): {deals / engine:7.1f} deals/s  {sent / engine:7.1f} messages/s")
    print(f"end to end (stage changes too): {deals / total:7.1f} deals/s  {sent / total:7.1f} messages/s")
    print("goal: engine at least 200 deals/s")


if __name__ == "__main__":
    main()
