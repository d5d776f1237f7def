#!/usr/bin/env bash
# Starts the CRM emulator with its demo data on http://127.0.0.1:8000 (deal 9396), and the provider
# fakes on http://127.0.0.1:8100 (their outbox shows every message the CRM "sends").
# Extra arguments go to `python -m emulator` (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv
exec .venv/bin/python -m emulator "$@"
