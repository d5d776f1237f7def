#!/usr/bin/env bash
# One Allure report from every shard's results (reports/allure-results-shard-*), with their counts.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
dirs=(reports/allure-results-shard-*)
if [ "${#dirs[@]}" = "0" ]; then
  echo "no shard results under reports/ (run scripts/shard.sh first)" >&2
  exit 1
fi
.venv/bin/python -m tooling.allure_counts "${dirs[@]}"
node_modules/.bin/allure generate "${dirs[@]}" >/dev/null
echo "Allure report of ${#dirs[@]} shards: reports/allure-report/index.html"
