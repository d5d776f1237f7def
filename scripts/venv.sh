# Sourced by setup.sh and serve.sh: makes .venv and installs this project into it.
# Usage: ensure_venv "." (the emulator) or ensure_venv ".[test]" (everything the suite needs).
ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$1"
}
