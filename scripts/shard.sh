#!/usr/bin/env bash
# One shard of the suite, for CI machines that run it side by side:
#   bash scripts/shard.sh 1 4    # shard 1 of 4 (each machine runs its own number)
#   bash scripts/merge-shards.sh # on one machine, once every shard's reports/allure-results-shard-* is there
# pytest-split cuts the suite into shards of equal expected time by the committed durations
# (.test_durations; refresh it with `bash scripts/shard.sh --store-durations`). Each shard writes its
# own Allure results. Extra arguments after the two numbers go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null || exit 1
# Bytecode is written (beside the sources, in git-ignored __pycache__ folders): where PYTHONDONTWRITEBYTECODE
# is set, every pytest process would parse and assertion-rewrite the suite's modules anew at each start
# (about 4 s of CPU per worker; measured with --collect-only: 8.6 s, then 4.4 s once written).
unset PYTHONDONTWRITEBYTECODE

if [ "${1:-}" = "--store-durations" ]; then
  shift
  exec .venv/bin/python -m pytest -n 0 --store-durations --durations-path .test_durations "$@"
fi
group="${1:?shard number (1..count)}"
count="${2:?number of shards}"
shift 2
# Each shard its own temporary folder: pytest keeps only the three newest of its numbered folders, so two
# shards side by side on one machine would delete each other's tmp_path folders under their tests.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --splits "$count" --group "$group" \
  --durations-path .test_durations --alluredir "reports/allure-results-shard-$group" \
  --basetemp "${TMPDIR:-/tmp}/crm-shard-$group-of-$count" "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "shard $group of $count collected no tests: that is a failure, not a pass" >&2
  status=1
fi
exit "$status"
