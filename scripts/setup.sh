#!/usr/bin/env bash
# Installs everything the suite needs into this checkout: a virtualenv with the project, a Chromium
# for Playwright, and Allure 3 for the HTML report. Safe to run again; it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/venv.sh
ensure_venv test dev

# A browser for the @ui scenarios: the system's Chromium where there is one (or can be installed
# from the distribution, as on CI), Playwright's own download elsewhere (a developer's laptop).
# Headless runs use Chromium's headless shell (chromium-headless-shell, as Playwright does: much cheaper
# contexts and page loads), --headed runs the full browser.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromium-headless-shell ]; then
  echo "browser: /usr/bin/chromium-headless-shell (headless), /usr/bin/chromium (--headed)"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
  echo "browser: /usr/bin/chromium-headless-shell and /usr/bin/chromium (installed from the distribution)"
elif [ -x /usr/bin/chromium ]; then
  echo "browser: /usr/bin/chromium (no headless shell here: headless runs use the full browser)"
else
  .venv/bin/python -m playwright install chromium
fi

# Allure 3 (npm package "allure") renders the HTML report; no Java needed.
if command -v npm >/dev/null 2>&1; then
  npm install --no-audit --no-fund --silent >/dev/null 2>&1 || npm install --no-audit --no-fund
else
  echo "npm not found: the suite runs, but the HTML report needs Node.js (npm install)" >&2
fi
