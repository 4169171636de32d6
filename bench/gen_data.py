"""Writes a binary benchmark gate of N rows: dataset, a two-version registry, and configs.

Usage: .venv/bin/python bench/gen_data.py N OUTDIR
Labels ~ Bernoulli(0.3); each version's score is a noisy logistic of the label (ROC AUC about
0.80 for the champion, 0.82 for the challenger), with six decimals as most exports write them.
The large files are formatted by numpy straight into bytes (10M rows in well under a minute);
the small ones (reference data, latency samples) by pandas.
"""
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

BLOCK = 1_000_000  # rows formatted at a time
STATS_RESAMPLES = 200  # the statistical gate's bootstrap (bench/peer_bootstrap.py reads it back)


def sequence_digits(n, width):
    """The digits of 0..n-1, zero-padded, as an (n, width) byte matrix: each column is a repeated ramp."""
    out = np.empty((n, width), dtype=np.uint8)
    ramp = np.arange(ord("0"), ord("9") + 1, dtype=np.uint8)
    for k in range(width):
        column = np.repeat(ramp, 10 ** k) if 10 ** k < n else np.full(1, ord("0"), dtype=np.uint8)
        out[:, width - 1 - k] = np.tile(column, -(-n // len(column)))[:n]
    return out


def zero_padded(values, width):
    """Non-negative integers as exactly `width` ASCII digits."""
    rest = np.array(values, dtype=np.int64)
    out = np.empty((len(rest), width), dtype=np.uint8)
    for column in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, 10)
        out[:, column] = digit
    return out + ord("0")


def integers(values):
    """Non-negative integers as ASCII digits; leading zeros become NUL padding, dropped on write."""
    values = np.asarray(values, dtype=np.int64)
    width = len(str(int(values.max()))) if len(values) else 1
    out = zero_padded(values, width)
    length = np.ones(len(values), dtype=np.int8)
    for k in range(1, width):
        length += values >= 10 ** k
    out[np.arange(width)[None, :] < (width - length)[:, None]] = 0
    return out


def decimals(values, places):
    """Non-negative floats rounded to `places` decimals, as printf's %.{places}f writes them."""
    scaled = np.rint(np.asarray(values, dtype=np.float64) * 10.0**places).astype(np.int64)
    whole, fraction = np.divmod(scaled, 10**places)
    point = np.full((len(scaled), 1), ord("."), dtype=np.uint8)
    return np.hstack([integers(whole), point, zero_padded(fraction, places)])


def categories(names, index):
    """Category labels (chosen by index) as NUL-padded bytes."""
    table = np.array([name.encode() for name in names])
    return table[index].view(np.uint8).reshape(len(index), table.dtype.itemsize)


def write_csv(path, columns):
    """Writes {name: (n, width) byte matrix} as CSV; NUL bytes are padding and are dropped."""
    names = list(columns)
    n = len(columns[names[0]])
    separators = [np.full((min(n, BLOCK), 1), ord("," if k < len(names) - 1 else "\n"), dtype=np.uint8) for k in range(len(names))]
    with open(path, "wb") as sink:
        sink.write((",".join(names) + "\n").encode())
        for start in range(0, n, BLOCK):
            stop = min(n, start + BLOCK)
            parts = []
            for k, name in enumerate(names):
                parts += [columns[name][start:stop], separators[k][: stop - start]]
            block = np.hstack(parts).ravel()
            sink.write(block[block != 0].tobytes())


def main(n, out):
    out = Path(out)
    rng = np.random.default_rng(7)
    label = (rng.random(n) < 0.3).astype(np.int8)
    ids = np.hstack([np.full((n, 1), ord("r"), dtype=np.uint8), sequence_digits(n, 9)])  # r000000000, r000000001, ...
    male = (rng.random(n) >= 0.5).astype(np.int8)
    age = rng.integers(18, 80, n)
    band = (age >= 25).astype(np.int8) + (age >= 60)
    income = rng.lognormal(10.3, 0.5, n)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "data.csv", {
        "id": ids, "label": (label.reshape(n, 1) + ord("0")).astype(np.uint8), "sex": categories(["female", "male"], male),
        "age_band": categories(["<25", "25-59", "60+"], band), "age": integers(age), "income": decimals(income, 2),
    })
    # The training data drift is measured against: 100k rows, incomes slightly lower.
    m = 100_000
    ref_age = rng.integers(18, 80, m)
    pd.DataFrame({
        "id": [f"t{i}" for i in range(m)], "label": (rng.random(m) < 0.3).astype(np.int8),
        "sex": np.where(rng.random(m) < 0.52, "female", "male"),
        "age_band": np.where(ref_age < 25, "<25", np.where(ref_age < 60, "25-59", "60+")),
        "age": ref_age, "income": np.round(rng.lognormal(10.25, 0.5, m), 2),
    }).to_csv(out / "reference.csv", index=False, lineterminator="\n")
    registry = out / "registry" / "bench"
    # A label shift of 1.6 under normal noise sd gives ROC AUC = Phi(1.6 / (sd * sqrt 2)): 0.80 and 0.82.
    for version, noise in (("1", 1.344), ("2", 1.236)):
        directory = registry / version
        directory.mkdir(parents=True, exist_ok=True)
        score = 1 / (1 + np.exp(-((label * 1.6 - 0.8) + rng.normal(0, noise, n))))
        write_csv(directory / "predictions.csv", {"id": ids, "score": decimals(score, 6)})
        requests = 200_000
        pd.DataFrame({
            "timestamp": np.round(1_790_000_000 + np.cumsum(rng.exponential(0.005, requests)), 6),
            "latency_ms": np.round((8 + 4 * int(version)) * rng.lognormal(0, 0.4, requests), 3),
            "error": (rng.random(requests) < 0.002).astype(int),
        }).to_csv(directory / "latency.csv", index=False, lineterminator="\n")
        artifact = directory / "model.bin"
        artifact.write_bytes(hashlib.sha256(f"weights {version}".encode()).digest() * 1024)
        digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
        (directory / "version.yaml").write_text(
            f'created_at: "2026-11-0{version}T00:00:00Z"\nlatency: {{samples: latency.csv}}\nscorer:\n  predictions: predictions.csv\n'
            f"artifact:\n  path: model.bin\n  sha256: \"{digest}\"\n")
    (registry / "model.yaml").write_text('description: benchmark model\naliases: {champion: "1", challenger: "2"}\n')
    (out / "tollgate.yml").write_text("""model: bench
registry: registry
champion: "@champion"
candidates: ["@challenger"]
dataset:
  path: data.csv
  id: id
  label: label
  task: binary
  positive: 1
  sensitive: [sex, age_band]
checks:
  accuracy:
    - roc_auc >= champion - 0.01
    - average_precision >= champion - 0.01
    - log_loss <= champion * 1.05
    - brier <= champion * 1.05
    - accuracy >= 0.7
    - balanced_accuracy >= 0.6
    - precision >= 0.5
    - recall >= 0.4
    - f1 >= 0.5
    - mcc >= 0.2
    - ece <= 0.2
""")
    (out / "tollgate-full.yml").write_text((out / "tollgate.yml").read_text().replace(
        "  sensitive: [sex, age_band]\n", "  sensitive: [sex, age_band]\n  reference: reference.csv\n") + """  fairness:
    - demographic_parity_ratio[sex] >= 0.8
    - equalized_odds_difference[sex] <= 0.1
    - disparate_impact[age_band] >= 0.8
    - min(recall[sex, age_band]) >= 0.5
  drift:
    - psi[*] < 0.2
    - drifted_share < 0.5
  latency:
    - p95_ms <= champion * 1.5
    - p99_ms <= 100
    - error_rate <= 0.01
  nonfunctional:
    - artifact_mb <= 10
    - sha256 present
    - coverage >= 0.99
""")
    # Statistical gating: the same rows, each check decided by a paired bootstrap.
    (out / "tollgate-stats.yml").write_text(f"""{(out / "tollgate.yml").read_text().split("checks:")[0]}checks:
  accuracy:
    - roc_auc >= champion - 0.01 @ 95%
    - accuracy >= champion - 0.01 @ 95%
    - log_loss <= champion * 1.05 @ 95%
  fairness:
    - demographic_parity_ratio[sex] >= 0.8 @ 95%
statistics:
  resamples: {STATS_RESAMPLES}
  seed: 1
""")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
