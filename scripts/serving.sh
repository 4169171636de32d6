#!/usr/bin/env bash
# The real inference servers of the live-scoring tests and demo, on 127.0.0.1 only:
#   MLServer (one process, parallel_workers 0) serving fixtures/serving/mlserver's two
#   scikit-learn models (credit-lr, credit-gb) over the Open Inference Protocol v2, and
#   `mlflow models serve` (--env-manager local, one worker) serving fixtures/serving/mlflow/credit-lr.
# Every port is chosen free at start (HTTP, gRPC and metrics for MLServer; HTTP for MLflow), so
# several checkouts can run their servers at once. State and logs: $TOLLGATE_SERVING_DIR
# (default .tollgate/serving in this checkout).
#   scripts/serving.sh start    starts both unless running, waits until they answer ready,
#                               prints `export TOLLGATE_TEST_MLSERVER_URL=…` and
#                               `export TOLLGATE_TEST_MLFLOW_SERVE_URL=…` (eval them)
#   scripts/serving.sh status   exits 0 when both are running (and prints the exports)
#   scripts/serving.sh stop     stops both, and their children
# On a failed start the servers' logs are printed to stderr and kept in the state folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-start}
state=${TOLLGATE_SERVING_DIR:-$root/.tollgate/serving}
mkdir -p "$state"

running() { # name
  local pid
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

exports() {
  echo "export TOLLGATE_TEST_MLSERVER_URL=http://127.0.0.1:$(cat "$state/mlserver.port")"
  echo "export TOLLGATE_TEST_MLFLOW_SERVE_URL=http://127.0.0.1:$(cat "$state/mlflow.port")"
}

stop_one() { # name: TERM to the whole process group (setsid made the server its leader), then KILL
  local pid
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$state/$1.pid"
}

case $mode in
  status)
    running mlserver && running mlflow && exports && exit 0
    exit 1 ;;
  stop)
    stop_one mlserver
    stop_one mlflow
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/serving.sh start|stop|status" >&2; exit 2 ;;
esac

if running mlserver && running mlflow; then exports; exit 0; fi
stop_one mlserver
stop_one mlflow

python=$(scripts/python-env.sh serving | tail -1)
bin=$(dirname "$python")
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

failed() {
  echo "serving.sh: $1; logs in $state" >&2
  for log in "$state"/mlserver.log "$state"/mlflow.log; do
    [ -f "$log" ] && { echo "--- $log (last 40 lines)" >&2; tail -40 "$log" >&2; }
  done
  stop_one mlserver
  stop_one mlflow
  exit 1
}

# MLServer reads the model folders (and settings.json: host, workers) from a repository folder,
# and its ports from the environment, so the committed files never hold a port.
http=$(free_port); grpc=$(free_port); metrics=$(free_port)
while [ "$grpc" = "$http" ]; do grpc=$(free_port); done
while [ "$metrics" = "$http" ] || [ "$metrics" = "$grpc" ]; do metrics=$(free_port); done
echo "$http" > "$state/mlserver.port"
(
  cd fixtures/serving/mlserver
  PATH="$bin:$PATH" MLSERVER_HOST=127.0.0.1 MLSERVER_HTTP_PORT=$http MLSERVER_GRPC_PORT=$grpc MLSERVER_METRICS_PORT=$metrics \
    MLSERVER_PARALLEL_WORKERS=0 OMP_NUM_THREADS=1 exec setsid "$bin/mlserver" start . >"$state/mlserver.log" 2>&1 < /dev/null &
  echo $! > "$state/mlserver.pid"
)

port=$(free_port)
while [ "$port" = "$http" ] || [ "$port" = "$grpc" ] || [ "$port" = "$metrics" ]; do port=$(free_port); done
echo "$port" > "$state/mlflow.port"
(
  PATH="$bin:$PATH" OMP_NUM_THREADS=1 MLFLOW_TRACKING_URI="file://$state/mlruns" exec setsid "$bin/mlflow" models serve \
    -m fixtures/serving/mlflow/credit-lr --env-manager local -h 127.0.0.1 -p "$port" -w 1 >"$state/mlflow.log" 2>&1 < /dev/null &
  echo $! > "$state/mlflow.pid"
)

ready() { # url: 200 within 2 s
  "$python" - "$1" <<'PY'
import sys, urllib.request
try:
    sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

deadline=$((SECONDS + ${TOLLGATE_SERVING_TIMEOUT:-180}))
for url in "http://127.0.0.1:$http/v2/health/ready" "http://127.0.0.1:$http/v2/models/credit-lr/ready" \
  "http://127.0.0.1:$http/v2/models/credit-gb/ready" "http://127.0.0.1:$port/ping"; do
  until ready "$url"; do
    running mlserver || failed "MLServer exited"
    running mlflow || failed "mlflow models serve exited"
    [ $SECONDS -lt $deadline ] || failed "no answer from $url within ${TOLLGATE_SERVING_TIMEOUT:-180} s"
    sleep 0.5
  done
done
echo "serving.sh: MLServer at http://127.0.0.1:$http (credit-lr, credit-gb), mlflow models serve at http://127.0.0.1:$port" >&2
exports
