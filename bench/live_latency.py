#!/usr/bin/env python3
"""Benchmark: Tollgate's open-loop load beside Locust and Debian's wrk, against the inference stub.

Usage: .venv-load/bin/python bench/live_latency.py [--tollgate PATH] [--stub PATH] [--seconds 5]
Expects the release binaries (`swift build -c release --product tollgate --product inference-stub`)
and `wrk` (apt). Prints two tables, side by side in one run, and writes them to bench/live_results.md:

  1. The highest rate one core holds. The load client is pinned to CPU 0 (taskset), the stub to
     CPU 1. For each target rate, Tollgate runs a gate whose `load:` sends one-row requests at that
     rate for --seconds; it holds the rate when under 1% of its sends are late (over 10 ms) or
     dropped. Locust (FastHttpUser, one process, users x constant_throughput(10) = the rate) holds
     it when it achieves at least 99% of the rate (Locust keeps no schedule to be late against).
  2. What coordinated omission hides. The stub answers in 2 ms but freezes for 1 s, 5 s after the
     first request. Tollgate sends 50 requests/s for 10 s (open loop, latency from each request's
     intended send time); wrk -t1 -c1 sends one request after another for 10 s (closed loop).
"""
import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RATES = [250, 500, 1000, 2000, 4000, 8000]


def start_stub(stub, *options):
    """The stub on CPU 1; its URL is the first line it prints."""
    child = subprocess.Popen(["taskset", "-c", "1", stub, *options], stdout=subprocess.PIPE, text=True)
    url = child.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        child.kill()
        sys.exit(f"the stub did not start: {url!r}")
    return child, url


def stop(child):
    child.terminate()
    child.wait(timeout=10)


def gate(folder, url, rate, seconds, max_in_flight=512):
    """A gate whose champion and candidate are both the stub, under `load:` at `rate`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_text("id,risk,x1\n" + "".join(f"r{i},{i % 2},{i / 4}\n" for i in range(200)))
    for version in ("1", "2"):
        d = folder / "registry" / "stub" / version
        d.mkdir(parents=True, exist_ok=True)
        (d / "version.yaml").write_text(
            f'created_at: "2026-12-0{version}T00:00:00Z"\nscorer:\n  http:\n    url: {url}\n    protocol: oip-v2\n    model: m\n'
            "    batch_size: 100\nschema:\n  inputs: {x1: number}\n")
    (folder / "registry" / "stub" / "model.yaml").write_text('aliases: {champion: "1", challenger: "2"}\n')
    config = folder / "gate.yml"
    config.write_text(
        "model: stub\nregistry: registry\nchampion: \"@champion\"\ncandidates: [\"@challenger\"]\n"
        "dataset: {path: data.csv, id: id, label: risk, task: binary}\n"
        "checks:\n  latency:\n    - p99_ms <= 60000\n"
        f"load: {{rate: {rate}, duration: {seconds}s, warmup: 1s, max_in_flight: {max_in_flight}}}\n")
    return config


def tollgate_load(tollgate, url, rate, seconds, work):
    config = gate(work / f"gate-{rate}", url, rate, seconds)
    out = work / f"run-{rate}.json"
    start = time.perf_counter()
    child = subprocess.run(
        ["taskset", "-c", "0", tollgate, "run", "--config", str(config), "--no-record", "--quiet", "--json", str(out)],
        capture_output=True, text=True)
    if child.returncode not in (0, 1, 3):
        sys.exit(f"tollgate exited {child.returncode}: {child.stderr}")
    report = json.loads(out.read_text())
    loads = [v["load"] for v in [report["champion"], *report["candidates"]] if v.get("load")]
    scheduled = sum(v["scheduled"] for v in loads)
    missed = sum(v["late"] + v["dropped"] for v in loads)
    return {"achieved": loads[0]["achieved_rps"], "missed": missed / scheduled, "holds": missed <= 0.01 * scheduled,
            "p99": report["candidates"][0]["metrics"]["p99_ms"], "wall": time.perf_counter() - start}


def locust_load(locust, url, rate, seconds, work):
    users = max(1, round(rate / 10))
    prefix = work / f"locust-{rate}"
    env = dict(os.environ, RATE_PER_USER="10")
    subprocess.run(
        ["taskset", "-c", "0", locust, "-f", str(BENCH / "locustfile_stub.py"), "--headless", "-u", str(users), "-r", str(users),
         "--run-time", f"{seconds + 1}s", "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
        env=env, capture_output=True, text=True)
    with open(f"{prefix}_stats.csv") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    achieved = float(row["Requests/s"])
    return {"achieved": achieved, "holds": achieved >= 0.99 * rate, "p99": float(row["99%"])}


def wrk_closed(url, seconds):
    out = subprocess.run(["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", "-s", str(BENCH / "wrk_post.lua"), url + "/v2/models/m/infer"],
                         capture_output=True, text=True, check=True).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "99%"):
            figures[parts[0]] = parts[1]
        if parts and parts[0] == "Latency" and len(parts) >= 5:
            figures["max"] = parts[3]
        if "requests in" in line:
            figures["requests"] = parts[0]
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tollgate", default=str(ROOT / ".build/release/tollgate"))
    parser.add_argument("--stub", default=str(ROOT / ".build/release/inference-stub"))
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    locust = shutil.which("locust", path=str(Path(sys.executable).parent))
    if not locust:
        sys.exit("locust is not in this venv: run with .venv-load/bin/python (scripts/python-env.sh load)")
    work = Path(tempfile.mkdtemp(prefix="tollgate-live-bench-"))
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; load client on CPU 0, stub on CPU 1", ""]

    lines += ["| target rate (req/s) | Tollgate achieved | Tollgate late or dropped | holds | Locust achieved | holds |",
              "| ---: | ---: | ---: | :---: | ---: | :---: |"]
    best = {"tollgate": 0, "locust": 0}
    for rate in RATES:
        stub, url = start_stub(args.stub, "--service-time", "0.001")
        try:
            t = tollgate_load(args.tollgate, url, rate, args.seconds, work)
            l = locust_load(locust, url, rate, args.seconds, work)
        finally:
            stop(stub)
        if t["holds"]: best["tollgate"] = rate
        if l["holds"]: best["locust"] = rate
        line = (f"| {rate} | {t['achieved']:.0f} | {100 * t['missed']:.2f}% | {'yes' if t['holds'] else 'no'} "
                f"| {l['achieved']:.0f} | {'yes' if l['holds'] else 'no'} |")
        print(line, flush=True)
        lines.append(line)
    lines += ["", f"Highest rate held on one core: Tollgate {best['tollgate']} req/s, Locust {best['locust']} req/s.", ""]

    stub, url = start_stub(args.stub, "--service-time", "0.002", "--freeze-start", "5", "--freeze-duration", "1")
    try:
        t = tollgate_load(args.tollgate, url, 50, 10, work)
        report = json.loads((work / "run-50.json").read_text())
    finally:
        stop(stub)
    stub, url = start_stub(args.stub, "--service-time", "0.002", "--freeze-start", "5", "--freeze-duration", "1")
    try:
        w = wrk_closed(url, 10)
    finally:
        stop(stub)
    metrics = report["candidates"][0]["metrics"]
    service = report["candidates"][0]["load"]
    lines += ["| 1 s freeze in 10 s | p50 | p99 | max | requests |", "| :--- | ---: | ---: | ---: | ---: |",
              f"| Tollgate, open loop 50 req/s (latency from intended send) | {metrics['p50_ms']:.1f} ms | {metrics['p99_ms']:.1f} ms "
              f"| {metrics['max_ms']:.1f} ms | {service['sent']} (candidate) |",
              f"| Tollgate, same run, service time (from actual send) | {service['service_p50_ms']:.1f} ms | {service['service_p99_ms']:.1f} ms "
              f"| {service['service_max_ms']:.1f} ms | |",
              f"| wrk -t1 -c1, closed loop | {w.get('50%')} | {w.get('99%')} | {w.get('max')} | {w.get('requests')} |"]
    text = "\n".join(lines) + "\n"
    print("\n".join(lines[-5:]))
    (BENCH / "live_results.md").write_text(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
