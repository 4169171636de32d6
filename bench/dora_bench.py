#!/usr/bin/env python3
"""Benchmark: `tollgate dora` beside a pandas peer (bench/peer_dora.py) on the same SQLite history.

Usage: .venv/bin/python bench/dora_bench.py [--events 1000000] [--repeat 3] [--tollgate PATH]
Builds nothing: expects the release binary (`swift build -c release --product tollgate`), and
measures a copy of it, so that a rebuild during the run cannot change what is measured.
  1. generates about N events with bench/gen_history.py into bench/.data/dora-<N>/ (git-ignored;
     made again only when the generator changes);
  2. imports them into a fresh SQLite store with `tollgate history import` (timed once: events/s);
  3. runs `tollgate dora --format json` and the peer `--repeat` times each on that store, timing
     each with wait4 (median wall time, maximum peak RSS of the child);
  4. compares every figure the peer computes: the same N/A-ness, numbers within 1e-9 relative,
     equal strings (levels, production version).
Prints a Markdown table and writes it, with the machine and the agreement, to bench/dora_results.md.
Exits 1 if a tool fails or any figure disagrees.
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
UNTIL, DAYS = "2026-11-30T00:00:00Z", 90
# The gate figures (pass rates, flaky checks) need run events, which the generated history has not.
SKIPPED = ("report_year", "ml.gate_pass_rate", "ml.first_attempt_pass_rate", "ml.flaky_checks")


def measure(command, stdout_path=os.devnull):
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one child, from wait4's rusage.

    CPU time is reported beside wall time because this machine may be shared: other processes
    stretch the wall time of both sides, much less their CPU time. Exits with stderr on failure.
    """
    with open(stdout_path, "wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        stderr = child.stderr.read().decode(errors="replace")  # small; read before wait4 so a chatty child cannot block
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(map(str, command))} exited {code}: {stderr.strip()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def median(values):
    return sorted(values)[(len(values) - 1) // 2]


def generate(n, history):
    """The history file for n events, unless the cached one was made by this very generator."""
    generator = BENCH / "gen_history.py"
    stamp = history.with_suffix(".generated")
    want = f"{n} {hashlib.sha256(generator.read_bytes()).hexdigest()}"
    if history.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return
    history.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([PYTHON, str(generator), str(n), str(history)], check=True)
    stamp.write_text(want + "\n")
    print(f"generated the history in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def flatten(value, prefix=""):
    """{"a": {"b": 1}} -> {"a.b": 1}; None (the peer's N/A) is left out, as tollgate leaves the key out."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flatten(item, f"{prefix}{key}.").items()}
    return {} if value is None else {prefix[:-1]: value}


def compare(ours, theirs):
    """Every figure of every model: (how many compared, list of disagreements)."""
    mine = {r["model"]: {k: v for k, v in flatten(r).items() if not k.startswith(SKIPPED)} for r in ours}
    peer = {r["model"]: flatten(r) for r in theirs}
    problems = [f"model {m}: only in {'tollgate' if m in mine else 'the peer'}" for m in sorted(set(mine) ^ set(peer))]
    compared = 0
    for model in sorted(set(mine) & set(peer)):
        a, b = mine[model], peer[model]
        for key in sorted(set(a) | set(b)):
            compared += 1
            x, y = a.get(key), b.get(key)
            if x is None or y is None:
                problems.append(f"{model} {key}: tollgate {'N/A' if x is None else x}, peer {'N/A' if y is None else y}")
            elif isinstance(x, str) or isinstance(y, str):
                if x != y:
                    problems.append(f"{model} {key}: tollgate {x!r}, peer {y!r}")
            elif abs(x - y) > 1e-9 * max(abs(x), abs(y)):
                problems.append(f"{model} {key}: tollgate {x!r}, peer {y!r}")
    return compared, problems


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    versions = subprocess.run([PYTHON, "-c", "import pandas, numpy; print(f'pandas {pandas.__version__}, numpy {numpy.__version__}')"],
                              capture_output=True, text=True).stdout.strip()
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return f"{cpu}, {os.cpu_count()} CPUs; {(swift or ['swift ?'])[0]}; Python {platform.python_version()}, {versions}"


def provenance(binary):
    """Which tollgate was measured: the tree's commit (dirty if edited) and when the binary was linked."""
    head = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(Path(binary).stat().st_mtime))
    return f"`{Path(binary).relative_to(ROOT) if Path(binary).is_relative_to(ROOT) else binary}` linked {built}, tree {head or '?'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tollgate", default=str(ROOT / ".build" / "release" / "tollgate"))
    args = parser.parse_args()
    if not os.access(args.tollgate, os.X_OK):
        sys.exit(f"no {args.tollgate}: run `swift build -c release --product tollgate` first")
    started, load_before = time.perf_counter(), f"{os.getloadavg()[0]:.1f}"
    data = BENCH / ".data" / f"dora-{args.events}"
    history, store = data / "history.jsonl", data / "history.sqlite"
    generate(args.events, history)
    # Measure a private copy: others may relink the release binary while this runs.
    binary = provenance(args.tollgate)
    args.tollgate = str(shutil.copy2(args.tollgate, data / "tollgate"))
    events = sum(1 for _ in history.open("rb"))

    for stale in data.glob("history.sqlite*"):  # a fresh store: the import adds every event
        stale.unlink()
    log = data / "import.txt"
    import_wall, import_rss, import_cpu = measure([args.tollgate, "history", "import", str(history), "--history", str(store)], log)
    imported = int(re.search(r"imported (\d+) events", log.read_text()).group(1))
    if imported != events:
        sys.exit(f"imported {imported} of {events} events")

    dora = [args.tollgate, "dora", "--history", str(store), "--until", UNTIL, "--window", f"{DAYS}d", "--format", "json"]
    peer = [PYTHON, str(BENCH / "peer_dora.py"), str(store), "--until", UNTIL, "--days", str(DAYS)]
    runs = {"tollgate": [], "peer": []}
    for _ in range(args.repeat):  # interleaved, so a noisy moment hurts both sides alike
        runs["tollgate"].append(measure(dora, data / "tollgate.json"))
        runs["peer"].append(measure(peer, data / "peer.json"))
    reports = json.loads((data / "tollgate.json").read_text())
    compared, problems = compare(reports, json.loads((data / "peer.json").read_text()))

    base = median([w for w, _, _ in runs["tollgate"]])
    names = {"tollgate": "tollgate dora (Swift)", "peer": "peer: pandas (bench/peer_dora.py)"}
    lines = [
        f"### `tollgate dora` on {events:,} history events ({len(reports)} models, {DAYS}-day window ending {UNTIL})",
        "",
        "| tool | wall s | peak MiB | ratio |",
        "| :--- | ---: | ---: | ---: |",
    ]
    for tool, samples in runs.items():
        wall = median([w for w, _, _ in samples])
        lines.append(f"| {names[tool]} | {wall:.2f} | {max(r for _, r, _ in samples):.0f} | {wall / base:.1f}× |")
    cpu = {tool: median([c for _, _, c in samples]) for tool, samples in runs.items()}
    lines += [
        "",
        f"Median of {args.repeat} runs each, peak RSS from wait4; ratio = wall time ÷ tollgate's. "
        f"Both read the same SQLite store ({store.stat().st_size / 2**20:.0f} MiB). "
        f"CPU s (user + system, median): tollgate {cpu['tollgate']:.2f}, peer {cpu['peer']:.2f} "
        f"({cpu['peer'] / cpu['tollgate']:.1f}×); load average {load_before} before, {os.getloadavg()[0]:.1f} after.",
        f"Import (`tollgate history import`, fresh store, once): {events:,} events in {import_wall:.1f} s = "
        f"**{events / import_wall:,.0f} events/s**, {import_cpu:.1f} s CPU, peak {import_rss:.0f} MiB.",
        f"Agreement: {compared:,} figures compared over {len(reports)} models (relative 1e-9, same N/A): "
        + ("**all agree**." if not problems else f"**{len(problems)} disagree** (see below)."),
        f"Machine: {machine()}. Binary: {binary} (copied before the first run).",
    ]
    lines += [f"- {p}" for p in problems[:50]]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "dora_results.md").write_text(text)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
