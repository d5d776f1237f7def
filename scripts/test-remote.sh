#!/usr/bin/env bash
# Remote mode, as a team stand runs it: starts `python -m emulator --control-api` (the CRM and its
# standalone provider fakes) in the background on free ports with a throw-away database and a random
# CRM_CONTROL_TOKEN, runs the smoke and @both scenarios against it with --base-url/--fakes-url (the suite
# reads the token from the environment), then stops it. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

read -r crm_port fakes_port < <(.venv/bin/python - <<'PY'
import socket
ports = []
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    ports.append(s.getsockname()[1])
    s.close()
print(*ports)
PY
)
data_dir=$(mktemp -d)
log="$data_dir/emulator.log"
# The control API's token, as a team stand has one: the emulator requires it, the suite sends it.
CRM_CONTROL_TOKEN=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(32))")
export CRM_CONTROL_TOKEN
CRM_DATA_DIR="$data_dir" .venv/bin/python -m emulator --control-api --port "$crm_port" --fakes-port "$fakes_port" \
  >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data_dir"; }
trap cleanup EXIT

crm="http://127.0.0.1:$crm_port"
fakes="http://127.0.0.1:$fakes_port"
# Readiness: the health endpoint answers (bounded: 60 s), or the process died.
ready=0
for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if .venv/bin/python -c "import os, sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1], headers={
      'Authorization': 'Bearer ' + os.environ['CRM_CONTROL_TOKEN']}), timeout=1)" \
      "$crm/_control/health" 2>/dev/null; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "the emulator did not start; its log:" >&2
  cat "$log" >&2
  exit 1
fi

# One emulator holds one scenario's world at a time (one clock, one data set): scenarios run one by one.
.venv/bin/python -m pytest tests/acceptance -m "smoke or both" -n 0 \
  --base-url "$crm" --fakes-url "$fakes" --alluredir=reports/allure-results-remote "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "remote mode collected no scenarios: that is a failure, not a pass" >&2
  status=1
fi
exit "$status"
