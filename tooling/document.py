"""Writing a generated document and its command line, shared by the generators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tooling.feature_model import ROOT


def write(render: Callable[[], str], default_output: Path, argv: list[str] | None = None) -> int:
    """Render into ``argv[0]`` or the default path; print what was written."""
    target = Path(argv[0]) if argv else default_output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"записан {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0
