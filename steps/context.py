"""What one scenario remembers between its steps (the step modules are listed in ``conftest.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from drivers.protocol import AccessResult, ConnectResult, Editor, SaveResult

SECOND_DEAL = "вторая"  # the key of «вторая сделка» in ScenarioContext.deals


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
    journal_marks: dict[str, int] | None = None  # each fake's journal length when the deal first moved

    @property
    def deal(self) -> int:
        if self.deal_id is None:
            raise AssertionError("в сценарии ещё нет сделки: добавьте шаг «Дано сделка ...»")
        return self.deal_id

    @property
    def second_deal(self) -> int:
        if SECOND_DEAL not in self.deals:
            raise AssertionError("в сценарии нет второй сделки: добавьте шаг «Дано вторая сделка ...»")
        return self.deals[SECOND_DEAL]

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
