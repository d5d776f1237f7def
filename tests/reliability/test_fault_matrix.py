"""The fault matrix: every provider × every injected fault (and, where a lost answer is resent, each fault
meeting the resend), judged against the fake's outbox after the whole retry horizon.

Each cell sends three messages and must lose none and duplicate none; beyond that, each message must be
sent exactly once where the provider's contract allows recovery, refused (no copy, an error) where the
provider refuses, and "статус неизвестен" where the contract allows no recovery (i2crm after an answer
that may have been lost). The cells and their verdicts are in :mod:`tests.reliability.probe`, which
also prints the figures (``python -m tests.reliability.probe``).
"""

from __future__ import annotations

import pytest

from harness.world import World
from tests.reliability.probe import Cell, Figures, cells, run_cell


@pytest.mark.parametrize("cell", cells(), ids=lambda cell: cell.name)
def test_no_message_is_lost_or_duplicated(faulted_world: World, cell: Cell) -> None:
    messages = run_cell(faulted_world, cell)
    figures = Figures.of(messages)
    seen = [(m.number, m.shown, f"copies: {m.copies}") for m in messages]
    assert (figures.lost, figures.duplicated, figures.leaked) == (0, 0, 0), seen
    assert figures.tried == 3
    assert all(m.meets(cell.verdict) for m in messages), f"expected {cell.verdict.value}: {seen}"
