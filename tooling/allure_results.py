"""Reading Allure result files (``*-result.json``) of one or more result directories.

    .venv/bin/python -m tooling.allure_counts DIR [DIR ...]

The living checklist and the shard merge both read results through here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TestResult:
    name: str
    full_name: str
    history_id: str
    status: str  # passed | failed | broken | skipped | unknown
    labels: dict[str, str]
    parameters: dict[str, str]


def _labels(raw: Any) -> dict[str, str]:
    return {str(item.get("name")): str(item.get("value")) for item in raw or [] if isinstance(item, dict)}


def read(directories: Iterable[Path]) -> list[TestResult]:
    """Every test result in ``directories``; a test run twice (retries) counts once, by its last result."""
    latest: dict[str, tuple[int, TestResult]] = {}
    for directory in directories:
        for path in sorted(Path(directory).glob("*-result.json")):
            raw = json.loads(path.read_text(encoding="utf-8"))
            result = TestResult(
                name=str(raw.get("name", "")),
                full_name=str(raw.get("fullName", "")),
                history_id=str(raw.get("historyId") or raw.get("uuid")),
                status=str(raw.get("status", "unknown")),
                labels=_labels(raw.get("labels")),
                parameters=_labels(raw.get("parameters")),
            )
            stop = int(raw.get("stop") or 0)
            known = latest.get(result.history_id)
            if known is None or known[0] <= stop:
                latest[result.history_id] = (stop, result)
    return [result for _, result in latest.values()]
