#!/usr/bin/env python3
"""Benchmark: `tollgate dora` beside a pandas peer (bench/peer_dora.py) on the same SQLite history.

Usage: .venv/bin/python bench/dora_bench.py [--events 1000000] [--repeat 3] [--tollgate PATH]
                                            [--postgres URL] [--before PATH]
Builds nothing: expects the release binary (`swift build -c release --product tollgate`), and
measures a copy of it, so that a rebuild during the run cannot change what is measured.
  1. generates about N events with bench/gen_history.py into bench/.data/dora-<N>/ (git-ignored;
     made again only when the generator changes);
  2. imports them into a fresh SQLite store with `tollgate history import` (timed once: events/s),
     and with --postgres into a fresh database on that server (dropped at the end); then times
     the engine alone on the same rows, already decoded (bench/peer_import.py: a floor); with
     --before, copies the SQLite store back to schema 4 for an earlier tollgate (its import is
     not timed: the earlier figures from BENCHMARKS.md are printed instead);
  3. runs `tollgate dora --format json` and the peer `--repeat` times each on that store, timing
     each with wait4 (median wall time, maximum peak RSS of the child), and the same for the
     PostgreSQL store and the earlier binary;
  4. compares every figure the peer computes: the same N/A-ness, numbers within 1e-9 relative,
     equal strings (levels, production version); the PostgreSQL and earlier reports must equal
     the SQLite one exactly.
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
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
UNTIL, DAYS = "2026-11-30T00:00:00Z", 90
# The gate figures (pass rates, flaky checks) need run events, which the generated history has not.
# Incident tracking and time to restore service (#17) came after the peer, which does not compute them.
SKIPPED = ("report_year", "ml.gate_pass_rate", "ml.first_attempt_pass_rate", "ml.flaky_checks", "incidents_tracked_since",
           "time_to_restore_service")


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


# What BENCHMARKS.md recorded before the bounded DORA read and the batched import (issue #14),
# printed beside this run's figures (--before measures an earlier build's `dora`, not its import).
EARLIER = ("Earlier (BENCHMARKS.md, 2026-12-02, same history and machine, loaded): `tollgate dora` 9.76 s wall, "
           "6.27 s CPU, 406 MiB; `history import` 4,914 events/s (204.1 s, 109.6 s CPU, 38 MiB).")

NAMES = {
    "tollgate": "tollgate (Swift), SQLite",
    "postgres": "tollgate (Swift), PostgreSQL",
    "before": "earlier tollgate, same SQLite store at schema 4 (--before)",
    "peer": "peer: pandas (bench/peer_dora.py), SQLite",
    "floor-sqlite": "floor: SQLite alone, rows already decoded (bench/peer_import.py, sqlite3)",
    "floor-postgres": "floor: PostgreSQL alone, rows already decoded (bench/peer_import.py, psql \\copy)",
}


def schema_4_copy(store, copy):
    """The store as schema version 4 had it, for an earlier tollgate (which refuses a newer schema):
    the same rows, migration 5's indexes dropped and the index it replaced put back."""
    for stale in copy.parent.glob(copy.name + "*"):
        stale.unlink()
    source = sqlite3.connect(store)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.executescript("""
        DELETE FROM tollgate_schema WHERE version >= 5;
        DROP INDEX tollgate_deployments_by_commit;
        DROP INDEX tollgate_deployments_by_version;
        DROP INDEX tollgate_run_candidates_by_version;
        DROP INDEX tollgate_events_by_model;
        CREATE INDEX tollgate_events_by_model ON tollgate_events (model, kind, environment, at);
    """)
    target.close()
    return copy


def psql(url, sql):
    """Runs one statement on the server's maintenance database (psql reads the URL itself)."""
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", re.sub(r"/[^/?]*(\?|$)", r"/postgres\1", url, count=1), "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


def fresh_database(url, name):
    """A new, empty database on the server; its URL."""
    psql(url, f"DROP DATABASE IF EXISTS {name}")
    psql(url, f"CREATE DATABASE {name}")
    return re.sub(r"/[^/?]*(\?|$)", rf"/{name}\1", url, count=1)


def drop_database(url, name):
    psql(url, f"DROP DATABASE IF EXISTS {name}")


def import_floors(binary, store, data, postgres, events):
    """Wall and CPU seconds of bench/peer_import.py putting the store's rows into an empty store of
    tollgate's schema (made by importing an empty file): SQLite, and PostgreSQL when given."""
    def floor(target, *how):
        measure([binary, "history", "import", os.devnull, "--history", target])  # the schema, no events
        out = subprocess.run([PYTHON, str(BENCH / "peer_import.py"), str(store), *how], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"peer_import.py exited {out.returncode}: {out.stderr.strip()[-2000:]}")
        figures = json.loads(out.stdout)
        if figures["events"] != events:
            sys.exit(f"peer_import.py stored {figures['events']} of {events} events")
        return figures["seconds"], figures["cpu_seconds"]

    def scratch():
        return [*data.glob("floor.sqlite*"), data / "floor.csv"]

    floors = {}
    target = data / "floor.sqlite"
    for stale in scratch():  # left by a killed run: the floor starts empty
        stale.unlink(missing_ok=True)
    try:
        floors["floor-sqlite"] = floor(str(target), "sqlite", str(target))
        if postgres:
            name = f"tollgate_floor_{os.getpid()}"
            try:
                url = fresh_database(postgres, name)
                floors["floor-postgres"] = floor(url, "postgres", url, str(data / "floor.csv"))
            finally:
                drop_database(postgres, name)
    finally:
        for made in scratch():
            made.unlink(missing_ok=True)
    return floors


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    versions = subprocess.run([PYTHON, "-c", "import pandas, numpy; print(f'pandas {pandas.__version__}, numpy {numpy.__version__}')"],
                              capture_output=True, text=True).stdout.strip()
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return f"{cpu}, {os.cpu_count()} CPUs; {(swift or ['swift ?'])[0]}; Python {platform.python_version()}, {versions}"


def provenance(binary, tree=True):
    """Which tollgate was measured: when the binary was linked, and the tree's commit (dirty if edited)."""
    head = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(Path(binary).stat().st_mtime))
    name = Path(binary).relative_to(ROOT) if Path(binary).is_relative_to(ROOT) else binary
    return f"`{name}` linked {built}" + (f", tree {head or '?'}" if tree else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tollgate", default=str(ROOT / ".build" / "release" / "tollgate"))
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (scripts/postgres.sh prints one)")
    parser.add_argument("--before", help="an earlier tollgate release binary, measured beside")
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
    stores = {"tollgate": str(store)}
    binaries = {"tollgate": args.tollgate}
    if args.postgres:
        stores["postgres"] = fresh_database(args.postgres, f"tollgate_bench_{os.getpid()}")
        binaries["postgres"] = args.tollgate
    imports = {}
    try:
        for tool, where in stores.items():
            log = data / f"import-{tool}.txt"
            imports[tool] = measure([binaries[tool], "history", "import", str(history), "--history", where], log)
            imported = int(re.search(r"imported (\d+) events", log.read_text()).group(1))
            if imported != events:
                sys.exit(f"{tool}: imported {imported} of {events} events")
        floors = import_floors(binaries["tollgate"], store, data, args.postgres, events)
        if args.before:
            binaries["before"] = str(shutil.copy2(args.before, data / "tollgate-before"))
            stores["before"] = str(schema_4_copy(store, data / "before.sqlite"))

        dora = [
            "dora", "--history", "{store}", "--until", UNTIL, "--window", f"{DAYS}d", "--format", "json"]
        commands = {tool: [binaries[tool]] + [a.replace("{store}", where) for a in dora] for tool, where in stores.items()}
        commands["peer"] = [PYTHON, str(BENCH / "peer_dora.py"), str(store), "--until", UNTIL, "--days", str(DAYS)]
        runs = {tool: [] for tool in commands}
        for _ in range(args.repeat):  # interleaved, so a noisy moment hurts every side alike
            for tool, command in commands.items():
                runs[tool].append(measure(command, data / f"{tool}.json"))
    finally:
        if args.postgres:
            drop_database(args.postgres, f"tollgate_bench_{os.getpid()}")
    reports = json.loads((data / "tollgate.json").read_text())
    compared, problems = compare(reports, json.loads((data / "peer.json").read_text()))
    for tool in ("postgres", "before"):
        if tool in stores and json.loads((data / f"{tool}.json").read_text()) != reports:
            problems.append(f"{NAMES[tool]}: its report differs from tollgate's on SQLite (see bench/.data)")

    base = median([w for w, _, _ in runs["tollgate"]])
    lines = [
        f"### `tollgate dora` on {events:,} history events ({len(reports)} models, {DAYS}-day window ending {UNTIL})",
        "",
        "| tool | wall s | CPU s | peak MiB | ratio (wall) |",
        "| :--- | ---: | ---: | ---: | ---: |",
    ]
    for tool, samples in runs.items():
        wall = median([w for w, _, _ in samples])
        lines.append(
            f"| {NAMES[tool]} | {wall:.2f} | {median([c for _, _, c in samples]):.2f} | {max(r for _, r, _ in samples):.0f} | {wall / base:.1f}× |")
    lines += [
        "",
        f"Median of {args.repeat} runs each, peak RSS from wait4; CPU = user + system; ratio = wall time ÷ tollgate's. "
        f"tollgate and the peer read the same SQLite store ({store.stat().st_size / 2**20:.0f} MiB); "
        f"load average {load_before} before, {os.getloadavg()[0]:.1f} after (the machine is shared: compare CPU seconds).",
        "",
        "| `tollgate history import` (fresh store, once) | events/s | wall s | CPU s | peak MiB |",
        "| :--- | ---: | ---: | ---: | ---: |",
    ]
    for tool, (wall, rss, cpu_s) in imports.items():
        lines.append(f"| {NAMES[tool]} | **{events / wall:,.0f}** | {wall:.1f} | {cpu_s:.1f} | {rss:.0f} |")
    for tool, (wall, cpu_s) in floors.items():
        lines.append(f"| {NAMES[tool]} | {events / wall:,.0f} | {wall:.1f} | {cpu_s:.1f} | – |")
    lines += [
        "",
        "The floors insert the same rows into the same schema and indexes with nothing to parse, look up or link: "
        "what the engine alone costs here, a reference rather than a strict lower bound (Python binds each row, "
        "on one thread, while tollgate decodes on a second). CPU is the Python process's, or psql's: PostgreSQL's "
        "server work is only in the wall time. "
        + "; ".join(f"tollgate's {which} import runs at {floors[floor][0] / imports[tool][0]:.0%} of its floor's rate"
                    for tool, floor, which in (("tollgate", "floor-sqlite", "SQLite"), ("postgres", "floor-postgres", "PostgreSQL"))
                    if tool in imports and floor in floors) + ".",
        "",
        f"Agreement: {compared:,} figures compared over {len(reports)} models (relative 1e-9, same N/A)"
        + "".join(f"; {NAMES[t]}'s report equal to tollgate's" for t in ("postgres", "before") if t in stores)
        + (": **all agree**." if not problems else f": **{len(problems)} disagree** (see below)."),
        f"Machine: {machine()}. Binary: {binary} (copied before the first run)"
        + (f"; earlier binary: {provenance(args.before, tree=False)}." if args.before else "."),
    ]
    lines.append(EARLIER)
    lines += [f"- {p}" for p in problems[:50]]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "dora_results.md").write_text(text)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
