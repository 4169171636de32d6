#!/usr/bin/env python3
"""The benchmark's oracle for `tollgate dora`: the same DORA figures from the same SQLite store, in pandas.

Usage: .venv/bin/python bench/peer_dora.py STORE.sqlite --until 2026-11-30T00:00:00Z [--days 90]
Prints a JSON array with one report per model, keyed like `tollgate dora --format json`; a figure
without data is null (tollgate leaves the key out). Written from the definitions, not from the
Swift code, so that a disagreement points at a bug on one side:
  - the window is [until - days, until); only events before `until` are known at all;
  - deployments are the model's production deployments, any type; D = those in the window;
  - deployment frequency: |D|, |D| / days, distinct UTC days with one, and the lower medians of
    deployment days per ISO week (Monday first) and per calendar month over every week and month
    the window touches, zero periods included;
  - lead time: each deployment in D that is the model's first production deployment of its
    commit, from commit to deployment, positive spans only;
  - failed: a deployment in D that an incident blames or a production hotfix/rollback remediates;
  - recovery: each incident resolved inside the window, from its blamed production deployment
    to the resolution, plus each remedy in D of a production deployment no incident blames,
    from that deployment to the remedy;
  - rework rate: remedies in D / |D|; rollback rate: rollbacks in D / |D|;
  - model age: from the latest production deployment to `until` (its version is the production
    version); registration to production: each version's first production deployment in the
    window, from registration to deployment;
  - medians are lower medians and p90 the nearest rank: the ceil(p * n)-th smallest value;
  - levels: DORA 2023 with Apache DevLake's cut-offs.
Everything is whole-table pandas work (group-bys and merges); only the last step, turning about
a hundred rows of figures into JSON, loops over models.
"""
import argparse
import datetime as dt
import json
import sqlite3

import numpy as np
import pandas as pd

DAY_MS = 86_400_000
HOUR, DAY = 3600.0, 86_400.0
LEVELS = ["elite", "high", "medium", "low"]


def parse_time(text):
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def rfc3339(ms):
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def nearest_rank(frame, value, p):
    """Per model: the ceil(p * n)-th smallest of `value` (integer arithmetic, so exact for any n)."""
    ordered = frame.sort_values(["model", value], kind="stable")
    n = ordered.groupby("model")[value].transform("size")
    rank = ordered.groupby("model").cumcount() + 1
    p10 = int(round(p * 10))  # p is 0.5 or 0.9: ceil(p10 * n / 10) without floating point
    return ordered.loc[rank == -(-p10 * n // 10)].set_index("model")[value]


def durations(frame, value):
    """count, median, p90 per model of a (model, value) frame."""
    return pd.DataFrame({"count": frame.groupby("model").size(), "median": nearest_rank(frame, value, 0.5),
                         "p90": nearest_rank(frame, value, 0.9)})


def below(value, cuts):
    """The first level whose cut-off `value` is strictly below (lead time, recovery time)."""
    if value is None:
        return None
    return next((level for level, cut in zip(LEVELS, cuts) if value < cut), "low")


def load(path, until):
    """Every event known at `until`, per model in time order (ties: recording time, then id).

    The few-valued text columns become categoricals so that filters stay cheap. Sorting a million
    string ids costs seconds (in SQLite or pandas), so ids are only compared within exact ties.
    """
    events = pd.read_sql(
        "SELECT id, kind, model, version, environment, at, recorded_at, type, commit_sha, committed_at, registered_at, link"
        " FROM tollgate_events WHERE kind <> 'run' AND at < ?", sqlite3.connect(path), params=(until,))
    events["environment"] = events["environment"].fillna("production")
    events = events.astype({"kind": "category", "environment": "category", "type": "category"})
    order = ["model", "at", "recorded_at"]
    events = events.sort_values(order, kind="stable")
    tied = events.duplicated(order, keep=False).to_numpy()
    if tied.any():  # the tied rows' slots, in order, take the tied rows sorted with the id as the last key
        index = events.index.to_numpy().copy()
        index[tied] = events[tied].sort_values(order + ["id"]).index
        events = events.loc[index]
    return events.rename(columns={"at": "time"})  # `frame.at` is pandas' scalar accessor, not a column


def figures(events, until, days):
    """Per-model figures as frames indexed by model: counts and medians (`out`), and three duration frames."""
    start = until - days * DAY_MS
    deployments = events[events.kind == "deployment"]
    production = deployments[deployments.environment == "production"]  # in time order per model (see load)
    window = production[(production.time >= start) & (production.time < until)].copy()
    incidents = events[events.kind == "incident"]
    resolutions = events[events.kind == "resolution"]
    models = sorted(set(deployments.model.unique()) | set(incidents.model.unique()))
    out = pd.DataFrame(index=pd.Index(models, name="model"))

    # Deployment frequency: counts per day, then per ISO week and calendar month of the window.
    out["deployments"] = window.groupby("model").size()
    window["day"] = window.time // DAY_MS
    active = window[["model", "day"]].drop_duplicates()
    out["deployment_days"] = active.groupby("model").size()
    calendar = pd.DataFrame({"day": np.arange(start // DAY_MS, (until - 1) // DAY_MS + 1)})
    dates = pd.to_datetime(calendar.day, unit="D")
    calendar["week"] = (calendar.day + 3) // 7  # 1970-01-01 was a Thursday: weeks start on Monday
    calendar["month"] = dates.dt.year * 12 + dates.dt.month - 1
    marks = active.merge(calendar, on="day")
    for period in ("week", "month"):
        grid = pd.MultiIndex.from_product([models, calendar[period].unique()], names=["model", period])
        per_period = marks.groupby(["model", period]).size().reindex(grid, fill_value=0).rename("n").reset_index()
        out[f"median_days_per_{period}"] = nearest_rank(per_period, "n", 0.5).astype(float)

    # Lead time: only a commit's first production deployment brings a change.
    shipped = production[production.commit_sha.isin(window.commit_sha.dropna())]  # the commits that matter, all their deployments
    first_of_commit = shipped.drop_duplicates(["model", "commit_sha"]).id
    lead = window[window.id.isin(first_of_commit) & window.committed_at.notna()]
    lead = lead.assign(seconds=(lead.time - lead.committed_at) / 1000)
    lead_times = durations(lead[lead.seconds > 0], "seconds")

    # Failed deployments and recoveries.
    blamed = incidents[["model", "link"]].dropna().drop_duplicates()
    remedies = production[production.type.isin(["hotfix", "rollback"])][["model", "link"]].dropna()  # production remedies only
    failing = pd.concat([blamed, remedies]).drop_duplicates().rename(columns={"link": "id"})
    out["failed"] = window.merge(failing, on=["model", "id"]).groupby("model").size()
    target = production[production.id.isin(events.link.dropna())][["model", "id", "time"]]
    target = target.rename(columns={"id": "link", "time": "deployed"})  # a blamed or remedied deployment
    resolved = incidents.merge(resolutions[["link", "time"]].rename(columns={"link": "id", "time": "resolved"}), on="id")
    resolved = resolved[(resolved.resolved >= start) & (resolved.resolved < until)].merge(target, on=["model", "link"])
    fixes = window[window.type.isin(["hotfix", "rollback"])].merge(target, on=["model", "link"])
    fixes = fixes.merge(blamed, on=["model", "link"], how="left", indicator=True)
    fixes = fixes[fixes._merge == "left_only"]
    recovery = pd.concat([resolved.assign(seconds=(resolved.resolved - resolved.deployed) / 1000)[["model", "seconds"]],
                          fixes.assign(seconds=(fixes.time - fixes.deployed) / 1000)[["model", "seconds"]]])
    recoveries = durations(recovery, "seconds")

    out["remedies"] = window[window.type.isin(["hotfix", "rollback"])].groupby("model").size()
    out["rollbacks"] = window[window.type == "rollback"].groupby("model").size()

    # ML: model age and registration to production.
    latest = production.drop_duplicates("model", keep="last").set_index("model")
    out["model_age"] = (until - latest.time) / 1000
    out["production_version"] = latest.version
    first_of_version = production[production.version.isin(window.version)].drop_duplicates(["model", "version"])
    first_of_version = first_of_version[(first_of_version.time >= start) & first_of_version.registered_at.notna()]
    first_of_version = first_of_version.assign(seconds=(first_of_version.time - first_of_version.registered_at) / 1000)
    registration = durations(first_of_version, "seconds")
    # Canary analyses: each as its latest look left it (the last in time order), counted when
    # that look fell in the window, by its verdict (kept in `type`; the analysis id in `link`).
    looks = events[events.kind == "canary_analysis"]
    last = looks.drop_duplicates("link", keep="last")
    last = last[(last.time >= start) & (last.time < until)]
    out["canary_passed"] = last[last.type == "pass"].groupby("model").size()
    out["canary_failed"] = last[last.type == "fail"].groupby("model").size()
    out["canary_undecided"] = last[~last.type.isin(["pass", "fail"])].groupby("model").size()

    counts = ["deployments", "deployment_days", "failed", "remedies", "rollbacks", "canary_passed", "canary_failed", "canary_undecided"]
    out[counts] = out[counts].fillna(0).astype(int)
    return models, out, lead_times, recoveries, registration


def report(model, row, lead, recovery, registration, until, days):
    """One model's figures in tollgate's JSON shape; None where tollgate prints N/A."""
    def value(frame, column):
        return None if model not in frame.index or pd.isna(frame.at[model, column]) else frame.at[model, column].item()

    def duration(frame, cuts):
        median = value(frame, "median")
        return {"count": int(value(frame, "count") or 0), "median": median, "p90": value(frame, "p90"),
                "level": below(median, cuts) if cuts else None}

    def rate(count, total, level=None):
        share = count / total if total else None
        return {"count": count, "of": total, "value": share, "level": level(share) if level and share is not None else None}

    n = row.deployments
    weekly, monthly = (row.median_days_per_week, row.median_days_per_month) if n else (None, None)
    frequency_level = None
    if n:
        frequency_level = "elite" if weekly >= 5 else "high" if weekly >= 1 else "medium" if monthly >= 1 else "low"
    cfr_level = lambda r: next((level for level, cut in zip(LEVELS, (0.05, 0.10, 0.15)) if r <= cut), "low")
    age = None if pd.isna(row.model_age) else float(row.model_age)
    return {
        "model": model,
        "window": {"start": rfc3339(until - days * DAY_MS), "end": rfc3339(until), "days": days},
        "deployment_frequency": {"deployments": int(n), "per_day": n / days if n else None,
                                 "deployment_days": int(row.deployment_days), "median_days_per_week": weekly,
                                 "median_days_per_month": monthly, "level": frequency_level},
        "change_lead_time": duration(lead, (DAY, 7 * DAY, 30 * DAY)),
        "change_failure_rate": rate(int(row.failed), int(n), cfr_level),
        "failed_deployment_recovery_time": duration(recovery, (HOUR, DAY, 7 * DAY)),
        "rework_rate": rate(int(row.remedies), int(n)),
        "ml": {"model_age": age, "production_version": None if age is None else row.production_version,
               "registration_to_production": duration(registration, None), "rollback_rate": rate(int(row.rollbacks), int(n)),
               "canary": {"passed": int(row.canary_passed), "failed": int(row.canary_failed), "undecided": int(row.canary_undecided)}},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--until", required=True)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()
    until = parse_time(args.until)
    models, out, lead, recovery, registration = figures(load(args.store, until), until, args.days)
    reports = [report(m, out.loc[m], lead, recovery, registration, until, args.days) for m in models]
    print(json.dumps(reports, indent=1))


if __name__ == "__main__":
    main()
