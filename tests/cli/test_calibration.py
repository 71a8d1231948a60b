"""End-to-end tests of `tipsim calibrate`: the calibration file, resuming after a kill, the
same posterior on any number of threads, strict priors files, and `tipsim summary` of it."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np
import yaml

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
# small.yaml with an rds, a random and a venue survey in 2021.
SCENARIO = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")

TARGETS = """targets:
  - {name: prevalence, survey: rds_2021, quantity: prevalence, estimator: rds_ii, value: 0.2,
     n: 120}
  - {name: random, survey: random_2021, quantity: prevalence, estimator: sample, value: 0.15}
  - {name: victims, quantity: trafficked_18_30, date: 2021-06-01, value: 60, relative_sd: 0.3}
"""
PRIORS = """parameters:
  - {path: recruitment.base_acceptance, prior: uniform, min: 0.02, max: 0.12,
     source: "a test"}
  - {path: exploitation.escape_rate_per_year, prior: log_normal, median: 0.1, sigma: 0.5}
weights:
  - {target: victims, weight: 0.5}
"""


def tipsim(*args, timeout=600):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def ok(*args):
    r = tipsim(*args)
    assert r.returncode == 0, r.stderr
    return r


def generations(path):
    """Every generation's datasets and attributes but its wall time."""
    out = {}
    with h5py.File(path, "r") as f:
        for name, g in f["generations"].items():
            if isinstance(g, h5py.Group):
                out[name] = ({k: g[k][()] for k in g},
                             {k: v for k, v in g.attrs.items() if k != "seconds"})
    return out


def same_generations(test, a, b):
    ga, gb = generations(a), generations(b)
    test.assertEqual(sorted(ga), sorted(gb))
    for name in ga:
        for key in ga[name][0]:
            np.testing.assert_array_equal(ga[name][0][key], gb[name][0][key], err_msg=name + key)
        test.assertEqual(ga[name][1], gb[name][1])


class CalibrateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.targets = self.write("targets.yaml", TARGETS)
        self.priors = self.write("priors.yaml", PRIORS)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def calibrate(self, out, *extra):
        return ok("calibrate", SCENARIO, self.targets, self.priors, "--out", out,
                  "--population", "12", "-q", *extra)

    def test_file_holds_generations_and_posterior(self):
        out = self.path("cal.h5")
        r = self.calibrate(out, "--max-generations", "3")
        self.assertRegex(r.stdout, r"3 generations of 12 particles \(0 resumed\), \d+ "
                                   r"simulations, stopped by max_generations")
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["file_kind"], "calibration")
            self.assertEqual(f.attrs["complete"], 1)
            self.assertEqual(f.attrs["stopped"], "max_generations")
            self.assertEqual([p.decode() for p in f["parameters/path"][:]],
                             ["recruitment.base_acceptance",
                              "exploitation.escape_rate_per_year"])
            self.assertEqual([p.decode() for p in f["parameters/prior"][:]],
                             ["uniform", "log_normal"])
            tolerance = f["generations/tolerance"][:]
            self.assertEqual(len(tolerance), 3)
            self.assertTrue(np.isinf(tolerance[0]))
            self.assertLessEqual(tolerance[2], tolerance[1])
            for t in range(3):
                g = f[f"generations/{t:04d}"]
                p, w, d = g["particles"][:], g["weights"][:], g["distances"][:]
                self.assertEqual(p.shape, (12, 2))
                self.assertAlmostEqual(w.sum(), 1.0)
                self.assertTrue((d <= tolerance[t]).all())
                self.assertTrue(((p[:, 0] >= 0.02) & (p[:, 0] <= 0.12)).all())
                self.assertTrue((p[:, 1] > 0).all())
                self.assertEqual(g.attrs["acceptance_rate"], 12 / g.attrs["simulations"])
            last = f["generations/0002"]
            p, w = last["particles"][:], last["weights"][:]
            np.testing.assert_allclose(f["posterior/mean"][:], w @ p)
            self.assertEqual(f["posterior/correlation"].shape, (2, 2))
            # The scenario, targets and priors travel with the file.
            texts = [t.decode() for t in f["provenance/input_text"][:]]
            self.assertIn("recruitment.base_acceptance", texts[2])
        s = json.loads(ok("summary", out, "--json").stdout)
        self.assertEqual(s["file_kind"], "calibration")
        self.assertEqual(list(s), ["file", "file_kind", "method", "population", "seed",
                                   "complete", "stopped", "simulations", "parameters",
                                   "generations", "correlation"])
        first = s["parameters"][0]
        self.assertEqual(first["source"], "a test")
        self.assertEqual(list(first["posterior"]),
                         ["mean", "sd", "median", "interval_50", "interval_90"])
        lo, hi = first["posterior"]["interval_90"]
        self.assertLessEqual(lo, first["posterior"]["median"])
        self.assertLessEqual(first["posterior"]["median"], hi)
        table = ok("summary", out).stdout
        self.assertIn("recruitment.base_acceptance", table)
        self.assertIn("stopped by max_generations", table)

    def test_same_posterior_on_any_number_of_threads_and_after_resuming(self):
        whole = self.path("whole.h5")
        self.calibrate(whole, "--max-generations", "3", "--threads", "1")
        parts = self.path("parts.h5")
        self.calibrate(parts, "--max-generations", "2", "--threads", "2")
        r = self.calibrate(parts, "--max-generations", "3", "--threads", "2")
        self.assertIn("(2 resumed)", r.stdout)
        same_generations(self, whole, parts)
        # Another seed, another posterior.
        other = self.path("other.h5")
        self.calibrate(other, "--max-generations", "1", "--seed", "2")
        with h5py.File(other) as a, h5py.File(whole) as b:
            self.assertFalse(np.array_equal(a["generations/0000/particles"][:],
                                            b["generations/0000/particles"][:]))

    def test_killed_at_any_moment_it_continues_where_it_was(self):
        whole = self.path("whole.h5")
        self.calibrate(whole, "--max-generations", "4")
        out = self.path("killed.h5")
        args = [BIN, "calibrate", SCENARIO, self.targets, self.priors, "--out", out,
                "--population", "12", "--max-generations", "4", "-q"]
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while not os.path.exists(out) and time.time() < deadline and p.poll() is None:
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        p.wait()
        # Whatever was left is a complete calibration file of whole generations.
        if os.path.exists(out):
            with h5py.File(out) as f:
                self.assertEqual(f.attrs["file_kind"], "calibration")
        self.calibrate(out, "--max-generations", "4")
        same_generations(self, whole, out)
        self.assertEqual([n for n in os.listdir(self.tmp.name) if ".tmp" in n], [])

    def test_an_out_holding_another_calibration_is_kept_unless_overwrite(self):
        out = self.path("cal.h5")
        self.calibrate(out, "--max-generations", "1")
        r = tipsim("calibrate", SCENARIO, self.targets, self.priors, "--out", out,
                   "--population", "13", "--max-generations", "1", "-q")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("holds another file or another calibration", r.stderr)
        ok("calibrate", SCENARIO, self.targets, self.priors, "--out", out, "--population", "13",
           "--max-generations", "1", "-q", "--overwrite")
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["population"], 13)

    def test_priors_are_truncated_to_the_values_the_scenario_accepts(self):
        priors = self.write("wide.yaml", """parameters:
  - {path: recruitment.base_acceptance, prior: normal, mean: 0.05, sd: 0.5}
""")
        out = self.path("wide.h5")
        ok("calibrate", SCENARIO, self.targets, priors, "--out", out, "--population", "8",
           "--max-generations", "1", "-q")
        with h5py.File(out) as f:
            self.assertAlmostEqual(f["parameters/lower"][0], 0.0, places=9)
            self.assertAlmostEqual(f["parameters/upper"][0], 1.0, places=9)
            p = f["generations/0000/particles"][:, 0]
            self.assertTrue(((p >= 0) & (p <= 1)).all())

    def test_priors_file_errors_name_the_place_and_what_was_expected(self):
        bad = self.write("bad.yaml", """parameters:
  - {path: recruitment.base_acceptanse, prior: uniform, min: 0.1, max: 0.2}
  - {path: recruitment.approaches_per_day, prior: uniform, min: -1, max: 2}
  - {path: demand.visits_per_miner_per_week, prior: uniform, min: 3, max: 2}
  - {path: exploitation.escape_rate_per_year, prior: gamma, shape: 2}
  - {path: exploitation.victim_share, prior: beta, a: 0, b: 2}
  - {path: population.voluntary_stay_years, prior: log_normal, median: 2, sd: 1}
  - {path: population.social_ties, prior: normal, mean: 6, sd: 1}
weights:
  - {target: prevalense, weight: 2}
""")
        r = tipsim("calibrate", SCENARIO, self.targets, bad, "--out", self.path("x.h5"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        for expected in [
            "bad.yaml:2:", "recruitment.base_acceptanse = 0.1 is refused by the scenario",
            "bad.yaml:3:", "recruitment.approaches_per_day = -1 is refused by the scenario",
            "bad.yaml:4:", "max must be greater than min",
            "bad.yaml:5:", "parameters[3].prior: expected one of: uniform, log_uniform, normal, "
                           "log_normal, beta, got 'gamma'",
            "bad.yaml:6:", "parameters[4].a:",
            "bad.yaml:7:", "unknown key 'sd'",
            "bad.yaml:8:", "population.social_ties = ", "expected an integer",
            "bad.yaml:10:", "no target 'prevalense' in the targets file",
        ]:
            self.assertIn(expected, r.stderr)
        self.assertFalse(os.path.exists(self.path("x.h5")))

    def test_write_scenario_extends_the_input_with_the_posterior_medians(self):
        priors = self.write("list.yaml", PRIORS.replace("weights:", """  - {path: surveys.rds_2021.instrument.indicators.isolation.specificity, prior: beta,
     a: 90, b: 10}
weights:"""))
        out, written = self.path("cal.h5"), self.path("sub/calibrated.yaml")
        os.mkdir(self.path("sub"))
        ok("calibrate", SCENARIO, self.targets, priors, "--out", out, "--population", "12",
           "--max-generations", "2", "-q", "--set", "recruitment.approaches_per_day=0.8",
           "--write-scenario", written)
        with open(written) as f:
            text = f.read()
        # The input, named relative to the written file's folder.
        self.assertIn("extends: " + os.path.relpath(SCENARIO, os.path.dirname(written)) + "\n",
                      text)
        self.assertIn("surveys+:\n  - name: rds_2021\n", text)
        self.assertIn("# calibrated: posterior median, 90% interval", text)
        resolved = ok("validate", written).stdout
        with h5py.File(out) as f:
            medians = f["posterior/median"][:]
        doc = yaml.safe_load(resolved)
        self.assertAlmostEqual(doc["recruitment"]["base_acceptance"], medians[0],
                               delta=1e-3 * medians[0])
        self.assertAlmostEqual(doc["exploitation"]["escape_rate_per_year"], medians[1],
                               delta=1e-3 * medians[1])
        rds = next(s for s in doc["surveys"] if s["name"] == "rds_2021")
        self.assertAlmostEqual(rds["instrument"]["indicators"]["isolation"]["specificity"],
                               medians[2], delta=1e-3)
        self.assertEqual(doc["recruitment"]["approaches_per_day"], 0.8)  # the --set, kept
        # The other surveys are the base's, untouched.
        self.assertEqual([s["name"] for s in doc["surveys"]],
                         ["rds_2021", "random_2021", "venue_2021"])
        # A scenario that extends another inherits its lists: the written one merges into
        # them all the same.
        child = self.write("child.yaml", f"extends: {SCENARIO}\nname: child\n")
        child_written = self.path("sub/child_calibrated.yaml")
        ok("calibrate", child, self.targets, priors, "--out", self.path("child.h5"),
           "--population", "12", "--max-generations", "1", "-q", "--write-scenario",
           child_written)
        doc = yaml.safe_load(ok("validate", child_written).stdout)
        self.assertEqual(doc["name"], "child")
        self.assertEqual([s["name"] for s in doc["surveys"]],
                         ["rds_2021", "random_2021", "venue_2021"])

    def test_an_ensemble_over_posterior_draws(self):
        cal = self.path("cal.h5")
        self.calibrate(cal, "--max-generations", "2")
        out, runs = self.path("post.h5"), self.path("runs")
        os.mkdir(runs)
        ok("ensemble", SCENARIO, "--posterior", cal, "--draws", "5", "-o", out, "--keep-runs",
           runs, "-q")
        with h5py.File(cal) as c, h5py.File(out) as f:
            particles = c["generations/0001/particles"][:]
            weights = c["generations/0001/weights"][:]
            draws = f["posterior_draws/values"][:]
            self.assertEqual([p.decode() for p in f["posterior_draws/path"][:]],
                             ["recruitment.base_acceptance",
                              "exploitation.escape_rate_per_year"])
            np.testing.assert_array_equal(f["manifest/replicate"][:], [0, 1, 2, 3, 4])
        # Systematic resampling by weight: draw i is the particle where the cumulative weight
        # first reaches (i + 1/2) / 5.
        cumulative = np.cumsum(weights)
        for i in range(5):
            k = int(np.searchsorted(cumulative, (i + 0.5) / 5))
            np.testing.assert_array_equal(draws[i], particles[k])
        # Each replicate ran with its draw's values.
        for i in range(5):
            with h5py.File(os.path.join(runs, f"small_surveys_r{i}.h5")) as r:
                resolved = yaml.safe_load(r["provenance/resolved_scenario"][0].decode())
            self.assertAlmostEqual(resolved["recruitment"]["base_acceptance"], draws[i][0])
        fit = json.loads(ok("fit", out, self.targets, "--json").stdout)
        for t in fit["cells"][0]["targets"]:
            self.assertGreaterEqual(t["observed_quantile"], 0)
            self.assertLessEqual(t["observed_quantile"], 1)
        # --draws goes with --posterior, and replaces --replicates.
        r = tipsim("ensemble", SCENARIO, "--posterior", cal, "-o", self.path("x.h5"))
        self.assertNotEqual(r.returncode, 0)
        r = tipsim("ensemble", SCENARIO, "--posterior", cal, "--draws", "2", "-n", "3", "-o",
                   self.path("x.h5"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--draws gives the replicates", r.stderr)

    def test_the_default_scenarios_priors_file_is_valid(self):
        out = self.path("default.h5")
        ok("calibrate", os.path.join(SOURCE, "scenarios", "kedougou.yaml"),
           os.path.join(SOURCE, "scenarios", "targets", "kedougou.yaml"),
           os.path.join(SOURCE, "scenarios", "calibration", "kedougou_priors.yaml"), "--out", out,
           "--population", "2", "--max-generations", "1", "-q")
        with h5py.File(out) as f:
            self.assertEqual(len(f["parameters/path"]), 6)

    def test_the_default_scenario_uses_its_shipped_posterior_medians(self):
        """scenarios/kedougou.yaml sets each calibrated parameter to the posterior median of
        scenarios/calibration/kedougou_posterior.h5, to three significant digits."""
        shipped = os.path.join(SOURCE, "scenarios", "calibration", "kedougou_posterior.h5")
        summary = json.loads(ok("summary", shipped, "--json").stdout)
        self.assertTrue(summary["complete"])
        self.assertEqual(len(summary["parameters"]), 6)
        resolved = yaml.safe_load(
            ok("validate", os.path.join(SOURCE, "scenarios", "kedougou.yaml")).stdout)
        for p in summary["parameters"]:
            node = resolved
            for key in p["path"].split("."):
                # A list is entered by its items' names (surveys.baseline_2021...).
                node = (next(x for x in node if x["name"] == key) if isinstance(node, list)
                        else node[key])
            median = p["posterior"]["median"]
            self.assertAlmostEqual(node, median, delta=0.005 * abs(median), msg=p["path"])

    @unittest.skipIf(shutil.which("mpirun") is None, "no mpirun")
    def test_under_mpirun_the_same_posterior_as_on_one_process(self):
        one = self.path("one.h5")
        self.calibrate(one, "--max-generations", "3", "--threads", "1")
        extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
                   ":detect_leaks=0")
        ranks = self.path("ranks.h5")
        r = subprocess.run([shutil.which("mpirun"), *extra, "--oversubscribe", "-n", "3", BIN,
                            "calibrate", SCENARIO, self.targets, self.priors, "--out", ranks,
                            "--population", "12", "--max-generations", "3", "-q"],
                           capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("generations of 12 particles"), 1)  # rank 0 reports
        same_generations(self, one, ranks)

    def test_schema_of_priors_files(self):
        schema = json.loads(ok("schema", "--priors").stdout)
        self.assertIn("parameters", schema["properties"])
        self.assertIn("weights", schema["properties"])



class SensitivityTest(unittest.TestCase):
    """`tipsim sensitivity` end to end on the small scenario with surveys."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def test_morris_ranks_parameters_and_a_parameter_without_effect_scores_zero(self):
        # The observation band changes what is observed, not what happens: with the same
        # keys at every point, its effect on the victims removed is exactly 0.
        design = self.write("d.yaml", """trajectories: 5
parameters:
  - {path: recruitment.base_acceptance, min: 0.02, max: 0.12}
  - {path: exploitation.escape_rate_per_year, min: 0.03, max: 0.3, scale: log}
  - {path: observation.wecs_age_max, min: 28, max: 34}
""")
        out = self.path("sa.h5")
        r = ok("sensitivity", SCENARIO, design, "--out", out, "-n", "2", "-q")
        self.assertIn("morris indices of 2 outputs from 20 points x 2 replicates", r.stdout)
        s = json.loads(ok("summary", out, "--json").stdout)
        self.assertEqual(s["method"], "morris")
        removed = next(o for o in s["outputs"] if o["name"] == "totals.victims_removed")
        by_path = {i["path"]: i for i in removed["indices"]}
        self.assertEqual(by_path["observation.wecs_age_max"]["mu_star"], 0)
        self.assertEqual(by_path["observation.wecs_age_max"]["sigma"], 0)
        self.assertGreater(by_path["recruitment.base_acceptance"]["mu_star"], 0)
        self.assertGreaterEqual(removed["chance_share"], 0)
        self.assertLessEqual(removed["chance_share"], 1)
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["file_kind"], "sensitivity")
            unit, values = f["plan/unit"][:], f["plan/values"][:]
            self.assertEqual(unit.shape, (20, 3))
            np.testing.assert_allclose(values[:, 0], 0.02 + unit[:, 0] * 0.10)
            np.testing.assert_allclose(values[:, 1], 0.03 * (10 ** unit[:, 1]))
        with h5py.File(out + ".runs.h5") as f:
            self.assertEqual(f.attrs["file_kind"], "sweep")
            self.assertEqual(len(f["manifest/run"]), 40)
        table = ok("summary", out).stdout
        self.assertLess(table.index("recruitment.base_acceptance"),
                        table.index("observation.wecs_age_max"))

    def test_sobol_indices_of_a_window_output(self):
        design = self.write("d.yaml", """points: 16
parameters:
  - {path: recruitment.base_acceptance, min: 0.02, max: 0.12}
  - {path: observation.wecs_age_max, min: 28, max: 34}
""")
        out = self.path("sobol.h5")
        ok("sensitivity", SCENARIO, design, "--method", "sobol", "--out", out, "-q",
           "--window", "2021-01-01:2021-12-31",
           "--outputs", "totals.victims_removed@2021-01-01:2021-12-31")
        s = json.loads(ok("summary", out, "--json").stdout)
        self.assertEqual(s["points"], 16 * 4)
        indices = {i["path"]: i for i in s["outputs"][0]["indices"]}
        self.assertEqual(indices["observation.wecs_age_max"]["total"], 0)
        self.assertIsNone(s["outputs"][0]["chance_share"])
        r = tipsim("sensitivity", SCENARIO, design, "--method", "sobol", "--out",
                   self.path("x.h5"), "-q", "--outputs", "totals.no_such")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no indicator 'totals.no_such'", r.stderr)

    def test_schema_of_sensitivity_designs(self):
        schema = json.loads(ok("schema", "--sensitivity").stdout)
        for key in ("parameters", "trajectories", "levels", "points", "seed"):
            self.assertIn(key, schema["properties"])

    @unittest.skipIf(shutil.which("mpirun") is None, "no mpirun")
    def test_under_mpirun_the_same_indices(self):
        design = self.write("d.yaml", """trajectories: 4
parameters:
  - {path: recruitment.base_acceptance, min: 0.02, max: 0.12}
  - {path: exploitation.escape_rate_per_year, min: 0.03, max: 0.3, scale: log}
""")
        one, ranks = self.path("one.h5"), self.path("ranks.h5")
        ok("sensitivity", SCENARIO, design, "--out", one, "-n", "2", "-q")
        extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
                   ":detect_leaks=0")
        r = subprocess.run([shutil.which("mpirun"), *extra, "--oversubscribe", "-n", "3", BIN,
                            "sensitivity", SCENARIO, design, "--out", ranks, "-n", "2", "-q"],
                           capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(one) as a, h5py.File(ranks) as b:
            for key in ("point_means", "mu", "mu_star", "sigma"):
                np.testing.assert_array_equal(a[f"outputs/0/{key}"][:], b[f"outputs/0/{key}"][:])

    def test_design_errors(self):
        design = self.write("bad.yaml", """trajectories: 1
levels: 3
parameters:
  - {path: recruitment.base_acceptanse, min: 0.02, max: 0.12}
""")
        r = tipsim("sensitivity", SCENARIO, design, "--out", self.path("x.h5"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("bad.yaml:1:", r.stderr)
        self.assertIn("bad.yaml:2:", r.stderr)
        self.assertIn("expected an even number of levels", r.stderr)
        self.assertIn("recruitment.base_acceptanse = 0.02 is refused by the scenario", r.stderr)


if __name__ == "__main__":
    unittest.main()
