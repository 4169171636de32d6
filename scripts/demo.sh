#!/usr/bin/env bash
# The demo: gate the bundled German-credit registry's candidates against its champion.
# Installs what the build needs, builds, runs `tollgate run`, and reports its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-packages.sh
echo "building tollgate (release; the first build takes a few minutes)…" >&2
log=$(mktemp)
if ! swift build -c release --product tollgate >"$log" 2>&1; then
  cat "$log"
  echo "build failed" >&2
  exit 2
fi
rm -f "$log"
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
case $code in
  0) meaning="pass: promotion may proceed" ;;
  1) meaning="fail: a blocking check failed, so CI would block this merge" ;;
  2) meaning="error: the gate could not decide" ;;
  3) meaning="inconclusive: not enough evidence" ;;
  *) meaning="unexpected" ;;
esac
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
