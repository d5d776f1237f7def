"""The remembered step lookup (harness/step_lookup.py) finds what pytest-bdd's own lookup finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.feature import get_features

from harness import step_lookup

FEATURES = Path(__file__).resolve().parents[2] / "features"


def _every_step() -> list[Any]:
    """One step of each type and text in the features (the lookup sees nothing else of a step)."""
    steps: dict[tuple[str, str], Any] = {}
    for feature in get_features([str(FEATURES)]):
        for template in feature.scenarios.values():
            contexts = [c for examples in template.examples for c in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    steps.setdefault((step.type, step.name), step)
    return list(steps.values())


def test_every_step_of_every_feature_finds_the_same_definitions(request: pytest.FixtureRequest) -> None:
    manager, node = request._fixturemanager, request.node
    remembered = step_lookup.RememberedLookup(step_lookup.ORIGINAL)
    steps = _every_step()
    assert len(steps) > 500, "the features were not found"
    for step in steps:
        expected = [d.func for d in step_lookup.ORIGINAL(step=step, fixturemanager=manager, node=node)]
        first = [d.func for d in remembered(step=step, fixturemanager=manager, node=node)]
        again = [d.func for d in remembered(step=step, fixturemanager=manager, node=node)]
        assert expected, f"no definition for the step «{step.keyword} {step.name}»"
        assert first == expected == again, f"«{step.keyword} {step.name}»"


def test_a_step_of_another_type_is_looked_up_again(request: pytest.FixtureRequest) -> None:
    """The key holds the step's type: a «Когда» with the text of a «Дано» is not answered from memory."""
    manager, node = request._fixturemanager, request.node
    remembered = step_lookup.RememberedLookup(step_lookup.ORIGINAL)
    given = next(s for s in _every_step() if s.type == "given")
    assert list(remembered(step=given, fixturemanager=manager, node=node))
    given.type = "when"
    expected = list(step_lookup.ORIGINAL(step=given, fixturemanager=manager, node=node))
    assert list(remembered(step=given, fixturemanager=manager, node=node)) == expected


def test_the_suite_runs_with_the_remembered_lookup() -> None:
    assert isinstance(step_lookup.SCENARIO_MODULE.find_fixturedefs_for_step, step_lookup.RememberedLookup)
