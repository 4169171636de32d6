#!/usr/bin/env bash
# Golden outputs for the architecture step: run a tollgate BINARY over the demo registry and the
# fixtures and write every output (stdout, stderr, exit code, JSON, JUnit, summary, site, DORA)
# into OUTDIR, normalised (timings, run ids, temp paths). Compare two OUTDIRs with diff -r.
#   usage: scripts/golden-outputs.sh BINARY OUTDIR [REPO]   (REPO: where the fixtures live; default: this checkout)
# Made for #10 (a refactor with outputs unchanged): the builds before and after, their outputs diffed.
set -uo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2"); repo=$(realpath "${3:-$(dirname "$0")/..}")
rm -rf "$out"; mkdir -p "$out"
work=$(mktemp -d /tmp/golden-work.XXXXXX)
cd "$repo"
export TOLLGATE_TEMPLATES="$repo/site-templates/default" SOURCE_DATE_EPOCH=1764547200 NO_COLOR=1
unset GITHUB_STEP_SUMMARY TOLLGATE_COMMIT GITHUB_SHA CI_COMMIT_SHA BUILDKITE_COMMIT GIT_COMMIT
t() { # t NAME ARGS... : run, keep stdout/stderr/exit
  local name=$1; shift
  "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null; echo $? >"$out/$name.exit"
}
t candidates candidates --config fixtures/demo/tollgate.yml
t validate validate --config fixtures/demo/tollgate.yml
for c in fixtures/demo/*.yml; do
  n=$(basename "$c" .yml)
  t "run-$n" run --config "$c" --no-record --json "$work/$n.json" --junit "$work/$n.junit.xml" --summary "$work/$n.summary.md" --site-url https://example.test/site
  t "run-$n-intervals" run --config "$c" --no-record --intervals --json "$work/$n-intervals.json"
  t "run-$n-quiet" run --config "$c" --no-record --quiet
done
# recorded run, then the fixture year, then the site and DORA
h="$work/h.sqlite"
t run-recorded run --config fixtures/demo/tollgate.yml --history "$h"
t import history import fixtures/history/credit-risk-year.jsonl --history "$h"
h2="$work/year.sqlite"
t import-year history import fixtures/history/credit-risk-year.jsonl --history "$h2"
t site site --history "$h2" --config fixtures/demo/tollgate.yml --out "$work/site"
t site-again site --history "$h2" --config fixtures/demo/tollgate.yml --out "$work/site"
for f in table json markdown openmetrics; do
  for y in 2023 2021; do
    t "dora-$f-$y" dora --history "$h2" --model credit-risk --until 2026-11-30T00:00:00Z --format "$f" --report-year "$y"
  done
done
t dora-all dora --history "$h2" --until 2026-11-30T12:00:00Z
t export history export --history "$h2"
# canary
for c in canary shadow; do
  for e in events events-regressed events-shadow; do
    t "canary-$c-$e" canary --config fixtures/canary/$c.yml --events fixtures/canary/$e.jsonl --json "$work/canary-$c-$e.json"
  done
done
# errors: each must exit 2 with a located message
mkdir -p "$work/bad"; cp -r fixtures/demo/. "$work/bad/"
sed 's/roc_auc/roc_acu/' fixtures/demo/tollgate.yml >"$work/bad/unknown-metric.yml"
printf 'model: [unclosed\n' >"$work/bad/malformed.yml"
sed 's/@ 95%/@ wilcoxon 0.05/' fixtures/demo/intervals.yml >"$work/bad/unknown-test.yml"
for b in unknown-metric malformed unknown-test; do
  t "bad-$b" run --config "$work/bad/$b.yml" --no-record
done
t promote-bad promote credit-risk@99 --config fixtures/demo/tollgate.yml --history "$work/p.sqlite"
# collect files written
mkdir -p "$out/files"
for f in "$work"/*.json "$work"/*.xml "$work"/*.md; do [ -e "$f" ] && cp "$f" "$out/files/"; done
cp -r "$work/site" "$out/files/site" 2>/dev/null
# normalise
grep -rlZ . "$out" | xargs -0 sed -i -E \
  -e "s#$work#WORK#g" \
  -e 's/"(startedAt|finishedAt|started_at|finished_at)" ?: ?"[^"]*"/"\1":"T"/g' \
  -e 's/"(durationSeconds|duration_seconds)" ?: ?[0-9.e+-]+/"\1":D/g' \
  -e 's/(recorded run )[0-9A-Za-z_-]+/\1ID/g' \
  -e 's/time="[0-9.]+"/time="T"/g' -e 's/timestamp="[^"]*"/timestamp="T"/g'
rm -rf "$work"
echo "wrote $(find "$out" -type f | wc -l) files to $out"
