#!/usr/bin/env bash
# The MLflow demo (`make demo-mlflow`): the demo's gate with its three credit-risk versions kept
# in a real MLflow model registry instead of the folder. Builds tollgate (release), makes
# .venv-serving (MLflow), starts `mlflow server` on a free port of 127.0.0.1 with a store of its
# own under .tollgate/demo-mlflow-server-plain (scripts/mlflow-server.sh), registers the
# versions with MLflow's client (fixtures/mlflow/register_demo.py: artifacts, tags, aliases),
# gates them, renders the site from the run, promotes the challenger through MLflow's alias,
# and stops the server on exit. Like `make demo`, exits 0 once the gate has decided (its code is
# printed: the demo's decision is FAIL, exit 1) and 2 when something could not be done.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

source scripts/demo-common.sh
build_release
tollgate=$root/.build/release/tollgate

echo "making .venv-serving (MLflow; once)…" >&2
scripts/python-env.sh serving >/dev/null || { echo "could not make .venv-serving" >&2; exit 2; }

# A server of the demo's own (not the tests'): fresh at every run, stopped on exit.
export TOLLGATE_MLFLOW_STATE=$root/.tollgate/demo-mlflow-server
trap 'scripts/mlflow-server.sh stop' EXIT
trap 'exit 130' INT TERM
url=$(scripts/mlflow-server.sh) || { echo "mlflow server did not start (log: $TOLLGATE_MLFLOW_STATE-plain/server.log)" >&2; exit 2; }
echo "registering the demo's versions in MLflow at $url…" >&2
.venv-serving/bin/python fixtures/mlflow/register_demo.py "$url" credit-risk || exit 2

# The demo's gate, line for line, with the registry an MLflow URL and the data paths absolute.
demo=.tollgate/demo-mlflow
rm -rf "$demo"
mkdir -p "$demo"
sed -e "s|^registry: .*|registry: mlflow+$url|" \
    -e "s|path: data/|path: $root/fixtures/demo/data/|" -e "s|reference: data/|reference: $root/fixtures/demo/data/|" \
    fixtures/demo/tollgate.yml >"$demo/gate.yml"

echo
echo "\$ tollgate candidates --config $demo/gate.yml"
"$tollgate" candidates --config "$demo/gate.yml"
echo
echo "\$ tollgate run --config $demo/gate.yml --json $demo/run.json --history $demo/history.sqlite --site $demo/site"
set +e
"$tollgate" run --config "$demo/gate.yml" --json "$demo/run.json" --history "$demo/history.sqlite" --site "$demo/site" | tee "$demo/run.txt"
code=${PIPESTATUS[0]}
set -e
meaning=$(exit_meaning "$code")
echo
echo "tollgate exited with $code ($meaning)"
[ "$code" -ne 2 ] || exit 2

# Where the challenger passed its checks, point @champion at it in MLflow, and read the alias back.
if ! grep -Eq "candidate 2 \(@challenger\) +decision: PASS" "$demo/run.txt"; then
  echo "the challenger did not pass: nothing promoted"
  exit 0
fi
echo
echo "\$ tollgate promote credit-risk@2 --alias champion --config $demo/gate.yml --history $demo/history.sqlite"
"$tollgate" promote credit-risk@2 --alias champion --config "$demo/gate.yml" --history "$demo/history.sqlite"
echo "MLflow's client now reads credit-risk@champion as version $(.venv-serving/bin/python -c \
  'import sys; from mlflow import MlflowClient; print(MlflowClient(sys.argv[1]).get_model_version_by_alias("credit-risk", "champion").version)' "$url")"
echo
echo "open $demo/site/index.html in a browser (the MLflow-backed versions' cards are under cards/credit-risk/)"
