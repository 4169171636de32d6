# What the demos share; sourced by scripts/demo.sh, demo-live.sh and demo-mlflow.sh from the
# repository's root.

# Installs what the build needs and builds tollgate (release), showing the build's log only when
# it fails; exits 2 then, as for anything the demo could not do.
build_release() {
  scripts/system-packages.sh || exit 2
  echo "building tollgate (release; the first build takes a few minutes)…" >&2
  local log
  log=$(mktemp)
  if ! swift build -c release --product tollgate >"$log" 2>&1; then
    cat "$log"
    echo "build failed" >&2
    rm -f "$log"
    exit 2
  fi
  rm -f "$log"
}

# What a tollgate exit code means (the contract in the README's "Exit codes").
exit_meaning() {
  case $1 in
    0) echo "pass: promotion may proceed" ;;
    1) echo "fail: a blocking check failed, so CI would block this merge" ;;
    2) echo "error: the gate could not decide" ;;
    3) echo "inconclusive: not enough evidence" ;;
    *) echo "unexpected" ;;
  esac
}
