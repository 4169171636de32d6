#!/usr/bin/env python3
"""Benchmark: one canary look over 10M events, and a look with --state after 10k new events.

Generates a seeded event log (bench/.data/canary-N.jsonl, made once; two arms alternating,
log-normal latency, 1% and 1.2% errors, a score per request), then, in one run:
  1. one look over all N events: `tollgate canary` beside bench/peer_canary.py (Python's json
     module and running sums), wall time and peak RSS from wait4, and their estimates compared;
  2. the cost of a look with --state after 10,000 new events: the first N - 10,000 events are
     looked at with --state, 10,000 appended, and the next look timed (it reads only the new
     events); beside it the peer, which keeps no state and reads everything again.
Writes the table to stdout and bench/canary_results.md.

Usage: python3 bench/canary_bench.py [--events 10000000] [--tollgate .build/release/tollgate]
"""
import argparse
import json
import os
import platform
import random
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """model: bench
mode: canary
checks:
  - error_rate <= baseline + 0.01
  - mean_ms <= baseline * 1.05
  - mean(score) <= baseline + 0.02 warn
statistics: {alpha: 0.05, min_samples: 500, max_samples: 20000000}
"""


def measure_rss(command):
    """Wall seconds, peak RSS (MiB), stdout, exit code of one child, from wait4."""
    with tempfile.TemporaryFile() as sink, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=sink, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        sink.seek(0)
        errors.seek(0)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 3):
            sys.exit(f"{command[0]} failed ({code}): {errors.read().decode()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, sink.read().decode()


def generate(n, path, seed=7):
    if path.exists() and path.stat().st_size > 0:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = 1_780_000_000.0
    with open(path.with_suffix(".tmp"), "w") as f:
        for k in range(n):
            arm = "canary" if k % 2 else "baseline"
            error = rng.random() < (0.012 if arm == "canary" else 0.01)
            latency = math.exp(rng.gauss(3.0, 0.4))
            f.write(
                f'{{"arm":"{arm}","ts":{start + k * 0.001:.3f},"request_id":"r{k}","latency_ms":{latency:.3f},'
                f'"status":{503 if error else 200},"score":{rng.random():.4f}}}\n'
            )
    os.replace(path.with_suffix(".tmp"), path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--tollgate", default=str(ROOT / ".build/release/tollgate"))
    args = parser.parse_args()
    n = args.events
    events = ROOT / f"bench/.data/canary-{n}.jsonl"
    t0 = time.perf_counter()
    generate(n, events)
    print(f"events: {events} ({events.stat().st_size / 2**20:.0f} MiB, generated or reused in {time.perf_counter() - t0:.0f} s)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="canary-bench-"))
    try:
        config = work / "canary.yml"
        config.write_text(CONFIG)
        verdict = work / "verdict.json"
        t_wall, t_rss, t_out = measure_rss([args.tollgate, "canary", "--config", str(config), "--events", str(events), "--json", str(verdict)])
        p_wall, p_rss, p_out = measure_rss([sys.executable, str(ROOT / "bench/peer_canary.py"), str(events), "0.05", "500", "20000000"])
        mine = {c["expression"].split(" ")[0]: c for c in json.loads(verdict.read_text())["checks"]}
        peer = json.loads(p_out)
        worst = max(abs(mine[name]["estimate"] - peer[name]["estimate"]) for name in peer)
        counts = all(mine[name]["n_baseline"] == peer[name]["n_baseline"] and mine[name]["n_canary"] == peer[name]["n_canary"] for name in peer)

        # A look with --state after 10,000 new events.
        head = work / "events.jsonl"
        with open(events, "rb") as source, open(head, "wb") as target:
            for k, line in enumerate(source):
                if k == n - 10_000:
                    break
                target.write(line)
        state = work / "state.json"
        measure_rss([args.tollgate, "canary", "--config", str(config), "--events", str(head), "--state", str(state)])
        with open(events, "rb") as source, open(head, "ab") as target:
            for k, line in enumerate(source):
                if k >= n - 10_000:
                    target.write(line)
        s_wall, s_rss, s_out = measure_rss([args.tollgate, "canary", "--config", str(config), "--events", str(head), "--state", str(state)])
        assert "(10000 new events)" in s_out, s_out
        state_kib = state.stat().st_size / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("one look over all events", f"{t_wall:.2f} s", f"{t_rss:.0f} MiB", f"{p_wall:.2f} s", f"{p_rss:.0f} MiB", f"{p_wall / t_wall:.1f}x"),
        ("look with --state after 10k new", f"{s_wall:.3f} s", f"{s_rss:.0f} MiB", f"{p_wall:.2f} s (reads all)", f"{p_rss:.0f} MiB", f"{p_wall / s_wall:.0f}x"),
    ]
    lines = [
        f"Canary looks over {n:,} events ({events.stat().st_size / 2**20:.0f} MiB of JSON Lines), {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "",
        "| | Tollgate | peak RSS | Python peer (json + running sums) | peak RSS | peer / Tollgate |",
        "|---|---|---|---|---|---|",
    ] + ["| " + " | ".join(row) + " |" for row in rows] + [
        "",
        f"Counts per arm equal: {counts}; largest difference between the estimates: {worst:.2e}. "
        f"The state file after the look: {state_kib:.1f} KiB.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench/canary_results.md").write_text(text)


if __name__ == "__main__":
    main()
