#!/usr/bin/env bash
# A shared team stand: the CRM in several uvicorn worker processes over one PostgreSQL database, each
# worker with its own scheduler loop (due runs and messages are claimed atomically, FOR UPDATE SKIP LOCKED
# and compare-and-set, so each is executed exactly once), the control API on (its clock shared by the
# workers through CRM_CLOCK_FILE), and the standalone provider fakes beside it. Runs until interrupted.
#
#   DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/crm_stand bash scripts/team-stand.sh
#
# Environment: DATABASE_URL (required; PostgreSQL), CRM_WORKERS (default 2), CRM_HOST (127.0.0.1),
# CRM_PORT (8000), FAKES_PORT (8100), CRM_CONTROL_TOKEN (required unless CRM_HOST is loopback), CRM_DATA_DIR (files and the shared clock; default a new temporary
# directory), CRM_KEEP_DATA=1 (do not recreate the schema and demo data). Then, from any machine:
#   .venv/bin/python -m pytest tests/acceptance -m "smoke or both" -n 0 \
#     --base-url http://HOST:CRM_PORT --fakes-url http://HOST:FAKES_PORT
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database of the stand (postgresql+psycopg://user@host/db)}"
case "$DATABASE_URL" in
  postgresql*) ;;
  *) echo "a team stand needs PostgreSQL (several processes on one SQLite file would queue on its lock)" >&2; exit 2 ;;
esac
workers="${CRM_WORKERS:-2}"
host="${CRM_HOST:-127.0.0.1}"
crm_port="${CRM_PORT:-8000}"
fakes_port="${FAKES_PORT:-8100}"
data_dir="${CRM_DATA_DIR:-$(mktemp -d)}"
mkdir -p "$data_dir"
fakes="http://$host:$fakes_port"

export DATABASE_URL CRM_DATA_DIR="$data_dir" CRM_CLOCK_FILE="$data_dir/clock"
export CRM_CONTROL_API=1 CRM_SCHEDULER_LOOP=1 CRM_PUBLIC_BASE_URL="${CRM_PUBLIC_BASE_URL:-http://$host:$crm_port}"
export WAZZUP_BASE_URL="$fakes/wazzup/v3" I2CRM_BASE_URL="$fakes/i2crm/api_v1" DEFAULT_BASE_URL="$fakes/default/v1"

# Reachable from other machines only with a control-API token (it resets the data and moves the clock):
# the same rule as `python -m emulator --control-api` (emulator/api/control_access.py).
CRM_HOST="$host" .venv/bin/python - <<'PY'
import os
import sys

from emulator.api.control_access import startup_refusal
from emulator.settings import Settings

refusal = startup_refusal(os.environ["CRM_HOST"], Settings.from_env())
if refusal:
    sys.exit(refusal)
PY

# The schema and the demo data once, before any worker starts (workers never create or drop tables).
if [ "${CRM_KEEP_DATA:-0}" != 1 ]; then
  rm -f "$CRM_CLOCK_FILE"
  .venv/bin/python - <<'PY'
from emulator import seed
from emulator.db import Database
from emulator.settings import Settings

database = Database(Settings.from_env().database_url)
database.drop_schema()
database.create_schema()
seed.reset(database)
database.engine.dispose()
PY
fi

.venv/bin/python -m mocks --host "$host" --port "$fakes_port" --demo &
fakes_pid=$!
trap 'kill "$fakes_pid" 2>/dev/null || true; wait "$fakes_pid" 2>/dev/null || true' EXIT

echo "Team stand: CRM $CRM_PUBLIC_BASE_URL ($workers workers, $DATABASE_URL), fakes $fakes, data $data_dir"
.venv/bin/python -m uvicorn --factory emulator.app:create_app --host "$host" --port "$crm_port" \
  --workers "$workers" --log-level warning
