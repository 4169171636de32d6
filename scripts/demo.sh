#!/usr/bin/env bash
# The demo: gate the bundled German-credit registry's candidates against its champion.
# Installs what the build needs, builds, runs `tollgate run`, and reports its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/demo-common.sh
build_release
tollgate=.build/release/tollgate

echo
echo "\$ tollgate candidates --config fixtures/demo/tollgate.yml"
"$tollgate" candidates --config fixtures/demo/tollgate.yml
echo
history=.tollgate/demo-history.sqlite
echo "\$ tollgate run --config fixtures/demo/tollgate.yml --json .tollgate/demo-run.json --history $history"
mkdir -p .tollgate
set +e
"$tollgate" run --config fixtures/demo/tollgate.yml --json .tollgate/demo-run.json --history "$history"
code=$?
set -e
meaning=$(exit_meaning "$code")
echo
echo "tollgate exited with $code ($meaning); the run is in .tollgate/demo-run.json and $history"

# The same candidates with every check weighed against sampling noise ('@ 95%'): not recorded.
echo
echo "\$ tollgate run --config fixtures/demo/intervals.yml --no-record --intervals --json .tollgate/demo-intervals.json"
set +e
"$tollgate" run --config fixtures/demo/intervals.yml --no-record --intervals --json .tollgate/demo-intervals.json
echo "(exit $?: version 3 fails outright; the challenger's per-group checks stay inconclusive while groups under 30 rows are left out)"
set -e

# Delivery health: a year of credit-risk deployments, incidents and gate runs
# (fixtures/history, made by make_history.py), imported beside the run just recorded.
echo
echo "\$ tollgate history import fixtures/history/credit-risk-year.jsonl --history $history"
"$tollgate" history import fixtures/history/credit-risk-year.jsonl --history "$history"
echo
echo "\$ tollgate site --history $history --config fixtures/demo/tollgate.yml --out .tollgate/site"
"$tollgate" site --history "$history" --config fixtures/demo/tollgate.yml --out .tollgate/site
echo "open .tollgate/site/index.html in a browser (it works from file://)"
echo
echo "\$ tollgate dora --history $history --model credit-risk --until 2026-11-30T00:00:00Z"
"$tollgate" dora --history "$history" --model credit-risk --until 2026-11-30T00:00:00Z


# The demo worked if the gate decided; only an error (2) or a crash is a failed demo.
[ "$code" -le 1 ] || [ "$code" -eq 3 ] || exit "$code"
