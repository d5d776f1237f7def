#!/usr/bin/env bash
# Browser scenarios on a remote browser: starts a Playwright browser server (`playwright run-server`)
# here, on a free port, and runs the @ui and @both scenarios connected to it (--browser-ws-endpoint)
# instead of launching Chromium in the test process. Against a real remote server (another machine, a
# container) pass its endpoint yourself:
#   .venv/bin/python -m pytest tests/acceptance -m "ui or both" --browser-ws-endpoint ws://host:3000/
# Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
log=$(mktemp)
# --unsafe: the client sends the system Chromium's path and flags (no browser download on this machine).
.venv/bin/python -m playwright run-server --host 127.0.0.1 --port "$port" --unsafe >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
ready=0
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if grep -q "Listening on" "$log"; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "the browser server did not start:" >&2
  cat "$log" >&2
  exit 1
fi
.venv/bin/python -m pytest tests/acceptance -m "ui or both" --browser-ws-endpoint "ws://127.0.0.1:$port/" "$@"
