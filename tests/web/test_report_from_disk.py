"""The Allure report as allurerc.mjs makes it: one file that opens from disk, areas in number order, the unit and
contract tests as their own suite (without the scenarios' JUnit twins), and history kept across runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ALLURE = ROOT / "node_modules" / ".bin" / "allure"
JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="Модульные и контрактные тесты" tests="2">
<testcase classname="tests.emulator.test_phones" name="test_a_phone_is_normalised" time="0.01"/>
<testcase classname="tests.acceptance.test_checklist" name="test_twin_of_a_scenario" time="0.01"/>
</testsuite></testsuites>
"""

pytestmark = pytest.mark.skipif(
    not ALLURE.exists() or shutil.which("node") is None, reason="Allure 3 is not installed (npm install)"
)


def _scenario(results: Path, epic: str, name: str, start: int) -> None:
    result = {
        "uuid": str(uuid.uuid4()),
        "historyId": uuid.uuid4().hex,
        "name": name,
        "fullName": f"features/x.feature:{name}",
        "status": "passed",
        "stage": "finished",
        "start": start,
        "stop": start + 10,
        "labels": [{"name": "epic", "value": epic}, {"name": "framework", "value": "pytest-bdd"}],
    }
    (results / f"{result['uuid']}-result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def _generate(workdir: Path, results: Path) -> Path:
    """Render with the kit's allurerc.mjs into ``workdir`` (the kit's own report and history stay untouched)."""
    report = workdir / "allure-report"
    env = {**os.environ, "ALLURE_OUTPUT": str(report), "ALLURE_HISTORY": str(workdir / "allure-history.jsonl")}
    command = [str(ALLURE), "generate", str(results), "--config", str(ROOT / "allurerc.mjs")]
    subprocess.run(command, check=True, capture_output=True, timeout=120, env=env, cwd=ROOT)
    return report


def test_the_report_is_one_file_with_areas_in_order_and_the_unit_tests(page: Page, tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    # Area 02 ran first: the report still lists 01 before 02.
    _scenario(results, "02. Второе", "Сценарий второй области", 1_000)
    _scenario(results, "01. Первое", "Сценарий первой области", 2_000)
    (results / "junit.xml").write_text(JUNIT, encoding="utf-8")
    report = _generate(tmp_path, results)
    assert sorted(p.name for p in report.iterdir() if p.suffix == ".html") == ["index.html"]
    assert not [p for p in report.rglob("*") if p.is_dir()], "a single-file report has no asset folders"

    page.goto(report.joinpath("index.html").as_uri())
    groups = ["01. Первое", "02. Второе", "Модульные и контрактные тесты"]
    tops = []
    for group in groups:
        found = page.get_by_text(group, exact=True).first
        expect(found).to_be_visible()
        box = found.bounding_box()
        assert box is not None
        tops.append(box["y"])
    assert tops == sorted(tops), f"the tree lists {groups} out of order"
    page.get_by_text("Модульные и контрактные тесты", exact=True).first.click()
    expect(page.get_by_text("tests.emulator.test_phones", exact=True)).to_be_visible()
    expect(page.get_by_text("tests.acceptance.test_checklist", exact=True)).to_have_count(0)

    _generate(tmp_path, results)
    history = (tmp_path / "allure-history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(history) == 2, "each run adds to the history the trend is drawn from"
