# Sourced by setup.sh and serve.sh: makes .venv hold exactly the versions in uv.lock.
# The kit itself is never installed (pyproject: [tool.uv] package = false); it runs from this checkout.
# Usage: ensure_venv [extra ...]   e.g. ensure_venv test dev
UV_VERSION="0.13.9"

find_uv() {
  if command -v uv >/dev/null 2>&1; then
    command -v uv
    return
  fi
  if [ ! -x .tools/bin/uv ]; then
    "${PYTHON:-python3}" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  fi
  echo ".tools/bin/uv"
}

ensure_venv() {
  local stamp args extra
  # --compile-bytecode: imports read .pyc files even where PYTHONDONTWRITEBYTECODE is set (start-up ~3x faster).
  args=(sync --frozen --compile-bytecode --python "${PYTHON:-python3}")
  for extra in "$@"; do args+=(--extra "$extra"); done
  # Already in step with the lock file and these extras: nothing to do (start-up stays fast).
  local lock_hash
  lock_hash="$(cat uv.lock pyproject.toml | sha256sum | cut -c1-16)"
  stamp=".venv/.synced-${lock_hash}-$(echo "$*" | tr ' ' '+')"
  if [ -f "$stamp" ] && [ -x .venv/bin/python ]; then
    return
  fi
  # serve.sh (no extras) after setup.sh: the test extras are a superset of what it needs.
  if [ "$#" -eq 0 ] && [ -x .venv/bin/python ] && ls ".venv/.synced-${lock_hash}-"* >/dev/null 2>&1; then
    return
  fi
  if [ "$#" -eq 0 ] && ls .venv/.synced-* >/dev/null 2>&1; then
    # serve.sh after setup.sh: the test extras are a superset; keep them.
    args+=(--inexact)
  fi
  "$(find_uv)" "${args[@]}" --quiet
  rm -f .venv/.synced-*
  touch "$stamp"
}
