"""Counts of Allure results by status: ``python -m tooling.allure_counts DIR [DIR ...]``.

Used to compare a merged report of shards with a single run (scripts/merge-shards.sh).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from tooling import allure_results


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m tooling.allure_counts DIR [DIR ...]", file=sys.stderr)
        return 2
    results = allure_results.read(Path(a) for a in argv)
    counts = Counter(r.status for r in results)
    shown = ", ".join(f"{status} {counts[status]}" for status in sorted(counts))
    print(f"Allure results: {len(results)} tests ({shown}) in {len(argv)} director{'y' if len(argv) == 1 else 'ies'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
