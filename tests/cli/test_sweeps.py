"""End-to-end tests of sweeps and design files, what-ifs, option errors and the documentation
of ensemble files."""
import json
import os
import shutil
import subprocess
import unittest

import h5py
import numpy as np

from doc_names import documented_names
from experiment_support import (BIN, SMALL, SOURCE, WINDOW, WITH_INTERVENTIONS, ExperimentTest,
                                ok, tipsim)


class SweepTest(ExperimentTest):
    def test_grid_points_run_with_their_values(self):
        design = self.write("d.yaml", """method: grid
parameters:
  - {path: recruitment.approaches_per_day, values: [0, 1]}
  - {path: places.Khossanto.miners, min: 1000, max: 3000, levels: 2, integer: true}
""")
        out = self.path("s.h5")
        ok("sweep", SMALL, design, "-n", "2", "-o", out, "-q")
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["file_kind"], "sweep")
            np.testing.assert_array_equal(f["design/values"][:],
                                          [[0, 1000], [0, 3000], [1, 1000], [1, 3000]])
            self.assertEqual([c.decode() for c in f["cells/name"][:]],
                             ["point_0000", "point_0001", "point_0002", "point_0003"])
            np.testing.assert_array_equal(f["manifest/point"][:], [0, 1, 2, 3] * 2)
        s = json.loads(ok("summary", out, "--json").stdout)
        recruited = [c["indicators"]["totals.recruited"]["mean"] for c in s["cells"]]
        self.assertEqual(recruited[:2], [0, 0])  # no approaches, no recruits
        self.assertGreater(min(recruited[2:]), 0)
        self.assertEqual(s["cells"][1]["parameters"],
                         {"recruitment.approaches_per_day": 0, "places.Khossanto.miners": 3000})

    def test_latin_hypercube_and_sobol(self):
        for method in ("latin_hypercube", "sobol"):
            design = self.write(f"{method}.yaml", f"""method: {method}
points: 5
parameters:
  - {{path: demand.visits_per_miner_per_week, min: 1.0, max: 4.0, scale: log}}
""")
            out = self.path(f"{method}.h5")
            ok("sweep", SMALL, design, "-o", out, "-q")
            with h5py.File(out) as f:
                v = f["design/values"][:, 0]
            self.assertEqual(len(v), 5)
            self.assertTrue(((v > 1.0) & (v < 4.0)).all())

    def test_design_errors_name_the_place_and_what_was_expected(self):
        design = self.write("bad.yaml", """method: latin_hypercube
points: 4
parameters:
  - {path: recruitment.base_acceptanse, min: 0.1, max: 0.2}
  - {path: recruitment.approaches_per_day, min: -1, max: 2}
  - {path: demand.visits_per_miner_per_week, min: 3, max: 2}
  - {path: places.Edo.at_risk_women, min: 1, max: 2, scale: cubic}
  - {path: demand.reference_date, min: 1}
""")
        r = tipsim("sweep", SMALL, design, "-o", self.path("x.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith("error: the design file has 5 problems; nothing was "
                                             "written.\n"), r.stderr)
        lines = [line.split("bad.yaml:", 1)[1] for line in r.stderr.splitlines()[1:]]
        self.assertEqual(lines, [
            "4:46: parameters[0].min: recruitment.base_acceptanse = 0.1 is refused by the "
            "scenario: unknown key 'base_acceptanse'; did you mean 'base_acceptance'?",
            "5:49: parameters[1].min: recruitment.approaches_per_day = -1 is refused by the "
            "scenario: expected a number in [0, 1e+15], got -1",
            "6:59: parameters[2].max: max must be greater than min",
            "7:61: parameters[3].scale: expected one of: linear, log, got 'cubic'",
            "8:5: parameters[4].max: missing required key"])
        self.assertFalse(os.path.exists(self.path("x.h5")))

    def test_design_json_schema_accepts_designs_and_refuses_unknown_keys(self):
        import jsonschema
        import yaml
        schema = json.loads(ok("schema", "--design").stdout)
        good = yaml.safe_load("""method: latin_hypercube
points: 64
parameters:
  - {path: recruitment.base_acceptance, min: 0.03, max: 0.08}
  - {path: demand.visits_per_miner_per_week, min: 1.0, max: 3.0, scale: log}
""")
        jsonschema.validate(good, schema)
        bad = dict(good, methd="grid")
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(dict(good, method="random"), schema)

    def test_a_design_without_points_or_with_fractions_of_a_whole_number(self):
        empty = self.write("empty.yaml", """method: points
parameters:
  - {path: demand.visits_per_miner_per_week, values: []}
""")
        r = tipsim("sweep", SMALL, empty, "-o", self.path("x.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("parameters: the design has no point", r.stderr)
        whole = self.write("whole.yaml", """method: latin_hypercube
points: 3
parameters:
  - {path: places.Khossanto.houses, min: 2, max: 10}
""")
        r = tipsim("sweep", SMALL, whole, "-o", self.path("x.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("whole.yaml:4:12: parameters[0].path: places.Khossanto.houses = 5.016 "
                      "(inside the range) is refused by the scenario: expected an integer",
                      r.stderr)
        self.assertIn("add integer: true", r.stderr)
        self.assertFalse(os.path.exists(self.path("x.h5")))

    def test_integer_rounds_listed_grid_values_too(self):
        design = self.write("r.yaml", """method: grid
parameters:
  - {path: places.Bantaco.houses, values: [3, 4.4, 5.6], integer: true}
""")
        ok("sweep", SMALL, design, "-o", self.path("r.h5"), "-q")
        with h5py.File(self.path("r.h5")) as f:
            np.testing.assert_array_equal(f["design/values"][:, 0], [3, 4, 6])

    def test_points_of_a_sweep_differ_from_the_first_day(self):
        design = self.write("g.yaml", """method: grid
parameters:
  - {path: demand.visits_per_miner_per_week, values: [2, 3]}
""")
        ok("sweep", SMALL, design, "-n", "2", "-o", self.path("g.h5"), "-q")
        c = json.loads(ok("compare", self.path("g.h5"), "--json").stdout)["comparisons"][0]
        self.assertEqual(c["first_scenario_difference"], "2020-01-01")
        self.assertTrue(c["paired"])

    def test_points_need_columns_of_one_length(self):
        design = self.write("p.yaml", """method: points
parameters:
  - {path: demand.visits_per_miner_per_week, values: [1, 2, 3]}
  - {path: recruitment.approaches_per_day, values: [1, 2]}
""")
        r = tipsim("sweep", SMALL, design, "-o", self.path("x.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("p.yaml:4:52: parameters[1].values: expected 3 values, as many as the "
                      "first parameter has, got 2", r.stderr)


class EnsembleOptionTest(ExperimentTest):
    def test_set_applies_to_every_scenario_and_series_selects_the_series(self):
        out = self.path("o.h5")
        ok("ensemble", SMALL, WITH_INTERVENTIONS, "-n", "2", "-q", "-o", out,
           "--set", "recruitment.approaches_per_day=0", "--series", "recruited,spend_fcfa")
        with h5py.File(out) as f:
            self.assertEqual(list(f["series_names"].asstr()[:]), ["recruited", "spend_fcfa"])
            self.assertEqual(sorted(f["series/small"].keys()),
                             ["date", "quantiles", "recruited", "spend_fcfa"])
            names = list(f["indicators/name"].asstr()[:])
            recruited = f["indicators/value"][:, names.index("totals.recruited")]
            self.assertTrue((recruited == 0).all())  # no approaches in either scenario
            texts = f["provenance/scenario_text"].asstr()[:]
        self.assertTrue(all("approaches_per_day: 0" in t for t in texts))


class OptionErrorTest(ExperimentTest):
    def test_bad_options(self):
        for args, code, text in (
                (("ensemble", SMALL, "-o", "x.h5", "--window", "2021-01-01"), 2,
                 "--window: expected FROM:TO"),
                (("ensemble", SMALL, "-o", "x.h5", "--window", "2019-01-01:2019-12-31"), 2,
                 "lies outside the horizon of scenario small (2020-01-01 to 2021-12-31)"),
                (("ensemble", SMALL, "-o", "x.h5", "--series", "nope"), 2,
                 "--series: unknown series 'nope'"),
                (("ensemble", SMALL, SMALL, "-o", "x.h5"), 2, "two scenarios are named 'small'"),
                (("ensemble", SMALL, "-o", "x.h5", "--replicates", "5000"), 2,
                 "--replicates: expected 1 to 4096"),
                (("ensemble", SMALL, "-o", "x.h5", "--runs", "9:12"), 2,
                 "the experiment has runs 0 to 0"),
                (("ensemble", SMALL, "-o", SMALL), 2, "is an input file"),
                (("ensemble", SMALL, "-o", "/nonexistent/x.h5"), 3, ""),
                (("ensemble", SMALL, "-o", "x.h5", "--on-error", "maybe"), 1, ""),
                (("ensemble", SMALL, "-o", "x.h5", "--seed", "-1"), 1,
                 "--seed: expected a whole number from 0 to 9e15, got '-1'"),
        ):
            with self.subTest(args=args):
                r = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=self.dir)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertIn(text, r.stderr)
                self.assertFalse(os.path.exists(self.path("x.h5")))


class ProgressTest(ExperimentTest):
    @unittest.skipUnless(shutil.which("script"), "script (util-linux) not installed")
    def test_progress_on_a_terminal_only_and_not_with_quiet(self):
        def on_terminal(*args):
            command = " ".join([BIN, "ensemble", SMALL, "-n", "3", "--threads", "1", *args])
            r = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                               text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            return r.stdout.replace("\r", "\n")
        shown = on_terminal("-o", self.path("a.h5"))
        self.assertIn("0 of 3 runs  0 failed", shown)
        self.assertIn("3 of 3 runs  0 failed", shown)
        self.assertIn("s elapsed", shown)
        self.assertIn("s left", shown)
        quiet = on_terminal("-o", self.path("b.h5"), "-q")
        self.assertNotIn("of 3 runs", quiet)
        self.assertIn("3 runs (1 scenario x 3 replicates)", quiet)
        # Not a terminal: no progress either.
        r = ok("ensemble", SMALL, "-n", "3", "-o", self.path("c.h5"))
        self.assertEqual(r.stderr, "")


class WhatIfTest(ExperimentTest):
    """What-ifs that say what users mean."""

    def test_set_addresses_list_items_by_name_and_routes_by_their_ends(self):
        by_name = ok("validate", SMALL, "--set", "places.Bantaco.miners=4000",
                     "--set", "routes.Bamako-Moussala.bribe_fcfa=0").stdout
        by_index = ok("validate", SMALL, "--set", "places.5.miners=4000",
                      "--set", "routes.2.bribe_fcfa=0").stdout
        self.assertEqual(by_name, by_index)
        self.assertIn("miners: 4000", by_name)
        r = tipsim("validate", SMALL, "--set", "places.Atlantis.miners=1")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'places' has no item named 'Atlantis' (it has Edo, Kayes, Bamako, "
                      "Moussala, Khossanto, Bantaco)", r.stderr)

    def test_an_intervention_switched_off_is_the_run_without_it_and_costs_nothing(self):
        off = self.write("off.yaml", f"""extends: {WITH_INTERVENTIONS}
interventions+:
  - {{name: raids, enabled: false}}
""")
        without = self.write("without.yaml", f"""extends: {SMALL}
name: small_interventions
interventions:
  - {{name: committees, type: vigilance_committees, start: 2021-01-01, committees: 4,
     ramp_days: 90, cost: {{per_unit_fcfa: 1000000}}}}
  - {{name: shelter, type: shelter_care, start: 2021-01-01, beds: 10,
     cost: {{per_unit_fcfa: 10000}}}}
""")
        ok("run", off, "-o", self.path("off.h5"), "-q")
        ok("run", without, "-o", self.path("without.h5"), "-q")
        self.assertSameDatasets(self.path("off.h5"), self.path("without.h5"))
        s = json.loads(ok("summary", self.path("off.h5"), "--json").stdout)
        self.assertEqual([i["name"] for i in s["interventions"]], ["committees", "shelter"])

    def test_routes_merge_by_their_ends_and_duplicates_are_refused(self):
        merged = self.write("merged.yaml", f"""extends: {SMALL}
routes+:
  - {{from: Bamako, to: Moussala, screening_probability: 0.2}}
""")
        text = ok("validate", merged).stdout
        self.assertEqual(text.count("from: Bamako"), 1)
        self.assertIn("screening_probability: 0.2", text)
        self.assertIn("cost_fcfa: 20000", text)  # the base's fare kept
        duplicate = self.write("duplicate.yaml", f"""extends: {SMALL}
routes+:
  - {{from: Moussala, to: Bamako, days_mean: 2}}
""")
        r = tipsim("validate", duplicate)
        self.assertEqual(r.returncode, 2)
        self.assertIn("routes[5].to: routes[2] already joins Bamako and Moussala; declare each "
                      "route once (an extending file changes that one with routes+: [{from: "
                      "Bamako, to: Moussala, ...}])", r.stderr)

    def test_a_horizon_that_differs_is_not_called_paired_when_the_runs_part_early(self):
        longer = self.write("longer.yaml", f"""extends: {WITH_INTERVENTIONS}
name: longer
simulation: {{end: 2022-06-30}}
""")
        ok("run", WITH_INTERVENTIONS, "-o", self.path("a.h5"), "-q")
        ok("run", longer, "-o", self.path("b.h5"), "-q")
        c = json.loads(ok("compare", self.path("a.h5"), self.path("b.h5"), "--json").stdout)
        self.assertTrue(c["same_key"])
        self.assertEqual(c["first_scenario_difference"], "2022-01-01")
        self.assertLess(c["first_divergence"], "2022-01-01")
        self.assertFalse(c["paired"])
        table = ok("compare", self.path("a.h5"), self.path("b.h5")).stdout
        self.assertIn("paired   no: same seed and replicate, but the runs part on", table)

    def test_command_line_conveniences(self):
        r = tipsim("rnu", SMALL)
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: unknown command 'rnu'; did you mean 'run'?", r.stderr)
        r = tipsim("--version")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("tipsim "), r.stdout)
        ok("run", SMALL, "-o", self.path("r.h5"), "-q")
        r = tipsim("fit", self.path("r.h5"), self.path("no_targets.yaml"))
        self.assertEqual(r.returncode, 3)
        self.assertIn("no_targets.yaml: targets file not found", r.stderr)
        r = tipsim("summary", self.path("r.h5"), "--json")
        self.assertEqual(r.returncode, 0)
        with open("/dev/full", "w") as full:
            r = subprocess.run([BIN, "summary", self.path("r.h5")], stdout=full,
                               stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 3)
        self.assertIn("cannot write the output", r.stderr)


class DocsTest(ExperimentTest):
    def test_every_object_of_ensemble_and_sweep_files_is_documented(self):
        documented = documented_names(os.path.join(SOURCE, "docs", "OUTPUT.md"))
        design = self.path("d.yaml")
        with open(design, "w") as f:
            f.write("method: grid\nparameters:\n"
                    "  - {path: recruitment.approaches_per_day, values: [0.5, 1]}\n")
        ok("ensemble", SMALL, "-o", self.path("e.h5"), "--runs", "0:1", "-n", "2",
           "--window", WINDOW)
        ok("sweep", SMALL, design, "-o", self.path("s.h5"))
        missing = []
        for out in (self.path("e.h5"), self.path("s.h5")):
            with h5py.File(out, "r") as f:
                cells = set(f["cells/name"].asstr()[:])
                series = set(f["series_names"].asstr()[:])
                names = []
                f.visit(names.append)
                for path in names:
                    leaf = path.rsplit("/", 1)[-1]
                    parts = path.split("/")
                    if leaf in cells or (parts[0] == "series" and leaf in series):
                        continue  # named by a cell or a series: documented as <cell>, <series>
                    if leaf not in documented:
                        missing.append(f"{out}:{path}")
                    missing += [f"{path}@{a}" for a in f[path].attrs if a not in documented]
                missing += [f"/@{a}" for a in f.attrs if a not in documented]
        self.assertEqual(missing, [], "undocumented in docs/OUTPUT.md")


if __name__ == "__main__":
    unittest.main()
