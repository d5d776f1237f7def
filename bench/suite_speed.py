"""The whole suite's wall time with two workers and with one, and their ratio.

    .venv/bin/python -m bench.suite_speed [workers ...]     # default: 2 1
    .venv/bin/python -m bench.suite_speed 2 -- tests/acceptance   # after --: what pytest runs

Runs ``pytest -n N`` over the suite (what scripts/test.sh runs, Allure results into a temporary
directory) once per worker count, in turn, and prints each wall time, the number of tests, and the ratio
of each run to the one with one worker. A run that does not pass is reported as such: its time is no figure.
Goals (issue 13): ``-n 2`` at most 60 s on the 2-core CI machine, and at most 0.6 x ``-n 1``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"(\d+) passed")
# As scripts/test.sh runs pytest: bytecode written (PYTHONDONTWRITEBYTECODE would make every worker parse and
# assertion-rewrite the suite at each start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(workers: int, selection: list[str]) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as allure_dir:
        args = [sys.executable, "-m", "pytest", "-n", str(workers), "-q", f"--alluredir={allure_dir}", *selection]
        started = time.monotonic()
        done = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
        elapsed = time.monotonic() - started
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    found = SUMMARY.search(last)
    print(f"-n {workers}: {elapsed:7.1f} s  exit {done.returncode}  {last}", flush=True)
    return elapsed, done.returncode, int(found.group(1)) if found else 0


def main() -> None:
    argv = sys.argv[1:]
    selection = argv[argv.index("--") + 1 :] if "--" in argv else []
    counts = [int(a) for a in (argv[: argv.index("--")] if "--" in argv else argv)] or [2, 1]
    # Bytecode written first (a collection), so that no measured run pays for writing it and the others not.
    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *selection], cwd=ROOT, env=ENV,
                   capture_output=True, check=False)  # fmt: skip
    results = {workers: run(workers, selection) for workers in counts}
    for workers, (_, code, _) in results.items():
        if code != 0:
            print(f"-n {workers} did not pass (exit {code}): its time is not a figure")
    if 1 in results:
        for workers, (elapsed, _, tests) in results.items():
            print(f"-n {workers}: {elapsed:7.1f} s for {tests} tests, {elapsed / results[1][0]:5.2f} x -n 1")
    print("goals: -n 2 at most 60 s; -n 2 at most 0.6 x -n 1")


if __name__ == "__main__":
    main()
