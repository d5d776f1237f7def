"""The generated documents match the sources they are generated from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tooling import checklist, step_catalogue

DOCUMENTS = [
    pytest.param(checklist.OUTPUT, checklist.render, checklist.COMMAND, id="CHECKLIST.md"),
    pytest.param(step_catalogue.OUTPUT, step_catalogue.render, step_catalogue.COMMAND, id="STEPS.md"),
]


@pytest.mark.parametrize(("path", "render", "command"), DOCUMENTS)
def test_document_is_fresh(path: Path, render: Callable[[], str], command: str) -> None:
    expected = render()
    assert path.exists(), f"нет {path.name}: выполните `{command}`"
    actual = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} устарел относительно features/ и steps/: выполните `{command}`"
