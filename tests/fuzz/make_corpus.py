#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/ from the project's
scenarios and test data, and small run, ensemble, sweep, calibration and sensitivity files
made with TIPSIM (default build/bin/tipsim). Run from anywhere; rerun after the output format
changes. Inputs the fuzzers found that once crashed a reader are kept beside these, under
names starting with "found-", and are never removed by this script."""
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fuzz/corpus"
TIPSIM = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build/bin/tipsim")
SMALL = ROOT / "tests/cli/data/small.yaml"
SURVEYS = ROOT / "tests/cli/data/surveys.yaml"
SHORT = ["--set", "observation.write_events=false", "--set", "observation.snapshot_dates=[]"]


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def with_bases(path):
    """A scenario followed by the files it extends, as the scenario target splits them."""
    text = path.read_text()
    out, here, seen = text, path, {path.resolve()}
    while True:
        line = next((l for l in here.read_text().splitlines() if l.startswith("extends:")), None)
        if line is None:
            return out
        relative = line.split(":", 1)[1].strip().strip("'\"")
        here = (here.parent / relative).resolve()
        if here in seen:  # a loop: the scenario target meets it as the reader would
            return out
        seen.add(here)
        name = pathlib.PurePosixPath(*pathlib.Path(relative).parts)
        out += f"\n#--- {name}\n" + here.read_text()


def tipsim(*args):
    subprocess.run([TIPSIM, *map(str, args)], check=True, capture_output=True)


def text_corpora():
    scenarios = sorted(ROOT.glob("scenarios/**/*.yaml")) + sorted(ROOT.glob("tests/cli/data/*.yaml"))
    scenarios += sorted(ROOT.glob("tests/models/data/*.yaml"))
    for path in scenarios:
        if {"targets", "synthetic"} & set(path.parts) or path.name.endswith(("_priors.yaml", "_morris.yaml",
                                                           "_sobol.yaml")):
            continue
        try:
            text = with_bases(path)
        except OSError:
            text = path.read_text()  # a deliberately missing base
        put("scenario", f"{path.parent.name}-{path.name}", text)
    put("scenario", "loop.yaml", "extends: a.yaml\nname: x\n#--- a.yaml\nextends: main.yaml\n")
    sets = {
        "approaches": "recruitment.approaches_per_day=2.5\n",
        "dates": "simulation.start=2021-01-01\nsimulation.end=2021-03-31\n",
        "place": "places.Khossanto.miners=1000\nplaces.0.recruiters=3\n",
        "list": "observation.dates=[2021-06-01, 2021-07-01]\n",
        "mapping": "demand={visits_per_miner_per_week: 2}\n",
        "append": "places+=[{name: X, kind: origin, country: NG, at_risk_women: 10}]\n",
        "survey": "surveys=[{name: s, start: 2021-03-01, end: 2021-04-01, design: {type: random, "
                  "sample_size: 10}}]\n",
    }
    for name, text in sets.items():
        put("set", name, text)
    for path in sorted(ROOT.glob("scenarios/targets/*.yaml")) + [ROOT / "tests/fuzz/data/targets.yaml"]:
        put("targets", f"{path.parent.parent.name}-{path.name}", path.read_text())
    put("design", "grid.yaml", """method: grid
parameters:
  - {path: recruitment.approaches_per_day, values: [0, 1]}
  - {path: places.Khossanto.miners, min: 1000, max: 3000, levels: 2, integer: true}
""")
    put("design", "lhs.yaml", """method: latin_hypercube
points: 5
seed: 3
parameters:
  - {path: demand.visits_per_miner_per_week, min: 1.0, max: 4.0, scale: log}
""")
    put("design", "sobol.yaml", """method: sobol
points: 4
parameters:
  - {path: recruitment.base_acceptance, min: 0.02, max: 0.12}
  - {path: exploitation.escape_rate_per_year, min: 0.03, max: 0.3, scale: log}
""")
    put("design", "points.yaml", """method: points
parameters:
  - {path: recruitment.approaches_per_day, values: [0.5, 1, 2]}
  - {path: demand.visits_per_miner_per_week, values: [2, 3, 4]}
""")
    for path in sorted(ROOT.glob("scenarios/calibration/*_priors.yaml")):
        put("priors", path.name, path.read_text())
    put("priors", "small.yaml", """parameters:
  - {path: recruitment.base_acceptance, prior: uniform, min: 0.02, max: 0.12,
     source: "a test"}
  - {path: exploitation.escape_rate_per_year, prior: log_normal, median: 0.1, sigma: 0.5}
  - {path: demand.visits_per_miner_per_week, prior: log_uniform, min: 1.5, max: 5}
  - {path: places.Khossanto.miners, prior: normal, mean: 3000, sd: 500, integer: true}
weights:
  - {target: trafficked_18_30, weight: 0.5}
""")


def file_corpora(tmp):
    runs = {
        "small.h5": [SMALL, "--set", "simulation.start=2021-03-01",
                     "--set", "simulation.end=2021-07-31", *SHORT],
        "surveys.h5": [SURVEYS, "--set", "simulation.start=2021-01-01",
                       "--set", "simulation.end=2021-07-31", "--set", "surveys.2.start=2021-07-01",
                       "--set", "surveys.2.end=2021-07-30", *SHORT],
        "interventions.h5": [ROOT / "tests/cli/data/interventions.yaml",
                             "--set", "simulation.start=2021-03-01",
                             "--set", "simulation.end=2021-07-31", *SHORT],
        "events.h5": [SMALL, "--set", "simulation.start=2021-05-01",
                      "--set", "simulation.end=2021-06-30"],
    }
    made = {}
    for name, args in runs.items():
        out = tmp / name
        tipsim("run", args[0], "--out", out, *args[1:])
        made[name] = out.read_bytes()
    quick = ["--set", "simulation.start=2021-01-01", "--set", "simulation.end=2021-07-31",
             "--set", "surveys.2.start=2021-07-01", "--set", "surveys.2.end=2021-07-30", *SHORT]
    ensemble = tmp / "ensemble.h5"
    tipsim("ensemble", SURVEYS, "-n", "2", "-o", ensemble, "-q", *quick)
    made["ensemble.h5"] = ensemble.read_bytes()
    design = tmp / "d.yaml"
    design.write_text("method: grid\nparameters:\n"
                      "  - {path: recruitment.approaches_per_day, values: [0.5, 1]}\n")
    sweep = tmp / "sweep.h5"
    tipsim("sweep", SURVEYS, design, "-n", "1", "-o", sweep, "-q", *quick)
    made["sweep.h5"] = sweep.read_bytes()
    sensitivity = tmp / "sensitivity.h5"
    morris = tmp / "m.yaml"
    morris.write_text("method: morris\ntrajectories: 2\nlevels: 4\nparameters:\n"
                      "  - {path: recruitment.approaches_per_day, min: 0.5, max: 2}\n"
                      "  - {path: demand.visits_per_miner_per_week, min: 2, max: 4}\n")
    tipsim("sensitivity", SURVEYS, morris, "-o", sensitivity, "-q", *quick)
    made["sensitivity.h5"] = sensitivity.read_bytes()
    priors = tmp / "p.yaml"
    priors.write_text("parameters:\n  - {path: recruitment.base_acceptance, prior: uniform, "
                      "min: 0.02, max: 0.12}\n")
    calibration = tmp / "calibration.h5"
    tipsim("calibrate", SURVEYS, ROOT / "tests/fuzz/data/targets.yaml", priors, "--out",
           calibration, "--population", "4", "--max-generations", "2", "-q", *quick)
    made["calibration.h5"] = calibration.read_bytes()
    for name in made:
        put("summary", name, made[name])
    for name in ("small.h5", "interventions.h5", "events.h5"):
        put("compare", name, made[name])
    for name in ("surveys.h5", "ensemble.h5", "sweep.h5"):
        put("fit", name, made[name])


if __name__ == "__main__":
    text_corpora()
    with tempfile.TemporaryDirectory() as tmp:
        file_corpora(pathlib.Path(tmp))
