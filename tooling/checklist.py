"""``python -m tooling.checklist``: docs/CHECKLIST.md from the features (area -> rule -> check).

Every scenario is a check; an outline is one check with as many test cases as it has example rows.
"How it is automated" comes from the tags: @ui — in the browser, @both — through the API and the
browser, otherwise through the API.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from tooling import document, run_results
from tooling.feature_model import ROOT, Feature, Scenario, features
from tooling.run_results import CaseResult

OUTPUT = ROOT / "docs" / "CHECKLIST.md"
LIVING_OUTPUT = ROOT / "reports" / "checklist.md"
COMMAND = "python -m tooling.checklist"
AREA_TAGS = (
    "integrations", "availability", "channels", "editor", "triggers", "timing", "recipients",
    "parameters", "attachments", "sending", "timeline", "regression", "access", "default_contract",
    "migration", "side_by_side", "concurrency", "smoke",
)  # fmt: skip
SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")


@dataclass
class Counts:
    checks: int = 0
    cases: int = 0
    api: int = 0
    ui: int = 0

    def add(self, scenario: Scenario) -> None:
        self.checks += 1
        self.cases += scenario.cases
        if scenario.automation != "UI":
            self.api += scenario.cases
        if scenario.automation != "API":
            self.ui += scenario.cases

    def __iadd__(self, other: Counts) -> Counts:
        self.checks += other.checks
        self.cases += other.cases
        self.api += other.api
        self.ui += other.ui
        return self


def counts(feature: Feature) -> Counts:
    total = Counts()
    for scenario in feature.scenarios:
        total.add(scenario)
    return total


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _area_tag(feature: Feature) -> str:
    return next((t for t in feature.tags if t in AREA_TAGS), "—")


def _marks(scenario: Scenario) -> str:
    shown = [t for t in scenario.tags if t in SEVERITIES or t == "regression"]
    return ", ".join(shown) or "—"


def _outcomes(feature: Feature, results: list[CaseResult]) -> tuple[int, int, int]:
    """Checks of the feature that passed whole, that failed somewhere, that did not run."""
    passed = failed = absent = 0
    for scenario in feature.scenarios:
        outcome = run_results.per_check(feature, scenario, results)
        if not outcome.ran:
            absent += 1
        elif outcome.passed:
            passed += 1
        else:
            failed += 1
    return passed, failed, absent


def _summary(found: list[Feature], results: list[CaseResult] | None = None) -> list[str]:
    extra = " Прошли | Не прошли | Не запускались |" if results is not None else ""
    lines = [
        "## Сводка",
        "",
        "| Область | Файл | Метка | Проверок | Тест-кейсов | Через API | В браузере |" + extra,
        "|---|---|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if results is not None else ""),
    ]
    total = Counts()
    totals = [0, 0, 0]
    for feature in found:
        c = counts(feature)
        total += c
        name = f"[{_cell(feature.name)}](#{_anchor(feature)})"
        line = f"| {name} | `{feature.path.name}` | @{_area_tag(feature)} | {c.checks} | {c.cases} | {c.api} | {c.ui} |"
        if results is not None:
            outcome = _outcomes(feature, results)
            totals = [a + b for a, b in zip(totals, outcome, strict=True)]
            line += " {} | {} | {} |".format(*outcome)
        lines.append(line)
    last = f"| **Итого** | | | **{total.checks}** | **{total.cases}** | **{total.api}** | **{total.ui}** |"
    if results is not None:
        last += " **{}** | **{}** | **{}** |".format(*totals)
    lines.append(last)
    lines += [
        "",
        "Проверка — сценарий; тест-кейс — строка примеров структуры сценария (или сам сценарий).",
        "«Через API» и «В браузере» — тест-кейсы каждого способа; сценарий с @both считается в обоих.",
    ]
    return lines


def _anchor(feature: Feature) -> str:
    return feature.path.stem.replace("_", "-")


def _feature_section(feature: Feature, results: list[CaseResult] | None = None) -> list[str]:
    c = counts(feature)
    lines = [
        f'<a id="{_anchor(feature)}"></a>',
        "",
        f"## {feature.name}",
        "",
        f"`features/{feature.path.name}` · @{_area_tag(feature)} · проверок {c.checks}, тест-кейсов {c.cases} "
        f"(API {c.api}, браузер {c.ui})",
        "",
    ]
    if feature.description:
        lines += [" ".join(feature.description.split()), ""]
    number = 0
    for rule in feature.rules:
        lines += [f"### Правило: {rule.name}" if rule.name else "### Без правила", ""]
        if rule.description:
            lines += [" ".join(rule.description.split()), ""]
        head = "| № | Проверка | Как | Примеров | Метки |" + (" Результат |" if results is not None else "")
        lines += [head, "|---|---|---|---:|---|" + ("---|" if results is not None else "")]
        for scenario in rule.scenarios:
            number += 1
            examples = str(len(scenario.examples)) if scenario.outline else "—"
            line = (
                f"| {_area_index(feature)}.{number} | {_cell(scenario.name)} | {scenario.automation} "
                f"| {examples} | {_marks(scenario)} |"
            )
            if results is not None:
                line += f" {run_results.per_check(feature, scenario, results).verdict} |"
            lines.append(line)
        lines.append("")
    return lines


def _area_index(feature: Feature) -> str:
    prefix = feature.path.stem.split("_", 1)[0]
    return prefix if prefix.isdigit() else feature.path.stem


def render(found: list[Feature] | None = None, results: list[CaseResult] | None = None) -> str:
    """The checklist; with ``results`` (of a run) each check also says how its test cases ended."""
    found = features() if found is None else found
    lines = [
        "# Чек-лист: отправка сообщения в WhatsApp бизнес-процессом через новый сервис Default",
        "",
        f"Сгенерировано из `features/` командой `{COMMAND}`; не редактируйте вручную.",
        "Каждая строка — исполняемый сценарий на русском Gherkin (область → правило → проверка).",
        "",
    ]
    if results is not None:
        lines += [
            "Живой чек-лист: результат каждой проверки в последнем прогоне (✅ прошли, ❌ не прошли, "
            "⏭ пропущены или ожидаемо падают из-за открытого дефекта; числа — тест-кейсы).",
            "",
        ]
    lines += [*_summary(found, results), ""]
    for feature in found:
        lines += _feature_section(feature, results)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, help=f"where to write (default {OUTPUT.name} in docs/)")
    parser.add_argument("--results", type=Path, help="Allure results of a run: render the living checklist")
    args = parser.parse_args(argv)
    if args.results is None:
        return document.write(render, args.output or OUTPUT)
    if not args.results.is_dir():
        parser.error(f"нет каталога с результатами Allure: {args.results}")
    results = run_results.read(args.results)
    return document.write(lambda: render(results=results), args.output or LIVING_OUTPUT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
