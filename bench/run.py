"""Benchmark: `tollgate run` beside the Python peers, in the same session, on the same files.

Usage: .venv/bin/python bench/run.py [--sizes 1000000,10000000] [--repeat 3] [--tollgate PATH]
For each size: generates the data once under bench/.data/<rows>/ (git-ignored; made again when
bench/gen_data.py changes), runs tollgate and the peer `--repeat` times each (median wall time,
maximum peak RSS, both from wait4), compares their metric values, then runs the full suite set
once. Prints a Markdown table and writes it, with the machine and versions, to
bench/results/latest.md; a complete run of the release binary (every tollgate run a decision,
every metric compared) also rewrites BENCHMARKS.md, unless --no-publish.
Tollgate's exit codes 0, 1 and 3 are gate decisions; anything else is reported as an error.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RELEASE = ROOT / ".build" / "release" / "tollgate"
DECISIONS = (0, 1, 3)  # pass, fail, inconclusive: all are answers; 2 (or a crash) is an error


def measure(command, stdout_path=None):
    """Wall seconds and peak RSS (MiB) of one child process, from wait4's rusage."""
    with open(stdout_path or os.devnull, "wb") as sink:
        start = time.perf_counter()
        try:
            child = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        except OSError as error:
            return time.perf_counter() - start, 0.0, 127, str(error)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        stderr = child.stderr.read().decode(errors="replace")
        child.stderr.close()
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def generate(n, out):
    """Generates the gate for n rows unless the cached one was made by this very gen_data.py."""
    generator = ROOT / "bench" / "gen_data.py"
    stamp = out / ".generated"
    want = f"{n} {hashlib.sha256(generator.read_bytes()).hexdigest()}"
    if stamp.exists() and stamp.read_text().strip() == want:
        return
    started = time.perf_counter()
    subprocess.run([PYTHON, str(generator), str(n), str(out)], check=True)
    stamp.write_text(want + "\n")
    print(f"generated {n:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def read_json(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def tollgate_metrics(report):
    """Champion and challenger metrics from tollgate's --json report, or None if it has none."""
    try:
        return {"1": dict(report["champion"]["metrics"]), "2": dict(report["candidates"][0]["metrics"])}
    except (TypeError, KeyError, IndexError):
        return None


def max_difference(ours, theirs, keys=None):
    """Largest absolute difference over the metrics both sides have (None if there are none)."""
    differences = [abs(ours[v][k] - theirs[v][k]) for v in theirs if v in ours for k in theirs[v]
                   if (keys is None or keys(k)) and isinstance(ours[v].get(k), (int, float)) and isinstance(theirs[v][k], (int, float))]
    return max(differences) if differences else None


def run_tollgate(tollgate, config, report, errors, label):
    """One tollgate run; a stale report is removed first so that it cannot be compared by mistake."""
    report.unlink(missing_ok=True)
    wall, rss, code, err = measure([tollgate, "run", "--config", str(config), "--json", str(report), "--quiet"])
    if code not in DECISIONS:
        errors.append(f"{label}: tollgate exited {code}: {err.strip()[:2000]}")
    return wall, rss, code


def run_peer(command, stdout_path, errors, label):
    wall, rss, code, err = measure(command, stdout_path=stdout_path)
    if code != 0:
        errors.append(f"{label}: {Path(command[1]).name} exited {code}: {err.strip()[-2000:]}")
    return wall, rss, code


def fmt(value, spec, missing="n/a"):
    return missing if value is None else format(value, spec)


def accuracy_gate(n, out, args, errors):
    """The accuracy gate, `repeat` times for each tool; returns one table row per tool."""
    label = f"{n:,} rows"
    ours, peer, codes = [], [], []
    for _ in range(args.repeat):
        wall, rss, code = run_tollgate(args.tollgate, out / "tollgate.yml", out / "tollgate.json", errors, label)
        codes.append(code)
        if code not in DECISIONS:
            break  # timing an error is meaningless; the peer still runs once for its own figures
        ours.append((wall, rss))
    for _ in range(args.repeat if ours else 1):
        wall, rss, code = run_peer([PYTHON, str(ROOT / "bench" / "peer.py"), str(out)], out / "peer.json", errors, label)
        if code != 0:
            break
        peer.append((wall, rss))
    measured = tollgate_metrics(read_json(out / "tollgate.json"))
    theirs = read_json(out / "peer.json") if peer else None
    difference = max_difference(measured, theirs) if measured and theirs else None
    return summarise(n, out, ours, peer, codes, difference, "peer: pandas + scikit-learn")


def full_suite(n, out, args, errors):
    """The full suite set, once: accuracy, fairness, drift, latency and non-functional checks."""
    label = f"{n:,} rows, full suite"
    wall, rss, code = run_tollgate(args.tollgate, out / "tollgate-full.yml", out / "full.json", errors, label)
    ours = [(wall, rss)] if code in DECISIONS else []
    evidently = ROOT / ".venv-evidently" / "bin" / "python"
    f_wall, f_rss, f_code = run_peer([PYTHON, str(ROOT / "bench" / "peer_full.py"), str(out)], out / "peer-full.json", errors, label)
    d_wall, d_rss, d_code = run_peer([str(evidently), str(ROOT / "bench" / "peer_drift.py"), str(out)], out / "peer-drift.json", errors, label)
    peers = [(f_wall + d_wall, max(f_rss, d_rss))] if f_code == 0 and d_code == 0 else []
    measured = tollgate_metrics(read_json(out / "full.json"))
    theirs = read_json(out / "peer-full.json") if f_code == 0 else None
    drift = read_json(out / "peer-drift.json") if d_code == 0 else None
    difference = latency = None
    if measured and theirs:
        for metrics in measured.values():  # the worst group, as the check computes it from the groups
            groups = [v for k, v in metrics.items() if k.startswith("recall[sex=") and "age_band=" in k and isinstance(v, (int, float))]
            if groups:
                metrics["min(recall[sex, age_band])"] = min(groups)
        difference = max_difference(measured, theirs, keys=lambda k: not k.endswith("_ms"))
        if drift:
            drift_difference = max_difference(measured, {"2": drift})
            if drift_difference is not None:
                difference = drift_difference if difference is None else max(difference, drift_difference)
        relative = [abs(measured[v][k] - theirs[v][k]) / theirs[v][k] for v in theirs for k in theirs[v]
                    if k.endswith("_ms") and isinstance(measured.get(v, {}).get(k), (int, float)) and theirs[v][k]]
        latency = max(relative) if relative else None
    row = summarise(n, out, ours, peers, [code], difference, "peers: pandas, scikit-learn, fairlearn, numpy + Evidently")
    row["latency"] = latency
    return row


STATS_CHECKS = {
    "roc_auc >= champion - 0.01 @ 95%": "roc_auc", "accuracy >= champion - 0.01 @ 95%": "accuracy",
    "log_loss <= champion * 1.05 @ 95%": "log_loss", "demographic_parity_ratio[sex] >= 0.8 @ 95%": "demographic_parity_ratio[sex]",
}


def statistical_gate(n, out, args, errors):
    """Four '@ 95%' checks, once each tool; both draw the same resamples, so intervals must agree."""
    label = f"{n:,} rows, statistical gate"
    wall, rss, code = run_tollgate(args.tollgate, out / "tollgate-stats.yml", out / "stats.json", errors, label)
    ours = [(wall, rss)] if code in DECISIONS else []
    p_wall, p_rss, p_code = run_peer([PYTHON, str(ROOT / "bench" / "peer_bootstrap.py"), str(out)], out / "peer-stats.json", errors, label)
    peer = [(p_wall, p_rss)] if p_code == 0 else []
    report, theirs = read_json(out / "stats.json"), read_json(out / "peer-stats.json") if p_code == 0 else None
    difference = None
    if report and theirs:
        checks = {c["expression"]: c["interval"] for c in report["candidates"][0]["checks"]}
        pairs = [(a, b) for expression, key in STATS_CHECKS.items() for a, b in zip(checks.get(expression) or [], theirs["intervals"][key])]
        difference = max(abs(a - b) for a, b in pairs) if len(pairs) == 2 * len(STATS_CHECKS) else None
    row = summarise(n, out, ours, peer, [code], difference, "peer: numpy resamples scored by scikit-learn + fairlearn")
    row["resamples"] = theirs["resamples"] if theirs else None
    return row


def summarise(n, out, ours, peer, codes, difference, peer_name):
    return {
        "rows": n, "input_mib": sum(f.stat().st_size for f in out.rglob("*.csv")) / 2**20, "peer_name": peer_name,
        "runs": (len(ours), len(peer)), "codes": codes,
        "tollgate": (median([w for w, _ in ours]), max(r for _, r in ours)) if ours else None,
        "peer": (median([w for w, _ in peer]), max(r for _, r in peer)) if peer else None,
        "difference": difference,
    }


def table(rows, latency_column=False):
    header = "| rows | input CSVs | tool | runs | wall s | peak RSS MiB | peer ÷ tollgate (time) | tollgate ÷ peer (memory) | max abs metric difference |"
    rule = "| ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: |"
    if latency_column:
        header += " latency percentiles, max relative difference |"
        rule += " ---: |"
    lines = [header, rule]
    for row in rows:
        size = f"{row['input_mib']:.0f} MiB"
        t, p = row["tollgate"], row["peer"]
        time_ratio = f"**{p[0] / t[0]:.1f}×**" if t and p and t[0] > 0 else "n/a"
        memory_ratio = f"**{t[1] / p[1]:.3f}**" if t and p and p[1] > 0 else "n/a"
        extra = f" {fmt(row.get('latency'), '.1e')} |" if latency_column else ""
        if t:
            lines.append(f"| {row['rows']:,} | {size} | tollgate | {row['runs'][0]} | {t[0]:.2f} | {t[1]:.0f} | {time_ratio} | {memory_ratio} | "
                         f"{fmt(row['difference'], '.1e')} |{extra}")
        else:
            failed = next((c for c in row["codes"] if c not in DECISIONS), "?")
            lines.append(f"| {row['rows']:,} | {size} | tollgate | {row['runs'][0]} | error (exit {failed}) | - | n/a | n/a | n/a |{' n/a |' if latency_column else ''}")
        if p:
            lines.append(f"| {row['rows']:,} | {size} | {row['peer_name']} | {row['runs'][1]} | {p[0]:.2f} | {p[1]:.0f} | | | |{' |' if latency_column else ''}")
        else:
            lines.append(f"| {row['rows']:,} | {size} | {row['peer_name']} | 0 | error | - | | | |{' |' if latency_column else ''}")
    return lines


def environment(tollgate):
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    python = subprocess.run([PYTHON, "-c", "import sklearn, pandas, numpy, fairlearn; print(f'scikit-learn {sklearn.__version__}, "
                             "fairlearn {fairlearn.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}')"],
                            capture_output=True, text=True).stdout.strip()
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        swift = "swift: not found"
    return [
        f"Machine: {os.cpu_count()} cores (nproc), {cpu}; {platform.platform()}.  ",
        f"Tools: tollgate `{os.path.relpath(tollgate, ROOT) if str(tollgate).startswith(str(ROOT)) else tollgate}`, {swift}; "
        f"Python {platform.python_version()}, {python}.  ",
        f"Measured: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool on the accuracy gate (median wall, max RSS)")
    parser.add_argument("--tollgate", default=str(RELEASE), help="the tollgate binary (default: .build/release/tollgate)")
    parser.add_argument("--no-full", action="store_true", help="skip the full suite set (fairness, drift, latency, non-functional)")
    parser.add_argument("--stats-sizes", default="100000", help="row counts for the statistical gate ('' skips it)")
    parser.add_argument("--no-publish", action="store_true", help="write bench/results/latest.md only, never BENCHMARKS.md")
    args = parser.parse_args()
    args.repeat = max(1, args.repeat)

    errors, rows, full_rows, stats_rows = [], [], [], []
    stats_sizes = {int(s) for s in args.stats_sizes.split(",") if s.strip()}
    # A statistical-gate size is measured like any other size too.
    for n in sorted({int(s) for s in args.sizes.split(",") if s.strip()} | stats_sizes):
        out = ROOT / "bench" / ".data" / str(n)
        generate(n, out)
        row = accuracy_gate(n, out, args, errors)
        rows.append(row)
        t, p = row["tollgate"], row["peer"]
        print(f"{n:,} rows: tollgate {fmt(t and t[0], '.2f')} s {fmt(t and t[1], '.0f')} MiB | peer {fmt(p and p[0], '.2f')} s "
              f"{fmt(p and p[1], '.0f')} MiB | max |difference| {fmt(row['difference'], '.2e')}", file=sys.stderr)
        if not args.no_full:
            row = full_suite(n, out, args, errors)
            full_rows.append(row)
            t, p = row["tollgate"], row["peer"]
            print(f"{n:,} rows, full suite: tollgate {fmt(t and t[0], '.2f')} s | peers {fmt(p and p[0], '.2f')} s | "
                  f"max |difference| {fmt(row['difference'], '.2e')}, latency {fmt(row['latency'], '.1e')} relative", file=sys.stderr)
        if n in stats_sizes:
            row = statistical_gate(n, out, args, errors)
            stats_rows.append(row)
            t, p = row["tollgate"], row["peer"]
            print(f"{n:,} rows, statistical gate: tollgate {fmt(t and t[0], '.2f')} s | peer {fmt(p and p[0], '.2f')} s | "
                  f"max |interval difference| {fmt(row['difference'], '.2e')}", file=sys.stderr)

    accuracy_table = table(rows)
    full_table = table(full_rows, latency_column=True) if full_rows else []
    stats_table = table(stats_rows) if stats_rows else []
    report = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit by hand. Both tools run in the same session on the",
        "same files, one after the other; wall time is the median of the runs, peak RSS the maximum (from `wait4`).",
        "",
        "## Accuracy gate: `tollgate run` vs pandas + scikit-learn",
        "",
        "A binary gate on two versions (champion and challenger), eleven metrics each (accuracy, balanced accuracy,",
        "precision, recall, F1, ROC AUC, average precision, log loss, Brier, MCC, ECE). Tollgate streams the dataset",
        "once, joins both predictions files in lockstep, verifies the artifacts' sha256 and writes the JSON report;",
        "the peer (`bench/peer.py`) reads the CSVs with pandas, merges on the id and calls scikit-learn.",
        "",
        *accuracy_table,
        "",
        *environment(args.tollgate),
        "",
        "Goal (issue 2): at 10M rows at least 10× faster than the peer and under a fifth of its memory.",
        "",
    ]
    if full_table:
        report += [
            "## Full suite set: accuracy, fairness, drift, latency and non-functional checks",
            "",
            "`tollgate-full.yml` adds fairness checks over sex and age band (and their intersection), drift of four",
            "columns against a 100k-row reference, latency from 200k recorded requests per version, and non-functional",
            "checks. The peers run one after the other and their times are added: `bench/peer_full.py` (pandas,",
            "scikit-learn, fairlearn, numpy percentiles) and `bench/peer_drift.py` (Evidently 0.7.23's default drift",
            "tests, in its own pandas-2 venv). Latency percentiles are HdrHistogram buckets (three significant digits),",
            "hence a relative difference up to 1e-3 against numpy's exact ones. One run of each.",
            "",
            *full_table,
            "",
        ]
    if stats_table:
        resamples = next((r["resamples"] for r in stats_rows if r.get("resamples")), "?")
        report += [
            "## Statistical gate: the paired bootstrap",
            "",
            f"`tollgate-stats.yml`: four `@ 95%` checks (ROC AUC, accuracy and log loss against the champion, the",
            f"demographic parity ratio over sex), {resamples} paired resamples of every row. Tollgate ranks the rows once and scores",
            "each resample in one pass over per-row counts; the peer (`bench/peer_bootstrap.py`) indexes the rows of",
            "each resample and calls scikit-learn and fairlearn, as the reference spec describes. Both draw the same",
            "resamples (the peer vectorises Tollgate's SplitMix64 stream), so the last column compares the four intervals",
            "themselves. One run of each.",
            "",
            *stats_table,
            "",
        ]
    if errors:
        report += ["## Errors", "", *[f"- {line.splitlines()[0] if line else line}" for line in errors], ""]
    text = "\n".join(report)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.md").write_text(text)
    complete = not errors and all(r["difference"] is not None for r in rows + full_rows + stats_rows)
    if complete and not args.no_publish and Path(args.tollgate).resolve() == RELEASE.resolve():
        # The history benchmarks own the sections from "## History" on: keep them.
        published = ROOT / "BENCHMARKS.md"
        previous = published.read_text() if published.exists() else ""
        kept = previous[previous.index("## History"):] if "## History" in previous else ""
        published.write_text(text + ("\n" + kept if kept else ""))
        written = "bench/results/latest.md and BENCHMARKS.md"
    else:
        written = "bench/results/latest.md (BENCHMARKS.md kept: only a complete run of the release binary rewrites it)"
    print("\n".join(accuracy_table + ([""] + full_table if full_table else []) + ([""] + stats_table if stats_table else [])))
    print(f"\nwrote {written}", file=sys.stderr)
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
