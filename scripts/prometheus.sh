#!/usr/bin/env bash
# Debian's Prometheus server for the canary tests that read counters over its HTTP API:
# installed once (its service is not started; the tests run their own on 127.0.0.1), and its
# path printed on stdout.
set -euo pipefail
if ! command -v prometheus >/dev/null; then
  echo "installing: prometheus" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
command -v prometheus
