"""The results of the last run, read from Allure's result files, per check and test case of the checklist.

A result file names its scenario (``fullName``: ``features/<file>:<name with the example's values>``)
and the example row (``parameters``); a scenario with @both has one result per driver.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tooling import allure_results
from tooling.feature_model import Feature, Scenario

PASSED, FAILED, BROKEN, SKIPPED = "passed", "failed", "broken", "skipped"
MARKS = {PASSED: "✅", FAILED: "❌", BROKEN: "❌", SKIPPED: "⏭"}


@dataclass(frozen=True)
class CaseResult:
    file: str
    name: str
    parameters: tuple[tuple[str, str], ...]
    status: str


@dataclass
class CheckResult:
    """The outcome of one check (scenario) over its test cases: how many ran and how they ended."""

    expected: int
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def ran(self) -> int:
        return sum(self.statuses.values())

    @property
    def verdict(self) -> str:
        if not self.ran:
            return "не запускалась"
        failed = self.statuses[FAILED] + self.statuses[BROKEN]
        parts = [f"{MARKS[PASSED]} {self.statuses[PASSED]}"] if self.statuses[PASSED] else []
        if failed:
            parts.append(f"{MARKS[FAILED]} {failed}")
        if self.statuses[SKIPPED]:
            parts.append(f"{MARKS[SKIPPED]} {self.statuses[SKIPPED]}")
        return " ".join(parts)

    @property
    def passed(self) -> bool:
        return self.ran > 0 and self.statuses[PASSED] == self.ran


def read(directory: Path) -> list[CaseResult]:
    """The last result of every test case of the run in ``directory`` (read by :mod:`tooling.allure_results`)."""
    results = []
    for result in allure_results.read([directory]):
        file, _, name = result.full_name.partition(":")
        parameters = tuple(sorted(result.parameters.items()))
        results.append(CaseResult(Path(file).name, name, parameters, result.status))
    return results


def _rendered(text: str, row: dict[str, str]) -> str:
    for key, value in row.items():
        text = text.replace(f"<{key}>", value)
    return text


def per_check(feature: Feature, scenario: Scenario, results: list[CaseResult]) -> CheckResult:
    """Every result of this scenario's test cases (rows), each driver counted."""
    drivers = 2 if "both" in scenario.tags else 1
    outcome = CheckResult(expected=scenario.cases * drivers)
    rows = scenario.examples if scenario.outline else [{}]
    for result in results:
        if result.file != feature.path.name:
            continue
        given = dict(result.parameters)
        for row in rows:
            if result.name == _rendered(scenario.name, row) and all(given.get(k) == v for k, v in row.items()):
                outcome.statuses[result.status] += 1
                break
    return outcome
