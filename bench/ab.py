"""A benchmark on two revisions, alternated: the figure of each run, and the median of the pairs' ratios.

    .venv/bin/python -m bench.ab [--base REV] [--pairs N] [--figure REGEX] -- <bench module> [its arguments]
    .venv/bin/python -m bench.ab --base 805a02a --pairs 4 -- bench.scenario_cost 6 api

A shared machine's speed drifts by tens of percent within minutes (a virtual machine's neighbours), so a
figure measured at one moment does not compare with one measured at another. This runs the benchmark on
the base revision (default ``HEAD~1``, checked out in a temporary git worktree) and on the working tree,
one after the other, ``N`` times (default 3), in the order base-work, work-base, base-work, ... so that a
drift during the session favours neither side. Each run is a new process with this interpreter, its working
directory the revision's tree (so it imports that revision's code). The figure read from each run is the
first match of ``--figure`` (one group, a number), or the benchmark's own headline figure:

- ``bench.scenario_cost``: the first scenario kind's median (ms);
- ``bench.request_cost``: the weighted server time of one API scenario's requests (ms);
- ``bench.throughput``: the engine's deals/s;
- ``bench.delay_cost``: delayed / immediate;
- ``bench.due_lookup``: the due-scan ratio;
- ``bench.suite_speed``: the first run's wall time (s).

Prints every pair, the median of work/base over the pairs and, for each side, the median, the lowest and
the highest figure (the best run, the least disturbed by the neighbours, is the lowest of a time and the
highest of a rate). A run that prints no figure stops the comparison with its output.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = {
    "bench.scenario_cost": r"scenario: median\s+([\d.]+) ms",
    "bench.request_cost": r"server ([\d.]+) ms",
    "bench.throughput": r"engine \(runs due -> all sent\):\s+([\d.]+) deals/s",
    "bench.delay_cost": r"ratio delayed/immediate:\s+([\d.]+)",
    "bench.due_lookup": r"ratio:\s+([\d.]+)",
    "bench.suite_speed": r"-n \d+:\s+([\d.]+) s",
}


@dataclass(frozen=True)
class Plan:
    base: str
    pairs: int
    figure: str
    command: list[str]


def parse(argv: Sequence[str]) -> Plan:
    """The options before ``--`` and the benchmark after it; the benchmark's headline unless ``--figure``."""
    if "--" not in argv:
        raise SystemExit("usage: python -m bench.ab [--base REV] [--pairs N] [--figure REGEX] -- <bench module> ...")
    split = list(argv).index("--")
    options, command = list(argv[:split]), list(argv[split + 1 :])
    if not command:
        raise SystemExit("name the benchmark after --, e.g. bench.throughput 300")
    values = {"--base": "HEAD~1", "--pairs": "3", "--figure": HEADLINES.get(command[0], "")}
    while options:
        name = options.pop(0)
        if name not in values or not options:
            raise SystemExit(f"unknown option or missing value: {name}")
        values[name] = options.pop(0)
    if not values["--figure"]:
        raise SystemExit(f"{command[0]} has no known headline figure: pass --figure REGEX (one group)")
    if re.compile(values["--figure"]).groups != 1:
        raise SystemExit("--figure needs exactly one group, the number")
    pairs = int(values["--pairs"])
    if pairs < 1:
        raise SystemExit("--pairs must be at least 1")
    return Plan(values["--base"], pairs, values["--figure"], command)


def order(pairs: int) -> list[tuple[str, str]]:
    """base-work, work-base, ...: each side goes first as often as the other (a drift favours neither)."""
    return [("base", "work") if n % 2 == 0 else ("work", "base") for n in range(pairs)]


def figure_of(output: str, pattern: str) -> float | None:
    found = re.search(pattern, output)
    return float(found.group(1)) if found else None


def summary(figures: dict[str, list[float]]) -> list[str]:
    """The median of work/base over the pairs, and each side's median and extremes (the best run is the
    lowest of a time, the highest of a rate)."""
    ratios = [work / base for base, work in zip(figures["base"], figures["work"], strict=True) if base]
    lines = [f"work/base, median of {len(ratios)} pairs: {statistics.median(ratios):.3f}"]
    for side in ("base", "work"):
        values = figures[side]
        lines.append(
            f"{side}: median {statistics.median(values):.2f}, lowest {min(values):.2f}, highest {max(values):.2f}"
        )
    return lines


def _run(tree: Path, command: list[str]) -> str:
    done = subprocess.run([sys.executable, "-m", *command], cwd=tree, capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def main() -> None:
    plan = parse(sys.argv[1:])
    revision = subprocess.run(
        ["git", "rev-parse", "--short", plan.base], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as scratch:
        base_tree = Path(scratch) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(base_tree), revision], cwd=ROOT, check=True
        )
        try:
            trees = {"base": base_tree, "work": ROOT}
            figures: dict[str, list[float]] = {"base": [], "work": []}
            print(f"base {revision} (worktree), work {ROOT} (working tree): {' '.join(plan.command)}", flush=True)
            for n, sides in enumerate(order(plan.pairs), 1):
                for side in sides:
                    output = _run(trees[side], plan.command)
                    value = figure_of(output, plan.figure)
                    if value is None:
                        raise SystemExit(f"{side}: no figure matching {plan.figure!r} in its output:\n{output[-3000:]}")
                    figures[side].append(value)
                print(f"pair {n}: base {figures['base'][-1]:.2f}  work {figures['work'][-1]:.2f}", flush=True)
            for line in summary(figures):
                print(line)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
