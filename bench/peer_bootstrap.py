"""The Python peer for statistical gating: the paired bootstrap, resample by resample.

Usage: .venv/bin/python bench/peer_bootstrap.py OUTDIR
What the reference spec describes (metrics.md §8.1–8.2): draw n row indices with
replacement, score both versions on those rows with scikit-learn (and fairlearn for the
demographic parity ratio), take (candidate − threshold) or (candidate − f(champion)), and
numpy's linear 2.5th/97.5th percentiles. The indices come from Tollgate's own stream —
SplitMix64 with Lemire's reduction, vectorised here with numpy — so both tools see the very
same resamples and their intervals must agree to rounding.
"""
import json
import re
import sys
from pathlib import Path

import numpy as np
from fairlearn import metrics as flm
from sklearn import metrics as m

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer import joined_versions  # noqa: E402

GAMMA = np.uint64(0x9E3779B97F4A7C15)


def splitmix_below(seed, start, count, bound):
    """Draws start..start+count-1 of SplitMix64(seed), each reduced to 0..<bound (bound < 2^32)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (np.arange(start + 1, start + count + 1, dtype=np.uint64) * GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        b = np.uint64(bound)
        low = (z & np.uint64(0xFFFFFFFF)) * b
        high = (z >> np.uint64(32)) * b
        return ((high + (low >> np.uint64(32))) >> np.uint64(32)).astype(np.int64)


def main(out):
    out = Path(out)
    config = (out / "tollgate-stats.yml").read_text()
    resamples = int(re.search(r"resamples: (\d+)", config).group(1))
    seed = int(re.search(r"seed: (\d+)", config).group(1))
    (_, champion), (_, challenger) = list(joined_versions(out))
    y = champion["label"].to_numpy()
    sex = champion["sex"].to_numpy()
    assert (challenger["label"].to_numpy() == y).all(), "both joins keep the dataset's row order"
    scores = {"champion": champion["score"].to_numpy(), "challenger": challenger["score"].to_numpy()}
    n = len(y)
    margins = {name: [] for name in ("roc_auc", "accuracy", "log_loss", "demographic_parity_ratio[sex]")}
    for b in range(resamples):
        idx = splitmix_below(seed, b * n, n, n)
        yb = y[idx]
        value = {}
        for version, s in scores.items():
            sb = s[idx]
            db = (sb >= 0.5).astype(int)
            value[version] = {"roc_auc": m.roc_auc_score(yb, sb), "accuracy": m.accuracy_score(yb, db), "log_loss": m.log_loss(yb, sb, labels=[0, 1])}
        c, p = value["challenger"], value["champion"]
        margins["roc_auc"].append(c["roc_auc"] - (p["roc_auc"] - 0.01))
        margins["accuracy"].append(c["accuracy"] - (p["accuracy"] - 0.01))
        margins["log_loss"].append(c["log_loss"] - p["log_loss"] * 1.05)
        db = (scores["challenger"][idx] >= 0.5).astype(int)
        margins["demographic_parity_ratio[sex]"].append(flm.demographic_parity_ratio(yb, db, sensitive_features=sex[idx]))
    intervals = {name: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for name, v in margins.items()}
    print(json.dumps({"resamples": resamples, "rows": n, "intervals": intervals}))


if __name__ == "__main__":
    main(sys.argv[1])
