#!/usr/bin/env bash
# An MLflow tracking server on loopback for the MLflow-registry tests, from .venv-serving.
# It listens on a free port chosen now, keeps its SQLite store and artifacts in a state folder,
# and prints its URL on stdout once /health answers. Everything else goes to stderr.
#   scripts/mlflow-server.sh [start|stop|status] [auth]
#     start    starts it (or reuses the one already running) and prints the URL
#     status   exits 0 when it runs, 1 otherwise
#     stop     stops it (the test command stops a server it started itself)
#   `auth` runs a second server with MLflow's basic-auth app (admin user: admin, password in
#   the state folder's admin-password file), for the 401/403 tests.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-start}
flavour=${2:-plain}

state=${TOLLGATE_MLFLOW_STATE:-$PWD/.tollgate/mlflow-server}-$flavour
pidfile=$state/server.pid
urlfile=$state/url

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case $mode in
  status) running; exit ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      # The server runs in its own process group (setsid): its uvicorn worker goes with it.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile" "$urlfile"
    exit 0 ;;
  start) ;;
  *) echo "usage: scripts/mlflow-server.sh [start|stop|status] [auth]" >&2; exit 2 ;;
esac

if running && [ -f "$urlfile" ]; then cat "$urlfile"; exit 0; fi

scripts/python-env.sh serving >/dev/null
python=.venv-serving/bin/python
rm -rf "$state"
mkdir -p "$state/artifacts"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

extra=()
if [ "$flavour" = auth ]; then
  # mlflow[auth]'s extras, pinned, beside (not inside) .venv-serving; installed once per pin.
  deps=.venv-serving-auth
  want=$(sha256sum scripts/requirements-mlflow-auth.txt | cut -d' ' -f1)
  if [ "$(cat "$deps/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    rm -rf "$deps"
    "$python" -m pip install --quiet --disable-pip-version-check --no-deps --target "$deps" -r scripts/requirements-mlflow-auth.txt >&2
    echo "$want" > "$deps/.requirements.sha256"
  fi
  export PYTHONPATH=$PWD/$deps${PYTHONPATH:+:$PYTHONPATH}
  password=$("$python" -c 'import secrets; print(secrets.token_hex(12))')
  printf '%s\n' "$password" > "$state/admin-password"
  chmod 600 "$state/admin-password"
  cat > "$state/basic_auth.ini" <<INI
[mlflow]
default_permission = NO_PERMISSIONS
database_uri = sqlite:///$state/basic_auth.db
admin_username = admin
admin_password = $password
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
INI
  export MLFLOW_AUTH_CONFIG_PATH=$state/basic_auth.ini
  # The app's CSRF secret: random per server, it only has to outlive this one process.
  MLFLOW_FLASK_SERVER_SECRET_KEY=$("$python" -c 'import secrets; print(secrets.token_hex(16))')
  export MLFLOW_FLASK_SERVER_SECRET_KEY
  extra=(--app-name basic-auth)
fi

# setsid: a process group of its own, so `stop` ends the server and its worker, and nothing else.
MLFLOW_ALLOW_FILE_STORE=false setsid .venv-serving/bin/mlflow server \
  --backend-store-uri "sqlite:///$state/mlflow.db" --artifacts-destination "$state/artifacts" \
  --host 127.0.0.1 --port "$port" --workers 1 "${extra[@]}" >"$state/server.log" 2>&1 < /dev/null &
echo $! > "$pidfile"

for _ in $(seq 1 240); do
  if "$python" -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('$url/health', timeout=2).status == 200 else 1)" 2>/dev/null; then
    echo "$url" > "$urlfile"
    echo "$url"
    exit 0
  fi
  if ! running; then break; fi
  sleep 0.5
done
echo "mlflow server did not become healthy at $url; its log ($state/server.log):" >&2
tail -40 "$state/server.log" >&2 || true
"$0" stop "$flavour"
exit 1
