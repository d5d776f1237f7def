"""Rules the feature files keep so that every check runs and is counted once."""

from __future__ import annotations

from collections import Counter

from tooling import checklist, step_catalogue
from tooling.feature_model import FEATURES, features


def test_every_feature_is_russian_gherkin() -> None:
    paths = sorted(FEATURES.glob("*.feature"))
    wrong = [p.name for p in paths if p.read_text(encoding="utf-8").split("\n")[0] != "# language: ru"]
    assert not wrong, f"первая строка должна быть «# language: ru»: {wrong}"


def test_scenario_names_are_unique_within_a_feature() -> None:
    """pytest-bdd keeps only the last of two scenarios with one name: the first would silently never run."""
    duplicates = {
        f.path.name: [name for name, n in Counter(s.name for s in f.scenarios).items() if n > 1] for f in features()
    }
    duplicates = {k: v for k, v in duplicates.items() if v}
    assert not duplicates, f"повторяющиеся названия сценариев (выполнится только последний): {duplicates}"


def test_every_feature_has_one_area_tag() -> None:
    wrong = {f.path.name: f.tags for f in features() if sum(t in checklist.AREA_TAGS for t in f.tags) != 1}
    assert not wrong, f"у функции должна быть ровно одна метка области из {checklist.AREA_TAGS}: {wrong}"


def test_outlines_have_examples() -> None:
    empty = [f"{f.path.name}: {s.name}" for f in features() for s in f.scenarios if "<" in s.name and not s.examples]
    assert not empty, f"структура сценария без примеров не выполнится ни разу: {empty}"


def test_every_step_has_a_definition() -> None:
    _, missing = step_catalogue.usage(step_catalogue.step_defs())
    assert not missing, "шаги без определения:\n" + "\n".join(missing)
