#!/usr/bin/env python3
"""Writes a synthetic history of about N events for the `tollgate dora` benchmark (bench/dora_bench.py).

Usage: python3 bench/gen_history.py [N] OUT.jsonl        (N defaults to 1,000,000)

Standard library only and seeded, so the same N always gives the same file. About 100 models
over the three years ending 2026-11-30T00:00:00Z, each with its own pace (a few deployments a
day down to one a month), lead-time scale and failure rate, so the report spans every DORA level.
Per model, planned production deployments fall at random seconds; between one and the next:
  - a failing deployment raises one or two incidents (blamed explicitly on it, the latest
    production deployment before them), most resolved later (open if past the end), and/or is
    remedied by a hotfix (new commit) or a rollback (re-ships the previous deployment's version
    and commit, so it adds no lead time), with `remediates` naming it explicitly;
  - a few commits go to staging first (same commit, non-production: must not count).
Edge cases on purpose: deployments exactly at the window start (counted) and at the end
(excluded), commits made at the deployment instant (zero lead time: dropped), deployments
without a commit or registration time, a retired model, a model only ever in staging, a new
model and a monthly one. There are no `run` events: DORA's delivery figures do not read them,
and run reports are large; the gate pass rates are covered by the fixture tests instead.
Events are sorted by (at, deployment < incident < resolution, id), so every link points back.
"""
import calendar
import json
import random
import sys
import time

SEED = 20261130
MODELS = 100
END = calendar.timegm((2026, 11, 30, 0, 0, 0))  # the benchmark's --until; no event is later
WINDOW_START = END - 90 * 86_400
SPAN = 3 * 365 * 86_400
MAX_LEAD = 180 * 86_400  # no commit waits longer than half a year
ORDER = {"deployment": 0, "incident": 1, "resolution": 2}
DAYS = {}  # day number -> "YYYY-MM-DD": strftime per event was a third of the run time
ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def iso(seconds):
    day, rest = divmod(seconds, 86_400)
    if day not in DAYS:
        DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
    return f"{DAYS[day]}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}Z"


class Model:
    """One model's timeline; `events` collects (at, kind order, id, JSON line) tuples."""

    def __init__(self, rng, index, events):
        self.rng, self.name, self.events = rng, f"model-{index:03d}", events
        self.tag, self.seq, self.version = f"{index:03d}", 0, 0
        self.production = []  # (id, version, commit, committed_at, registered_at) in time order

    def ident(self, prefix):
        self.seq += 1
        return f"{prefix}-{self.tag}-{self.seq:07d}"

    def emit(self, kind, at, **fields):
        text = iso(at)
        event = {"kind": kind, "id": self.ident(kind[:3]), "model": self.name, "at": text, "recorded_at": text, **fields}
        self.events.append((at, ORDER[kind], event["id"], ENCODE(event)))
        return event["id"]

    def deploy(self, at, kind="planned", environment="production", version=None, commit=None, committed=None,
               registered=None, remediates=None):
        fields = {"version": version, "environment": environment, "type": kind, "remediates": remediates}
        if commit is not None:
            fields.update(commit=commit, committed_at=iso(committed))
        if registered is not None:
            fields["registered_at"] = iso(registered)
        ident = self.emit("deployment", at, **fields)
        if environment == "production":
            self.production.append((ident, version, commit, committed, registered))
        return ident

    def new_change(self, at, lead_scale, earliest=None):
        """A fresh version and commit deployed at `at`: committed a lognormal while before (not before `earliest`)."""
        self.version += 1
        rng = self.rng
        committed = at if rng.random() < 0.002 else at - int(min(rng.lognormvariate(0, 1.2) * lead_scale, MAX_LEAD))
        committed = committed if earliest is None else max(earliest, committed)
        registered = None if rng.random() < 0.01 else committed + int(rng.random() * (at - committed))
        commit = None if rng.random() < 0.01 else f"c{self.tag}{self.version:07d}"
        return str(self.version), commit, committed, registered


def model_timeline(rng, index, budget, start, stop, events, staging_only=False, boundaries=()):
    """Planned deployments at sorted random seconds in [start, stop), plus their failures and remedies."""
    m = Model(rng, index, events)
    failure = rng.uniform(0.01, 0.35)
    lead_scale = rng.choice([2, 20, 96, 360, 1200]) * 3600
    per_deployment = 1.02 + 2.0 * failure  # expected events per planned deployment, to meet the budget
    count = max(3, round(budget / per_deployment))
    times = sorted(set(rng.randrange(start, stop) for _ in range(count)) | set(boundaries))
    for k, at in enumerate(times):
        following = times[k + 1] if k + 1 < len(times) else END
        version, commit, committed, registered = m.new_change(at, lead_scale)
        if staging_only:
            m.deploy(at, environment="staging", version=version, commit=commit, committed=committed, registered=registered)
            continue
        if commit is not None and at - committed > 2 and rng.random() < 0.02:
            staged = rng.randrange(max(committed + 1, at - 7 * 86_400), at)
            m.deploy(staged, environment="staging", version=version, commit=commit, committed=committed)
        deployment = m.deploy(at, version=version, commit=commit, committed=committed, registered=registered)
        gap = following - at
        if gap < 20 or rng.random() >= failure:
            continue
        cursor, mode = at, rng.random()
        if mode < 0.7:  # one or two incidents blamed on it, before anything else is deployed
            for _ in range(2 if rng.random() < 0.1 else 1):
                cursor = rng.randrange(cursor + 1, cursor + max(2, (following - cursor) // 3))
                incident = m.emit("incident", cursor, environment="production", deployment=deployment)
                resolved = cursor + int(rng.lognormvariate(8.5, 1.6))  # median about 80 minutes
                if rng.random() < 0.92 and resolved <= END:
                    m.emit("resolution", resolved, incident=incident)
        if mode >= 0.45 and following - cursor > 2:  # a remedy before the next planned deployment
            remedy_at = rng.randrange(cursor + 1, following)
            previous = m.production[-2] if len(m.production) > 1 else None
            if previous is not None and rng.random() < 0.5:
                _, v, c, ca, ra = previous
                m.deploy(remedy_at, "rollback", version=v, commit=c, committed=ca, registered=ra, remediates=deployment)
            else:
                version, commit, committed, registered = m.new_change(remedy_at, remedy_at - at, earliest=at)
                m.deploy(remedy_at, "hotfix", version=version, commit=commit, committed=committed, registered=registered,
                         remediates=deployment)


def generate(n):
    rng = random.Random(SEED)
    events = []
    first = END - SPAN
    weights = [rng.lognormvariate(0, 1.0) for _ in range(MODELS - 4)]
    scale = (n - 400) / sum(weights)  # 400 events for the four special models below
    for index, weight in enumerate(weights):
        boundaries = {1: (WINDOW_START,), 2: (END,)}.get(index, ())
        model_timeline(rng, index, weight * scale, first, END, events, boundaries=boundaries)
    model_timeline(rng, 96, 40, first, END, events)  # about monthly
    model_timeline(rng, 97, 200, first, END - 200 * 86_400, events)  # retired before the window
    model_timeline(rng, 98, 60, first, END, events, staging_only=True)  # never in production
    model_timeline(rng, 99, 100, END - 60 * 86_400, END, events)  # new, inside the window
    events.sort()
    return events


def main():
    args = sys.argv[1:]
    if len(args) not in (1, 2):
        sys.exit(__doc__)
    n, out = (int(args[0]), args[1]) if len(args) == 2 else (1_000_000, args[0])
    events = generate(n)
    with open(out, "w") as f:
        f.writelines(line + "\n" for *_, line in events)
    print(f"wrote {len(events):,} events to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
