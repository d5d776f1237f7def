"""What one scenario remembers between its steps, and the registration of the step modules.

The step modules are pytest plugins. ``conftest.py`` lists the first ones; the others are listed
here (pytest registers the ``pytest_plugins`` of a registered plugin) until ``conftest.py`` lists
them too -- registering a module twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from drivers.protocol import AccessResult, ConnectResult, Editor, SaveResult

pytest_plugins = [
    "steps.stage_steps",
    "steps.availability_steps",
    "steps.run_steps",
    "steps.journal_steps",
    "steps.timeline_steps",
    "steps.webhook_steps",
    "steps.editor_steps",
    "steps.access_steps",
]


@dataclass
class ScenarioContext:
    deal_id: int | None = None
    deals: dict[str, int] = field(default_factory=dict)
    process_id: int | None = None
    processes: list[int] = field(default_factory=list)
    last_save: SaveResult | None = None
    last_connect: ConnectResult | None = None
    last_page: AccessResult | None = None
    webhook_answers: list[int] = field(default_factory=list)
    remembered: dict[str, Any] = field(default_factory=dict)
    editor_view: Editor | None = None

    @property
    def deal(self) -> int:
        if self.deal_id is None:
            raise AssertionError("в сценарии ещё нет сделки: добавьте шаг «Дано сделка ...»")
        return self.deal_id

    @property
    def process(self) -> int:
        if self.process_id is None:
            raise AssertionError("в сценарии нет сохранённого бизнес-процесса: добавьте шаг «Дано на этапе ...»")
        return self.process_id

    @property
    def editor(self) -> Editor:
        if self.editor_view is None:
            raise AssertionError("редактор не открыт: добавьте шаг «Когда администратор открывает редактор ...»")
        return self.editor_view


@pytest.fixture
def ctx() -> ScenarioContext:
    return ScenarioContext()
