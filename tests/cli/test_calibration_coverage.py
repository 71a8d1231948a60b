"""Calibration proven on known truths (a long test): runs of the small scenario with surveys
at known values of a parameter give targets through their simulated surveys; calibrating
from the prior must put the truth inside the posterior intervals about as often as their
levels say (simulation-based calibration, Talts et al. 2018). Prints the trials' table."""
import json
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SCENARIO = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")
PATH = "recruitment.base_acceptance"
LOW, HIGH = 0.02, 0.12
TRIALS = 10


def ok(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr
    return r


def targets_from(run):
    """What the run's simulated surveys reported, as targets with their sample sizes."""
    s = json.loads(ok("summary", run, "--json").stdout)
    surveys = {x["name"]: x for x in s["surveys"]}
    rds, rnd, venue = surveys["rds_2021"], surveys["random_2021"], surveys["venue_2021"]
    return f"""targets:
  - {{name: rds, survey: rds_2021, quantity: prevalence, estimator: rds_ii,
     value: {rds["estimates"]["rds_ii"]["value"]}, n: {rds["n"]}}}
  - {{name: random, survey: random_2021, quantity: prevalence, estimator: sample,
     value: {rnd["estimates"]["sample"]["value"]}, n: {rnd["n"]}}}
  - {{name: venue, survey: venue_2021, quantity: prevalence, estimator: sample,
     value: {venue["estimates"]["sample"]["value"]}, n: {venue["n"]}}}
"""


class CoverageTest(unittest.TestCase):
    def test_posterior_intervals_cover_the_truth_at_about_their_levels(self):
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            priors = os.path.join(tmp, "priors.yaml")
            with open(priors, "w") as f:
                f.write(f"parameters:\n  - {{path: {PATH}, prior: uniform, min: {LOW}, "
                        f"max: {HIGH}}}\n")
            for i in range(TRIALS):
                # Truths spread over the prior (its deciles' midpoints), each with its own seed.
                truth = LOW + (HIGH - LOW) * (i + 0.5) / TRIALS
                run = os.path.join(tmp, f"truth{i}.h5")
                ok("run", SCENARIO, "-o", run, "-q", "--seed", str(100 + i), "--set",
                   f"{PATH}={truth}")
                targets = os.path.join(tmp, f"targets{i}.yaml")
                with open(targets, "w") as f:
                    f.write(targets_from(run))
                cal = os.path.join(tmp, f"cal{i}.h5")
                ok("calibrate", SCENARIO, targets, priors, "--out", cal, "--population", "40",
                   "--max-generations", "5", "--seed", str(i + 1), "-q")
                with h5py.File(cal) as c:
                    last = sorted(k for k in c["generations"] if k.isdigit())[-1]
                    p = c[f"generations/{last}/particles"][:, 0]
                    w = c[f"generations/{last}/weights"][:]
                    q = {k: c[f"posterior/{k}"][0] for k in ("q05", "q25", "q75", "q95")}
                rank = float(w[p < truth].sum() + 0.5 * w[p == truth].sum())
                rows.append((truth, q, rank))
        print(f"\n{'truth':>8} {'90% interval':>20} {'50% interval':>20} {'rank':>6}")
        for truth, q, rank in rows:
            print(f"{truth:8.4f} {q['q05']:9.4f}-{q['q95']:<9.4f} {q['q25']:9.4f}-{q['q75']:<9.4f}"
                  f" {rank:6.2f}")
        in90 = sum(q["q05"] <= t <= q["q95"] for t, q, _ in rows)
        in50 = sum(q["q25"] <= t <= q["q75"] for t, q, _ in rows)
        ranks = np.array([r for _, _, r in rows])
        print(f"90% intervals holding the truth: {in90} of {TRIALS}; 50%: {in50} of {TRIALS}; "
              f"ranks of the truth: mean {ranks.mean():.2f}, in each half "
              f"{(ranks < 0.5).sum()} and {(ranks >= 0.5).sum()}")
        # Binomial(10, 0.9) gives 6 or fewer with probability 0.013; Binomial(10, 0.5) gives
        # 1 or fewer, or 9 or more, with probability 0.021 each.
        self.assertGreaterEqual(in90, 7)
        self.assertGreaterEqual(in50, 2)
        self.assertLessEqual(in50, 8)
        # Ranks near uniform: neither half holds them all.
        self.assertGreater((ranks < 0.5).sum(), 0)
        self.assertGreater((ranks >= 0.5).sum(), 0)


if __name__ == "__main__":
    unittest.main()
