"""The living checklist reads a run's Allure results and marks each check with how its test cases ended."""

from __future__ import annotations

import json
from pathlib import Path

from tooling import checklist, run_results
from tooling.feature_model import FEATURES, parse_feature

FEATURE = parse_feature(FEATURES / "12_regression.feature")
OUTLINE = next(s for s in FEATURE.scenarios if s.name.startswith("<сервис>: повторный выбор текущего этапа"))


def _result(directory: Path, n: int, service: str, status: str) -> None:
    name = OUTLINE.name.replace("<сервис>", service)
    data = {
        "name": name,
        "status": status,
        "fullName": f"features/12_regression.feature:{name}",
        "parameters": [{"name": "сервис", "value": service}],
        "historyId": f"history-{service}",
    }
    (directory / f"{n}-result.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_each_example_row_counts_once_and_a_failure_marks_the_check(tmp_path: Path) -> None:
    _result(tmp_path, 1, "I2CRM", "passed")
    _result(tmp_path, 2, "Wazzup", "failed")
    _result(tmp_path, 3, "Default", "passed")
    outcome = run_results.per_check(FEATURE, OUTLINE, run_results.read(tmp_path))
    assert (outcome.ran, outcome.passed, outcome.verdict) == (3, False, "✅ 2 ❌ 1")


def test_a_check_without_results_says_it_did_not_run(tmp_path: Path) -> None:
    outcome = run_results.per_check(FEATURE, OUTLINE, run_results.read(tmp_path))
    assert outcome.verdict == "не запускалась"


def test_the_living_checklist_has_a_result_column_and_the_committed_one_has_none(tmp_path: Path) -> None:
    _result(tmp_path, 1, "I2CRM", "passed")
    living = checklist.render(results=run_results.read(tmp_path))
    assert "| Результат |" in living and "✅ 1" in living
    assert "Результат" not in checklist.render()
