#!/usr/bin/env bash
# Sets up (scripts/setup.sh), checks lint, format and types (scripts/lint.sh), runs every test (unit,
# provider fakes, web, acceptance) on 2 workers, then the smoke and @both scenarios in remote mode
# (scripts/test-remote.sh), then renders the Allure report into reports/allure-report.
# Extra arguments go to pytest (and skip the remote-mode pass).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1
# Bytecode is written (beside the sources, in git-ignored __pycache__ folders): where PYTHONDONTWRITEBYTECODE
# is set, every pytest process would parse and assertion-rewrite the suite's modules anew at each start
# (about 4 s of CPU per worker; measured with --collect-only: 8.6 s, then 4.4 s once written).
unset PYTHONDONTWRITEBYTECODE
bash scripts/lint.sh || exit 1

# The unit and contract tests reach the Allure report as JUnit XML (allure-pytest-bdd reports the scenarios).
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" \
  --junitxml=reports/allure-results/junit.xml -o junit_suite_name="Модульные и контрактные тесты" "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "pytest collected no tests: that is a failure here, not a pass" >&2
  status=1
fi

# The same scenarios against an emulator in another process (remote mode, as a team stand runs them).
if [ "${CRM_SKIP_REMOTE:-0}" != "1" ] && [ "$#" = "0" ]; then
  bash scripts/test-remote.sh -q || status=1
fi

# One self-contained HTML file (allurerc.mjs: singleFile): it opens from disk, no server needed.
# History and trend accumulate in reports/allure-history.jsonl across runs.
if [ -x node_modules/.bin/allure ]; then
  node_modules/.bin/allure generate reports/allure-results >/dev/null \
    && echo "Allure report: reports/allure-report/index.html (open it in a browser, or: npx allure open reports/allure-report)" \
    || echo "the Allure report could not be generated" >&2
fi
exit "$status"
