"""Parameter recovery on the default scenario (a long test): a run of scenarios/kedougou.yaml
at known values of the six calibrated parameters gives targets through its simulated baseline
survey (every target of scenarios/targets/kedougou.yaml, with the simulated value and sample
sizes); calibrating from scenarios/calibration/kedougou_priors.yaml must put the known values
inside the posterior's 90% intervals. Prints the table docs/CALIBRATION.md quotes.

TIPSIM_RECOVERY_POPULATION (default 100) and TIPSIM_RECOVERY_GENERATIONS (default 8) size the
calibration; the defaults are those of the default scenario's calibration."""
import json
import os
import subprocess
import tempfile
import time
import unittest

import h5py

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SCENARIO = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
TARGETS = os.path.join(SOURCE, "scenarios", "targets", "kedougou.yaml")
PRIORS = os.path.join(SOURCE, "scenarios", "calibration", "kedougou_priors.yaml")
POPULATION = os.environ.get("TIPSIM_RECOVERY_POPULATION", "100")
GENERATIONS = os.environ.get("TIPSIM_RECOVERY_GENERATIONS", "8")

# Known values away from both the defaults and the priors' centres.
TRUTH = {
    "recruitment.base_acceptance": 0.07,
    "exploitation.escape_rate_per_year": 0.15,
    "demand.visits_per_miner_per_week": 3.5,
    "population.voluntary_stay_years": 1.5,
    "organisation.tie_same_country": 0.75,
    "surveys.baseline_2021.instrument.indicators.threats_or_violence.specificity": 0.96,
}


def ok(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=7200)
    assert r.returncode == 0, r.stderr
    return r


def targets_from(run):
    """Every target of the real targets file, with the value the run's simulated survey (or
    its ground truth) gave and the simulated survey's own sample sizes."""
    fit = json.loads(ok("fit", run, TARGETS, "--json").stdout)
    survey = {s["name"]: s for s in json.loads(ok("summary", run, "--json").stdout)["surveys"]}
    lines = ["targets:"]
    for t in fit["targets"]:
        fields = {"name": t["name"], "quantity": t["quantity"], "value": repr(t["simulated"])}
        for key in ("survey", "department", "estimator", "country", "date"):
            if t[key] is not None:
                fields[key] = t[key]
        s = survey.get(t["survey"])
        if t["quantity"] == "prevalence":
            fields["n"] = s["n_by_department"][t["department"]] if t["department"] else s["n"]
        elif t["quantity"] == "nationality_share":
            fields["n"] = s["among_classified_trafficked"]["count"]
        else:
            fields["relative_sd"] = 0.02 if t["quantity"] == "sample_size" else 0.2
        lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}")
    return "\n".join(lines) + "\n"


class RecoveryTest(unittest.TestCase):
    def test_known_values_lie_inside_the_posterior_intervals(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "truth.h5")
            sets = [a for path, value in TRUTH.items() for a in ("--set", f"{path}={value}")]
            ok("run", SCENARIO, "-o", run, "-q", "--seed", "7", *sets)
            targets = os.path.join(tmp, "targets.yaml")
            with open(targets, "w") as f:
                f.write(targets_from(run))
            cal = os.path.join(tmp, "cal.h5")
            started = time.monotonic()
            ok("calibrate", SCENARIO, targets, PRIORS, "--out", cal, "--population", POPULATION,
               "--max-generations", GENERATIONS, "--min-acceptance", "0.05", "--threads", "2",
               "-q")
            seconds = time.monotonic() - started
            summary = json.loads(ok("summary", cal, "--json").stdout)
        rows = {p["path"]: p["posterior"] for p in summary["parameters"]}
        print(f"\n{summary['simulations']} simulations, {len(summary['generations'])} "
              f"generations, {seconds / 60:.1f} min")
        print(f"{'parameter':<40} {'truth':>7} {'median':>8} {'90% interval':>18} "
              f"{'50% interval':>18}")
        inside90 = 0
        for path, truth in TRUTH.items():
            p = rows[path]
            (q05, q95), (q25, q75) = p["interval_90"], p["interval_50"]
            inside = q05 <= truth <= q95
            inside90 += inside
            print(f"{path.split('.')[-1] if 'surveys' in path else path:<40} {truth:7.3f} "
                  f"{p['median']:8.3f} {q05:8.3f}-{q95:<8.3f} {q25:8.3f}-{q75:<8.3f} "
                  f"{'' if inside else 'outside'}")
        # Six independent 90% intervals all hold the truth with probability 0.53 and five or
        # more with 0.89: one miss is no evidence of a fault, two are.
        self.assertGreaterEqual(inside90, 5)


if __name__ == "__main__":
    unittest.main()
