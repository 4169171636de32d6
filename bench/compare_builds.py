#!/usr/bin/env python3
"""Before/after timing of two tollgate binaries on the same bench data, alternating runs.
usage: bench/compare_builds.py BEFORE AFTER [--repeat 3]
Data: bench/.data/1000000 and bench/.data/100000 (bench/gen_data.py N DIR, or made by run.py).
Prints median wall time and max peak RSS per binary and the after/before ratio."""
import os, pathlib, subprocess, sys, time, statistics, resource
DATA = pathlib.Path(__file__).resolve().parent / ".data"
before, after = sys.argv[1], sys.argv[2]
repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
cases = [("1M accuracy gate", str(DATA / "1000000"), "tollgate.yml"),
         ("1M full suite", str(DATA / "1000000"), "tollgate-full.yml"),
         ("100k statistical gate", str(DATA / "100000"), "tollgate-stats.yml")]
def run(binary, folder, config):
    start = time.perf_counter()
    p = subprocess.Popen([binary, "run", "--config", f"{folder}/{config}", "--no-record", "--quiet", "--json", "/tmp/bench-out.json"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3): sys.exit(f"{binary} exited {code}: {p.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024
for label, folder, config in cases:
    t = {before: [], after: []}; m = {before: 0, after: 0}
    for _ in range(repeat):
        for b in (before, after):
            w, r = run(b, folder, config); t[b].append(w); m[b] = max(m[b], r)
    mb, ma = statistics.median(t[before]), statistics.median(t[after])
    print(f"{label:24} before {mb:6.2f} s {m[before]:5.0f} MiB | after {ma:6.2f} s {m[after]:5.0f} MiB | after/before time {ma/mb:.3f} memory {m[after]/m[before]:.3f}  (runs: {', '.join(f'{x:.2f}' for x in t[before])} / {', '.join(f'{x:.2f}' for x in t[after])})")
