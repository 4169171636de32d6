"""Benchmark: `tollgate site` beside a Python peer (Jinja2 + Python-Markdown) on a 10,000-run history.

Usage: python3 bench/site_bench.py [--runs 10000] [--repeat 3] [--regenerate]

1. Generates bench/.data/site-10k.jsonl (the demo run of fixtures/history copied N times with new
   ids, one hour apart, ending before 2026-11-30, over 10 models) and imports it, with the year of
   deployments and incidents, into bench/.data/site-10k.sqlite with `tollgate history import`
   (timed). Both are kept and made again only when the generator, the fixtures, the binary or N change.
2. Creates bench/.data/venv-site (python3 -m venv) with pinned jinja2 and markdown for the peer.
3. Full build: tollgate and the peer, each --repeat times into fresh folders (interleaved).
4. No-change rebuild: each --repeat times into its last full build.
5. One-run rebuild: --repeat times, import one more run (later, new id) into a working copy of
   the store, then rebuild both sites into the same folders.
Times are wall times (median); peak RSS is the maximum from wait4. SOURCE_DATE_EPOCH fixes
"generated" for both. Prints a Markdown table and writes it to bench/site_results.md.
"""
import argparse
import copy
import datetime
import hashlib
import inspect
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RELEASE = ROOT / ".build" / "release" / "tollgate"
# Private copies, taken at the start: a rebuild or a template edit elsewhere cannot change them mid-run.
TOLLGATE = DATA / "tollgate-site-bench"
TEMPLATES = DATA / "site-templates"
DEMO = ROOT / "fixtures" / "history" / "demo-run.jsonl"
YEAR = ROOT / "fixtures" / "history" / "credit-risk-year.jsonl"
VENV = DATA / "venv-site"
PEER_PACKAGES = ["jinja2==3.1.6", "markdown==3.11.3", "markupsafe==3.0.4"]
MODELS = ["credit-risk", "fraud-score", "churn", "ltv", "next-best-offer", "aml-alerts",
          "pricing", "demand-forecast", "claims-triage", "collections"]
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z
LAST_RUN = datetime.datetime(2026, 11, 29, 23, 0, tzinfo=datetime.timezone.utc)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def make_run(demo, i, at, model, rng):
    """The demo run, renamed: a new id, the model, and its times moved to `at` (when it finished)."""
    event = copy.deepcopy(demo)
    report = event["report"]
    took = datetime.timedelta(seconds=report["duration_seconds"])
    event["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    report["model"] = model
    report["finished_at"] = stamp(at)
    report["started_at"] = stamp(at - took)
    event["recorded_at"] = stamp(at + datetime.timedelta(milliseconds=16))
    return event


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


def demo_event():
    return json.loads(DEMO.read_text().splitlines()[0])


def generate(n, regenerate, resume=False):
    """The JSON Lines file and the imported store, made again only when their inputs change."""
    jsonl, db, marker = DATA / "site-10k.jsonl", DATA / "site-10k.sqlite", DATA / "site-10k.generated"
    if resume and marker.exists():  # the store of the interrupted run, whatever changed since
        return db, dict(json.loads(marker.read_text()), cached=True)
    digest = hashlib.sha256()  # what the history depends on: the fixtures, this generator, the binary
    for part in (DEMO.read_bytes(), YEAR.read_bytes(), inspect.getsource(make_run).encode(), inspect.getsource(generate).encode(),
                 repr((MODELS, LAST_RUN)).encode(), file_digest(TOLLGATE)):
        digest.update(part)
    want = f"{n} {digest.hexdigest()}"
    if not regenerate and marker.exists() and db.exists():
        saved = json.loads(marker.read_text())
        if saved.get("key") == want:
            print(f"history: cached {db.relative_to(ROOT)} (import took {saved['import_s']:.1f} s when made)", file=sys.stderr)
            return db, dict(saved, cached=True)
    DATA.mkdir(parents=True, exist_ok=True)
    demo, rng = demo_event(), random.Random(10_000)
    started = time.perf_counter()
    with open(jsonl, "w") as out:
        out.write(YEAR.read_text())
        for i in range(n):
            at = LAST_RUN - datetime.timedelta(hours=n - 1 - i)
            out.write(json.dumps(make_run(demo, i, at, MODELS[i % len(MODELS)], rng), separators=(",", ":")) + "\n")
    generated_s = time.perf_counter() - started
    for path in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        path.unlink(missing_ok=True)
    wall, rss, code, stdout, stderr = measure([str(TOLLGATE), "history", "import", str(jsonl), "--history", str(db)])
    if code != 0:
        sys.exit(f"history import failed ({code}): {stderr}{stdout}")
    with sqlite3.connect(db) as con:  # the store is in WAL mode: fold the log in so the file is whole
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    info = {"key": want, "generate_s": generated_s, "import_s": wall, "import_rss": rss, "import_out": stdout.strip(),
            "jsonl_bytes": jsonl.stat().st_size, "db_bytes": db.stat().st_size}
    marker.write_text(json.dumps(info, indent=2) + "\n")
    print(f"history: generated {n:,} runs in {generated_s:.1f} s, imported in {wall:.1f} s ({stdout.strip()})", file=sys.stderr)
    return db, info


def measure(command, env=None):
    """Wall seconds, peak RSS (MiB), exit code, stdout, stderr of one child.

    Peak RSS comes from /usr/bin/time: Linux carries the parent's high-water mark across
    vfork+exec into the child's ru_maxrss, so wait4 from this (large) Python process would report
    at least its own size. CPU seconds (user + system, from wait4) are kept in measure.cpu."""
    out_path, err_path, rss_path = DATA / "site-child.out", DATA / "site-child.err", DATA / "site-child.rss"
    rss_path.unlink(missing_ok=True)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", str(rss_path), *map(str, command)], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    measure.cpu = usage.ru_utime + usage.ru_stime  # CPU seconds: steadier than wall time on a busy machine
    try:
        rss = int(rss_path.read_text().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        rss = float("nan")
    return (wall, rss, os.waitstatus_to_exitcode(status),
            out_path.read_text(errors="replace"), err_path.read_text(errors="replace"))


def run_child(command, env):
    wall, rss, code, stdout, stderr = measure(command, env)
    if code != 0:
        sys.exit(f"{' '.join(map(str, command))} failed ({code}):\n{stderr}{stdout}")
    return wall, rss, stdout.strip(), measure.cpu


def ensure_binary():
    """Builds the release binary if it is missing (waiting out another SwiftPM), then copies it and the
    default templates into bench/.data."""
    build_release()
    DATA.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RELEASE, TOLLGATE)
    head = subprocess.run(["git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "Sources", "Package.swift"], cwd=ROOT,
                           capture_output=True, text=True).stdout.split()
    newer = RELEASE.stat().st_mtime >= float(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout)
    (DATA / "tollgate-site-bench.txt").write_text(
        f"HEAD {head}" + (" (Sources edited since: " + " ".join(dirty[1::2]) + ")" if dirty else "")
        + ("" if newer else "; the binary is OLDER than HEAD") + "\n")
    shutil.rmtree(TEMPLATES, ignore_errors=True)
    shutil.copytree(ROOT / "site-templates" / "default", TEMPLATES)


def build_release():
    if RELEASE.exists() and subprocess.run([str(RELEASE), "site", "--help"], capture_output=True).returncode == 0:
        return
    for attempt in range(30):
        build = subprocess.run(["swift", "build", "-c", "release", "--product", "tollgate"], cwd=ROOT, capture_output=True, text=True)
        if build.returncode == 0:
            return
        if "another instance" in (build.stderr + build.stdout).lower() or "lock" in build.stderr.lower():
            print("swift build: another SwiftPM holds the lock; waiting", file=sys.stderr)
            time.sleep(20)
            continue
        sys.exit(f"swift build failed:\n{build.stderr}{build.stdout}")
    sys.exit("swift build: the lock never came free")


def ensure_venv():
    python = VENV / "bin" / "python"
    marker = VENV / ".packages"
    if python.exists() and marker.exists() and marker.read_text().split() == PEER_PACKAGES:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEER_PACKAGES], check=True)
    marker.write_text(" ".join(PEER_PACKAGES) + "\n")
    return python


def site_stats(directory):
    """Files (without tollgate's manifest), total bytes, and the largest .html page."""
    files = total = 0
    largest = (0, "")
    for folder, _, names in os.walk(directory):
        for name in names:
            if name == ".tollgate-site":
                continue
            size = os.path.getsize(os.path.join(folder, name))
            files += 1
            total += size
            if name.endswith(".html") and size > largest[0]:
                largest = (size, os.path.relpath(os.path.join(folder, name), directory))
    return {"files": files, "bytes": total, "largest": largest}


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="tollgate builds per step")
    parser.add_argument("--peer-repeat", type=int, default=1,
                        help="peer builds per step (each peer build renders and writes everything, ~15 min at 10,000 runs)")
    parser.add_argument("--regenerate", action="store_true", help="make the history again even if cached")
    parser.add_argument("--table-only", action="store_true", help="rewrite bench/site_results.md from bench/.data/site-steps.json")
    parser.add_argument("--resume", action="store_true",
                        help="go on from the last finished step of an interrupted run (bench/.data/site-steps.json), with its binary, store and sites")
    args = parser.parse_args()
    began = time.perf_counter()
    load_start = os.getloadavg()[0]

    if args.table_only:
        saved = json.loads((DATA / "site-steps.json").read_text())
        marker = json.loads((DATA / "site-10k.generated").read_text())
        print(write_table(args, saved["steps"], saved["state"], dict(marker, cached=True), saved["state"].get("elapsed", 0.0), load_start,
                          done=saved["state"]["done"] >= saved["state"].get("actions", 10**9)))
        return
    if not (args.resume and TOLLGATE.exists()):
        ensure_binary()
    db, history = generate(args.runs, args.regenerate, args.resume)
    python = ensure_venv()

    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TOLLGATE_TEMPLATES=str(TEMPLATES))  # both read the snapshot
    work = DATA / "site-work.sqlite"
    outs = DATA / "site-out"
    saved_path = DATA / "site-steps.json"
    saved = json.loads(saved_path.read_text()) if args.resume and saved_path.exists() else None
    if saved is None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        with sqlite3.connect(db) as source, sqlite3.connect(work) as target:  # WAL-safe copy
            source.backup(target)
        shutil.rmtree(outs, ignore_errors=True)
        outs.mkdir(parents=True)

    def tollgate(out):
        return run_child([str(TOLLGATE), "site", "--history", str(work), "--out", str(out), "-c", "/nonexistent.yml"], env)

    def peer(out):
        return run_child([str(python), str(ROOT / "bench" / "peer_site.py"), "--history", str(work), "--out", str(out)], env)

    steps = {}  # step -> side -> list of (wall, rss, stdout, cpu)
    state = {"full": {}, "after": {}, "imports": [], "done": 0}
    if saved is not None:
        steps, state = saved["steps"], saved["state"]
        print(f"resuming after {state['done']} finished actions", file=sys.stderr)
    tg_out, py_out = outs / "tg-1", outs / "py-1"
    with sqlite3.connect(work) as con:  # the one-run template: a run of this very store (the fixture may have moved on)
        demo = json.loads(con.execute("SELECT body FROM tollgate_events WHERE kind = 'run' ORDER BY at DESC LIMIT 1").fetchone()[0])

    elapsed_before = state.get("elapsed", 0.0)

    def save():
        state["elapsed"] = elapsed_before + time.perf_counter() - began
        saved_path.write_text(json.dumps({"steps": steps, "state": state}, indent=1) + "\n")

    def record(step, side, result):
        steps.setdefault(step, {}).setdefault(side, []).append(list(result))
        print(f"  {step:<18} {side:<8} {result[0]:8.2f} s wall {result[3]:8.2f} s CPU {result[1]:8.1f} MiB  load {os.getloadavg()[0]:.1f}  {result[2]}",
              file=sys.stderr, flush=True)
        write_table(args, steps, state, history, elapsed_before + time.perf_counter() - began, load_start)

    def add_run():
        k = len(state["imports"]) + 1
        run = make_run(demo, args.runs + k, LAST_RUN + datetime.timedelta(minutes=10 * k), MODELS[0], random.Random(20_000 + k))
        one = DATA / f"site-one-run-{k}.jsonl"
        one.write_text(json.dumps(run, separators=(",", ":")) + "\n")
        wall, _, code, stdout, stderr = measure([str(TOLLGATE), "history", "import", str(one), "--history", str(work)])
        if code != 0:
            sys.exit(f"importing one run failed ({code}): {stderr}{stdout}")
        state["imports"].append(wall)

    def full_fresh(side, k):
        fresh = outs / f"{'tg' if side == 'tollgate' else 'py'}-{k}"
        shutil.rmtree(fresh, ignore_errors=True)
        record("full build", side, (tollgate if side == "tollgate" else peer)(fresh))
        shutil.rmtree(fresh, ignore_errors=True)

    def after_stats():
        state["after"] = {"tollgate": site_stats(tg_out), "peer": site_stats(py_out)}

    # In order of importance, so a run cut short still has every row once: the two full builds,
    # tollgate's no-change rebuild, one more run and both rebuilds; then the repeats; the peer's
    # no-change rebuild (the same work as its full build) last. Each action is saved when done.
    actions = [
        lambda: record("full build", "tollgate", tollgate(tg_out)),
        lambda: record("full build", "peer", peer(py_out)),
        lambda: state.update(full={"tollgate": site_stats(tg_out), "peer": site_stats(py_out)}),
        lambda: record("no-change rebuild", "tollgate", tollgate(tg_out)),
        add_run,
        lambda: record("one-run rebuild", "tollgate", tollgate(tg_out)),
        lambda: record("one-run rebuild", "peer", peer(py_out)),
        after_stats,
    ]
    actions += [lambda k=k: full_fresh("tollgate", k) for k in range(2, args.repeat + 1)]
    actions += [lambda: record("no-change rebuild", "tollgate", tollgate(tg_out)) for _ in range(2, args.repeat + 1)]
    for k in range(2, max(args.repeat, args.peer_repeat) + 1):
        actions += [add_run, lambda: record("one-run rebuild", "tollgate", tollgate(tg_out))]
        if k <= args.peer_repeat:
            actions += [lambda: record("one-run rebuild", "peer", peer(py_out)), after_stats]
    actions += [lambda: record("no-change rebuild", "peer", peer(py_out)) for _ in range(args.peer_repeat)]
    actions += [lambda k=k: full_fresh("peer", k) for k in range(2, args.peer_repeat + 1)]
    state["actions"] = len(actions)
    for i, action in enumerate(actions):
        if i < state["done"]:
            continue
        action()
        state["done"] = i + 1
        save()
    print(write_table(args, steps, state, history, elapsed_before + time.perf_counter() - began, load_start, done=True))


def write_table(args, steps, state, history, elapsed, load_start, done=False):
    """The Markdown table of what has been measured so far, to bench/site_results.md."""
    def runs(step, side):
        return steps.get(step, {}).get(side, [])

    def cell(step, side, index=0):
        values = [r[index] for r in runs(step, side)]
        return median(values) if values else None

    def show(v, fmt="{:.2f}"):
        return "–" if v is None else fmt.format(v)

    def ratio(a, b):
        return "–" if a is None or b is None else f"{b / a:.1f}×"

    def peak(step, side):
        values = [r[1] for r in runs(step, side)]
        return max(values) if values else None

    imports = state["imports"]
    lines = [
        f"# `tollgate site` beside a Python peer: {args.runs:,} gate runs",
        "",
        f"History: {args.runs:,} copies of `fixtures/history/demo-run.jsonl` (2 candidates with 22 checks, 217 metrics and a "
        f"101-point ROC curve each, one hour apart over {len(MODELS)} models) plus `credit-risk-year.jsonl`; "
        f"JSON Lines {history['jsonl_bytes'] / 2**20:.0f} MiB, SQLite {history['db_bytes'] / 2**20:.0f} MiB. "
        f"`tollgate history import`: {history['import_s']:.1f} s, {history['import_rss']:.0f} MiB peak ({history['import_out']}). "
        + (f"One more run imports in {median(imports):.2f} s." if imports else ""),
        "",
        "Wall and CPU (user + system) seconds, median of the runs counted in brackets; full builds into fresh folders, "
        "rebuilds into the same folder; each one-run rebuild follows the import of one more run. "
        "Peer: Python " + platform.python_version() + ", " + ", ".join(PEER_PACKAGES) + " (renders and writes every file).",
        "",
        "| step | tollgate s | peer s | ratio (peer / tollgate) | tollgate CPU s | peer CPU s | CPU ratio | tollgate peak MiB | peer peak MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for step in ("full build", "one-run rebuild", "no-change rebuild"):
        t, p = cell(step, "tollgate"), cell(step, "peer")
        tc, pc = cell(step, "tollgate", 3), cell(step, "peer", 3)
        nt, np_ = len(runs(step, "tollgate")), len(runs(step, "peer"))
        lines.append(f"| {step} | {show(t)} [{nt}] | {show(p)} [{np_}] | {ratio(t, p)} | {show(tc)} | {show(pc)} | {ratio(tc, pc)} | "
                     f"{show(peak(step, 'tollgate'), '{:.0f}')} | {show(peak(step, 'peer'), '{:.0f}')} |")
    shown = state["after"] or state["full"]
    if shown:
        ft, fp = shown["tollgate"], shown["peer"]
        lines += [
            f"| files (pages + style.css) | {ft['files']:,} | {fp['files']:,} | | | | | | |",
            f"| total bytes | {ft['bytes'] / 2**20:.1f} MiB | {fp['bytes'] / 2**20:.1f} MiB | {fp['bytes'] / ft['bytes']:.2f}× | | | | | |",
            f"| largest page | {ft['largest'][1]} {ft['largest'][0]:,} B | {fp['largest'][1]} {fp['largest'][0]:,} B | "
            f"{fp['largest'][0] / ft['largest'][0]:.2f}× | | | | | |",
        ]
    said = [(step, runs(step, "tollgate")[-1][2]) for step in ("full build", "no-change rebuild", "one-run rebuild") if runs(step, "tollgate")]
    lines += ["", "tollgate said (last run of each step):", "", *[f"- {step}: `{text}`" for step, text in said]]
    if shown:
        lines += ["", "Files, bytes and the largest page: both sites " + ("after their last one-run rebuild, on the same history."
                                                                          if state["after"] else "after the full build.")]
    lines += [
        "",
        f"tollgate: release binary of {datetime.datetime.fromtimestamp(TOLLGATE.stat().st_mtime, datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"copied when the benchmark started, at {(DATA / 'tollgate-site-bench.txt').read_text().strip()}.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"1-minute load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} now (other work on the machine shows in wall times). "
        + ("Benchmark runtime" if done else "Still running; so far") + f": {elapsed:.0f} s"
        + (" (history cached)." if history.get("cached") else " (history generated and imported)."),
    ]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "site_results.md").write_text(text)
    return text


if __name__ == "__main__":
    main()
