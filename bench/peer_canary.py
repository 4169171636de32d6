#!/usr/bin/env python3
"""The peer of bench/canary_bench.py: one canary look over a JSON Lines event log, in Python.

Reads every line with the standard json module (what a script beside a controller does), keeps
each arm's sufficient statistics for the bench config's checks (error_rate as a proportion,
mean_ms on log latency, mean(score)), and computes the normal-mixture confidence sequence of
one look with the recipe of fixtures/canary/make_sequential_reference.py. Prints JSON: per
check, n per arm, the estimate and the interval, for comparison with Tollgate's verdict.

Usage: python3 bench/peer_canary.py EVENTS.jsonl ALPHA MIN_SAMPLES MAX_SAMPLES
"""
import json
import math
import sys


class Arm:
    def __init__(self):
        self.n = 0
        self.total = 0.0
        self.squares = 0.0

    def add(self, value):
        self.n += 1
        self.total += value
        self.squares += value * value

    def mean(self):
        return self.total / self.n

    def variance(self, proportion):
        if proportion:
            successes = min(max(self.total, 0.5), self.n - 0.5)
            p = successes / self.n
            return p * (1 - p)
        if self.n < 2:
            return 0.0
        return max(0.0, (self.squares - self.total * self.total / self.n) / (self.n - 1))


def interval(base, can, proportion, alpha, max_samples):
    estimate = can.mean() - base.mean()
    v = can.variance(proportion) / can.n + base.variance(proportion) / base.n
    information = 1 / v
    l = 2 * math.log(1 / alpha)
    rho = information * max_samples / min(base.n, can.n) / (l + math.log1p(l))
    half = math.sqrt((information + rho) * (math.log(1 + information / rho) + 2 * math.log(1 / alpha))) / information
    return estimate, [estimate - half, estimate + half]


def main():
    path, alpha, min_samples, max_samples = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    checks = {"error_rate": True, "mean_ms": False, "mean(score)": False}
    arms = {name: {"baseline": Arm(), "canary": Arm()} for name in checks}
    with open(path) as f:
        for line in f:
            event = json.loads(line)
            arm = event["arm"]
            status = event["status"]
            arms["error_rate"][arm].add(1.0 if (status == "error" or (isinstance(status, int) and status >= 500)) else 0.0)
            arms["mean_ms"][arm].add(math.log(event["latency_ms"]))
            arms["mean(score)"][arm].add(event["score"])
    alpha_per_check = alpha / 2  # Bonferroni over the two blocking checks
    out = {}
    for name, proportion in checks.items():
        base, can = arms[name]["baseline"], arms[name]["canary"]
        estimate, bounds = interval(base, can, proportion, alpha_per_check, max_samples)
        out[name] = {"n_baseline": base.n, "n_canary": can.n, "estimate": estimate, "interval": bounds}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
