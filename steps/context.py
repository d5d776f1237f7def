"""What one scenario remembers between its steps."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from drivers.protocol import ConnectResult, SaveResult


@dataclass
class ScenarioContext:
    deal_id: int | None = None
    deals: dict[str, int] = field(default_factory=dict)
    process_id: int | None = None
    processes: list[int] = field(default_factory=list)
    last_save: SaveResult | None = None
    last_connect: ConnectResult | None = None
    api_keys: dict[str, str] = field(default_factory=dict)

    @property
    def deal(self) -> int:
        if self.deal_id is None:
            raise AssertionError("в сценарии ещё нет сделки: добавьте шаг «Дано сделка ...»")
        return self.deal_id


@pytest.fixture
def ctx() -> ScenarioContext:
    return ScenarioContext()
