"""Small real files of every kind tipsim writes, made once per test session with the built
executable (TIPSIM_BIN), for the Python package's tests."""
import json
import os
import subprocess
import sys

import pytest

SOURCE = os.environ.get("TIPSIM_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BIN = os.environ.get("TIPSIM_BIN", os.path.join(SOURCE, "build", "bin", "tipsim"))
sys.path.insert(0, os.path.join(SOURCE, "analysis", "python"))

SMALL = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")
KEDOUGOU = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
NO_PROGRAMME = os.path.join(SOURCE, "scenarios", "whatif", "no_programme.yaml")


def tipsim(*args, check=True):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=900)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def tipsim_json(*args):
    return json.loads(tipsim(*args).stdout)


@pytest.fixture(scope="session")
def files(tmp_path_factory):
    """Paths of a default run, a paired what-if ensemble over a window, a sweep, a
    calibration and a Morris and a Sobol sensitivity analysis."""
    d = tmp_path_factory.mktemp("files")
    out = {k: str(d / f"{k}.h5") for k in ("run", "no_programme_run", "ensemble", "sweep",
                                           "calibration", "morris", "sobol")}
    tipsim("run", KEDOUGOU, "-o", out["run"], "-q")
    tipsim("run", NO_PROGRAMME, "-o", out["no_programme_run"], "-q")
    tipsim("ensemble", NO_PROGRAMME, KEDOUGOU, "-n", "4", "--window", "2021-01-01:2025-12-31",
           "-o", out["ensemble"], "-q")
    design = d / "design.yaml"
    design.write_text("method: grid\nparameters:\n"
                      "  - {path: recruitment.base_acceptance, values: [0.04, 0.08]}\n")
    tipsim("sweep", SMALL, str(design), "-n", "2", "-o", out["sweep"], "-q")
    targets = d / "targets.yaml"
    targets.write_text(
        "targets:\n  - {name: prevalence, survey: rds_2021, quantity: prevalence, "
        "estimator: rds_ii, value: 0.2, n: 120}\n")
    priors = d / "priors.yaml"
    priors.write_text("parameters:\n  - {path: recruitment.base_acceptance, prior: uniform, "
                      "min: 0.02, max: 0.12}\n  - {path: exploitation.escape_rate_per_year, "
                      "prior: log_uniform, min: 0.03, max: 0.3}\n")
    tipsim("calibrate", SMALL, str(targets), str(priors), "--out", out["calibration"],
           "--population", "10", "--max-generations", "2", "-q")
    params = ("parameters:\n"
              "  - {path: recruitment.base_acceptance, min: 0.02, max: 0.12}\n"
              "  - {path: exploitation.escape_rate_per_year, min: 0.03, max: 0.3, "
              "scale: log}\n  - {path: demand.visits_per_miner_per_week, min: 2, max: 4}\n")
    for method, size in (("morris", "trajectories: 3\n"), ("sobol", "points: 4\n")):
        design = d / f"{method}.yaml"
        design.write_text(params + size)
        tipsim("sensitivity", SMALL, str(design), "--method", method, "-o", out[method], "-n",
               "2", "--outputs", "totals.victims_removed,totals.recruited", "-q")
    return out


@pytest.fixture(scope="session")
def report_path(files, tmp_path_factory):
    """The report of a what-if ensemble, a run, a calibration and a Morris analysis."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    tipsim("report", files["ensemble"], files["run"], files["calibration"], files["morris"],
           "-o", str(out))
    return out
