#!/usr/bin/env bash
# The gist of a failed `swift test` log, for the end of CI's output: the crash report's head and
# the crashed thread's frames, and the tests that started but never finished (a crash ends every
# test still running, so the culprit is among them).
set -uo pipefail
log=${1:?usage: scripts/test-summary.sh LOG}
echo "---- summary of $log ----"
grep -nE 'Fatal error|SWIFT TASK|Crash|crashed:|unexpected signal' "$log" | head -20
if grep -q 'crashed:' "$log"; then
  echo "-- the crashed thread --"
  awk '/crashed:/ { on = 1 } on && n < 40 { print; n++ }' "$log"
fi
echo "-- tests started and not finished --"
awk '
  /^◇ Test .* started\.$/ && !/^◇ Test case / { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name]++ }
  /^(✔|✘|➜) Test .* (passed|failed|skipped)/ && !/^(✔|✘|➜) Test case / {
    name = $0; sub(/^(✔|✘|➜) Test /, "", name); sub(/ (passed|failed|skipped).*$/, "", name); open[name]--
  }
  END { for (name in open) if (open[name] > 0) print "  " name }
' "$log" | sort
echo "-- failures --"
grep -E '^✘ ' "$log" | grep -v 'Test run with' | head -30
