#!/usr/bin/env bash
# The checks a reviewer makes before reading a change: lint, format, types. Any finding fails.
# Run by scripts/test.sh (and so by CI) before the tests; on its own: bash scripts/lint.sh
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
.venv/bin/ruff check --quiet . || { echo "ruff check found problems (fix: .venv/bin/ruff check --fix .)" >&2; status=1; }
.venv/bin/ruff format --check --quiet . || { echo "ruff format would change files (fix: .venv/bin/ruff format .)" >&2; status=1; }
.venv/bin/mypy --no-error-summary || { echo "mypy found type errors (configured in pyproject.toml [tool.mypy])" >&2; status=1; }
exit "$status"
