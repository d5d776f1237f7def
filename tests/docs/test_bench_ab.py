"""bench/ab.py: a benchmark on two revisions, alternated, compared pair by pair."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import ab

ROOT = Path(__file__).resolve().parents[2]

# Last lines the benchmarks printed in this kit's own runs (the oracle: what a person reads as the figure).
PRINTED = {
    "bench.scenario_cost": (
        "api      scenario: median    79.0 ms (CPU   76.7 ms) over  30 runs;  reset  13%  http  58%  engine  11%",
        79.0,
    ),
    "bench.request_cost": (
        "one API scenario's requests (weighted sums of the medians): server 60.3 ms, CPU 62.7 ms",
        60.3,
    ),
    "bench.throughput": (
        "300 deals x 3 processes, 900 messages\nengine (runs due -> all sent):   206.3 deals/s    619.0 messages/s\n"
        "end to end (stage changes too):   114.7 deals/s    344.2 messages/s",
        206.3,
    ),
    "bench.delay_cost": (
        "3-day delayed scenario:  37.8 ms (median of 15)\nratio delayed/immediate: 1.04  (goal: at most 1.1)",
        1.04,
    ),
    "bench.due_lookup": ("idle run_due with 100000 pending runs:  0.74 ms\nratio: 1.00  (target: at most 2)", 1.0),
    "bench.suite_speed": (
        "-n 2:   128.0 s  exit 0  1483 passed, 197 skipped in 125.50s (0:02:05)\n-n 1:   198.3 s  exit 0",
        128.0,
    ),
}


@pytest.mark.parametrize("module", sorted(PRINTED))
def test_each_benchmarks_headline_is_read_from_what_it_prints(module: str) -> None:
    printed, figure = PRINTED[module]
    plan = ab.parse(["--", module])
    assert ab.figure_of(printed, plan.figure) == figure


def test_the_options_and_the_benchmark_are_read_apart() -> None:
    plan = ab.parse(["--base", "805a02a", "--pairs", "4", "--", "bench.throughput", "300"])
    assert (plan.base, plan.pairs, plan.command) == ("805a02a", 4, ["bench.throughput", "300"])
    assert ab.parse(["--", "bench.throughput"]).base == "HEAD~1"
    assert ab.parse(["--figure", r"x (\d+)", "--", "bench.throughput"]).figure == r"x (\d+)"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["bench.throughput"], "usage"),
        (["--"], "name the benchmark"),
        (["--", "bench.load"], "no known headline"),
        (["--figure", r"(\d+) (\d+)", "--", "bench.throughput"], "exactly one group"),
        (["--pairs", "0", "--", "bench.throughput"], "at least 1"),
        (["--pair", "2", "--", "bench.throughput"], "unknown option"),
    ],
)
def test_a_wrong_command_line_is_refused_with_its_reason(argv: list[str], says: str) -> None:
    with pytest.raises(SystemExit, match=says):
        ab.parse(argv)


def test_each_side_goes_first_as_often_as_the_other() -> None:
    assert ab.order(4) == [("base", "work"), ("work", "base"), ("base", "work"), ("work", "base")]
    firsts = [first for first, _ in ab.order(6)]
    assert firsts.count("base") == firsts.count("work") == 3


def test_the_summary_is_the_median_of_the_pairs_ratios() -> None:
    lines = ab.summary({"base": [100.0, 80.0, 90.0], "work": [90.0, 80.0, 45.0]})
    assert lines[0] == "work/base, median of 3 pairs: 0.900"  # ratios 0.9, 1.0, 0.5
    assert lines[1] == "base: median 90.00, lowest 80.00, highest 100.00"
    assert lines[2] == "work: median 80.00, lowest 45.00, highest 90.00"


def test_a_run_compares_two_trees_and_leaves_no_worktree_behind() -> None:
    """End to end on a module both trees have: the standard library's calendar of January 2026."""
    before = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    argv = ["--base", "HEAD", "--pairs", "2", "--figure", r"(\d{4})", "--", "calendar", "2026", "1"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.ab", *argv], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pairs = re.findall(r"pair \d: base ([\d.]+)  work ([\d.]+)", done.stdout)
    assert pairs == [("2026.00", "2026.00"), ("2026.00", "2026.00")]
    assert "work/base, median of 2 pairs: 1.000" in done.stdout
    after = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert after == before
