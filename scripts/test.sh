#!/usr/bin/env bash
# Every test, from a fresh clone: installs what the build needs, builds, runs the suites.
# Oracle values from scikit-learn are committed under fixtures/; the store tests need a real
# PostgreSQL server (started here on loopback from Debian's packages), the OpenMetrics check a
# small venv with prometheus_client, and the site's browser test Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-packages.sh
TOLLGATE_TEST_POSTGRES_URL=$(scripts/postgres.sh)
export TOLLGATE_TEST_POSTGRES_URL
scripts/python-env.sh metrics >/dev/null
scripts/chromium.sh >/dev/null
log=$(mktemp)
if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log"
  echo "build failed" >&2
  exit 1
fi
rm -f "$log"
set +e
# Hide the per-case "started" chatter; keep failures, suite results and the closing count.
swift test --skip-build 2>&1 | grep --line-buffered -vE '^◇|^✔ Test case|^↳'
status=${PIPESTATUS[0]}
exit "$status"
