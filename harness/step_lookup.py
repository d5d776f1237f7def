"""pytest-bdd's step lookup, remembered for each step text.

To find the definition of a step, pytest-bdd 9 (``pytest_bdd.scenario.find_fixturedefs_for_step``)
goes through every fixture name pytest knows (about a thousand in this suite: each step definition is
a fixture), asks pytest which definitions of it the test sees, and matches each step definition's parser
against the step's text. That costs about a millisecond per step, ten per scenario: more than several
of the scenario's requests to the CRM.

The answer is a function of the step (its type and text), of which definitions the test's parent node
sees (the same for every test of one module or class: the suite's step definitions are plugins, seen
everywhere), and of the registered fixture names (their number is in the key, so a fixture registered
later is looked at as before). It is remembered under that key; the first lookup of each key is
pytest-bdd's own. ``tests/hardening/test_step_lookup.py`` checks that both give the same definitions,
in the same order, for every step of every feature.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from pytest_bdd.compat import get_fixture_names

Lookup = Callable[..., Iterable[Any]]

# The module, not the function ``pytest_bdd.scenario`` that the package exports under the same name.
SCENARIO_MODULE: Any = importlib.import_module("pytest_bdd.scenario")
ORIGINAL: Lookup = SCENARIO_MODULE.find_fixturedefs_for_step


class RememberedLookup:
    """A drop-in for ``find_fixturedefs_for_step`` that remembers each answer."""

    def __init__(self, original: Lookup) -> None:
        self.original = original
        self._answers: dict[Hashable, tuple[Any, ...]] = {}

    def __call__(self, step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        parent = node.parent
        key = (
            step.type,
            step.name,
            parent.nodeid if parent is not None else "",
            len(get_fixture_names(fixturemanager=fixturemanager)),
        )
        found = self._answers.get(key)
        if found is None:
            found = tuple(self.original(step=step, fixturemanager=fixturemanager, node=node))
            self._answers[key] = found
        return iter(found)


def install() -> None:
    """Used by every scenario of this process from now on (idempotent)."""
    if not isinstance(SCENARIO_MODULE.find_fixturedefs_for_step, RememberedLookup):
        SCENARIO_MODULE.find_fixturedefs_for_step = RememberedLookup(ORIGINAL)
