"""The feature files as the documents see them, read with the Gherkin parser pytest-bdd itself uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
PARAMETER = "<{}>"


@dataclass(frozen=True)
class Step:
    keyword: str  # as written: "Дано ", "И ", ...
    kind: str  # "given" | "when" | "then" (И/Но take the kind of the step before)
    text: str
    line: int


@dataclass
class Scenario:
    name: str
    line: int
    outline: bool
    tags: list[str]
    steps: list[Step]
    examples: list[dict[str, str]] = field(default_factory=list)

    @property
    def cases(self) -> int:
        """Test cases per driver: one per example row, one for a plain scenario."""
        return len(self.examples) if self.outline else 1

    @property
    def automation(self) -> str:
        if "both" in self.tags:
            return "API + UI"
        return "UI" if "ui" in self.tags else "API"

    def rendered_steps(self) -> Iterator[list[Step]]:
        """The steps of each test case (an outline's placeholders filled from its rows)."""
        for row in self.examples if self.outline else [{}]:
            yield [Step(s.keyword, s.kind, _render(s.text, row), s.line) for s in self.steps]


@dataclass
class Rule:
    name: str
    description: str
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass
class Feature:
    path: Path
    name: str
    description: str
    tags: list[str]
    rules: list[Rule] = field(default_factory=list)

    @property
    def scenarios(self) -> list[Scenario]:
        return [s for r in self.rules for s in r.scenarios]


_KINDS = {"Context": "given", "Action": "when", "Outcome": "then"}


def _render(text: str, row: dict[str, str]) -> str:
    for name, value in row.items():
        text = text.replace(PARAMETER.format(name), value)
    return text


def _tags(node: dict) -> list[str]:
    return [t["name"].lstrip("@") for t in node.get("tags", [])]


def _steps(nodes: list[dict], inherited: list[Step]) -> list[Step]:
    kind = inherited[-1].kind if inherited else "given"
    steps = []
    for node in nodes:
        kind = _KINDS.get(node["keywordType"], kind)
        steps.append(Step(node["keyword"], kind, node["text"], node["location"]["line"]))
    return steps


def _scenario(node: dict, background: list[Step]) -> Scenario:
    rows = []
    for block in node.get("examples", []):
        header = [c["value"] for c in block.get("tableHeader", {}).get("cells", [])]
        rows += [dict(zip(header, (c["value"] for c in r["cells"]), strict=True)) for r in block.get("tableBody", [])]
    own = _steps(node["steps"], background)
    return Scenario(
        name=node["name"],
        line=node["location"]["line"],
        outline=bool(node.get("examples")),
        tags=_tags(node),
        steps=background + own,
        examples=rows,
    )


def _background(children: list[dict], inherited: list[Step]) -> list[Step]:
    for child in children:
        if "background" in child:
            return inherited + _steps(child["background"]["steps"], inherited)
    return inherited


def parse_feature(path: Path) -> Feature:
    document: Any = Parser().parse(path.read_text(encoding="utf-8"))  # read as plain dicts
    node = document["feature"]
    feature = Feature(path, node["name"], node.get("description", "").strip(), _tags(node))
    background = _background(node["children"], [])
    loose = Rule("", "")
    for child in node["children"]:
        if "scenario" in child:
            loose.scenarios.append(_scenario(child["scenario"], background))
        elif "rule" in child:
            rule_node = child["rule"]
            rule = Rule(rule_node["name"], rule_node.get("description", "").strip())
            rule_background = _background(rule_node["children"], background)
            scenarios = [c["scenario"] for c in rule_node["children"] if "scenario" in c]
            rule.scenarios = [_scenario(s, rule_background) for s in scenarios]
            feature.rules.append(rule)
    if loose.scenarios:
        feature.rules.insert(0, loose)
    return feature


def features(directory: Path = FEATURES) -> list[Feature]:
    return [parse_feature(path) for path in sorted(directory.glob("*.feature"))]
