#!/usr/bin/env python3
"""Peer for `tollgate history import`: the storage engine alone, on rows already decoded.

Usage: peer_import.py SOURCE.sqlite sqlite TARGET.sqlite
       peer_import.py SOURCE.sqlite postgres URL SCRATCH.csv

Reads every event row of SOURCE (a store `tollgate history import` filled) into memory in
import order, untimed. TARGET must hold tollgate's schema and no events (an import of an empty
file makes one). Then, timed:
  sqlite    Python's sqlite3 inserts the rows with executemany, 10,000 per transaction as
            tollgate does, with tollgate's settings (WAL, synchronous NORMAL, 16 MiB cache);
  postgres  psql copies them from a CSV file written beforehand, in one COPY.
No JSON is parsed and nothing is looked up or linked: what an import into the same schema and
indexes costs the engine on this machine, as a reference beside tollgate rather than a
competitor. It is not a strict lower bound: Python binds each row (part of the sqlite figure)
and does it on one thread. Prints one JSON line: {"events": N, "seconds": wall, "cpu_seconds":
this process's CPU for sqlite, psql's for postgres (the server's work is only in the wall time)}.
"""
import json
import resource
import sqlite3
import subprocess
import sys
import time

COLUMNS = ("id", "kind", "model", "version", "environment", "at", "recorded_at", "type", "commit_sha",
           "committed_at", "registered_at", "link", "body")
BATCH = 10_000


def rows(source):
    with sqlite3.connect(source) as db:
        return db.execute(f"SELECT {', '.join(COLUMNS)} FROM tollgate_events ORDER BY rowid").fetchall()


def into_sqlite(data, target):
    db = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -16384"):
        db.execute(f"PRAGMA {pragma}")
    insert = f"INSERT INTO tollgate_events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(data), BATCH):
        db.execute("BEGIN IMMEDIATE")
        db.executemany(insert, data[first:first + BATCH])
        db.execute("COMMIT")
    db.close()
    return time.perf_counter() - start, time.process_time() - cpu


def csv_field(value):
    if value is None:
        return ""  # unquoted empty: NULL in COPY's CSV format
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace('"', '""') + '"'


def into_postgres(data, url, scratch):
    with open(scratch, "w", encoding="utf-8", newline="") as out:
        for row in data:
            out.write(",".join(map(csv_field, row)) + "\n")
    copy = f"\\copy tollgate_events ({', '.join(COLUMNS)}) FROM '{scratch}' WITH (FORMAT csv)"
    def children_cpu():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", copy], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in ("sqlite", "postgres"):
        sys.exit(__doc__)
    data = rows(sys.argv[1])
    seconds, cpu = into_sqlite(data, sys.argv[3]) if sys.argv[2] == "sqlite" else into_postgres(data, sys.argv[3], sys.argv[4])
    print(json.dumps({"events": len(data), "seconds": seconds, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
