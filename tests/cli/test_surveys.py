"""End-to-end tests of the survey blocks of `tipsim summary` and of `tipsim fit`, checked
against the run file read with h5py."""
import json
import math
import os
import re
import subprocess
import tempfile
import unittest

import h5py
import numpy as np
import yaml

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
# small.yaml with one rds, one random and one venue survey in 2021.
SURVEYS = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")
DEFAULT = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
DEFAULT_TARGETS = os.path.join(SOURCE, "scenarios", "targets", "kedougou.yaml")

ESTIMATORS = ["sample", "rds_i", "rds_ii", "ss"]
SURVEY_KEYS = ["name", "design", "start", "end", "n", "n_by_department", "population_size",
               "estimates", "truth", "by_department", "among_classified_trafficked"]
FIT_KEYS = ["name", "quantity", "survey", "department", "estimator", "country", "date",
            "target", "simulated", "n_effective", "simulated_n_effective", "term", "source"]


def tipsim(*args, timeout=600):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def strings(dataset):
    return [s.decode() if isinstance(s, bytes) else s for s in dataset[()]]


def share(part, whole):
    return part / whole if whole else None


def defined(value):
    return None if math.isnan(value) else float(value)


def file_estimates(group):
    """{department or "": {estimator: (value, low, high, design effect)}} of one survey."""
    e = group["estimates"]
    found = {}
    for est, dept, value, low, high, deff in zip(
            strings(e["estimator"]), strings(e["department"]), e["value"][()],
            e["ci_low"][()], e["ci_high"][()], e["design_effect"][()]):
        found.setdefault(dept, {})[est] = tuple(defined(v) for v in (value, low, high, deff))
    return found


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


class SurveySummaryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "surveys.h5")
        r = tipsim("run", SURVEYS, "--out", cls.out, "-q")
        assert r.returncode == 0, r.stderr
        r = tipsim("summary", cls.out, "--json")
        assert r.returncode == 0, r.stderr
        cls.summary = json.loads(r.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_one_entry_per_survey_in_declaration_order_with_the_documented_keys(self):
        surveys = self.summary["surveys"]
        self.assertEqual([s["name"] for s in surveys], ["rds_2021", "random_2021", "venue_2021"])
        self.assertEqual([s["design"] for s in surveys], ["rds", "random", "venue"])
        for s in surveys:
            self.assertEqual(list(s), SURVEY_KEYS)
            self.assertEqual(list(s["estimates"]), ESTIMATORS)
            self.assertEqual(list(s["among_classified_trafficked"]),
                             ["count", "nationality", "age_band", "false_job_offer",
                              "debt_bondage"])
            self.assertEqual(list(s["among_classified_trafficked"]["nationality"]),
                             ["NG", "SN", "ML", "other"])
            self.assertEqual(list(s["among_classified_trafficked"]["age_band"]),
                             ["18-24", "25-30"])
            for scope in s["by_department"].values():
                self.assertEqual(list(scope), ESTIMATORS + ["truth"])
        self.assertEqual(surveys[0]["start"], "2021-03-01")
        self.assertEqual(surveys[0]["end"], "2021-05-31")

    def test_sizes_estimates_and_truth_are_the_files(self):
        with h5py.File(self.out, "r") as f:
            departments = strings(f["departments"])
            for s in self.summary["surveys"]:
                with self.subTest(survey=s["name"]):
                    g = f["surveys"][s["name"]]
                    dept = g["respondents/department"][()]
                    self.assertEqual(s["n"], len(dept))
                    self.assertEqual(s["n_by_department"],
                                     {d: int((dept == i).sum()) for i, d in enumerate(departments)})
                    self.assertEqual(s["population_size"], g.attrs["population_size"])
                    self.assertAlmostEqual(s["truth"], g.attrs["truth"], places=12)
                    truth = g["truth_by_department"][()]
                    rows = file_estimates(g)
                    used = ESTIMATORS if s["design"] == "rds" else ["sample"]
                    for scope, key, expected_truth in (
                            [(s["estimates"], "", g.attrs["truth"])] +
                            [(s["by_department"][d], d, truth[i])
                             for i, d in enumerate(departments)]):
                        self.assertEqual(scope.get("truth", s["truth"]), defined(expected_truth))
                        for est in ESTIMATORS:
                            if est not in used:
                                self.assertIsNone(scope[est], est)
                                continue
                            value, low, high, deff = rows[key][est]
                            self.assertEqual(scope[est]["value"], value)
                            self.assertEqual(scope[est]["ci"], [low, high])
                            self.assertEqual(scope[est]["design_effect"], deff)

    def test_profile_of_those_classified_trafficked_is_the_respondents(self):
        with h5py.File(self.out, "r") as f:
            countries = strings(f["countries"])
            indicators = strings(f["surveys/indicator_names"])
            for s in self.summary["surveys"]:
                with self.subTest(survey=s["name"]):
                    r = f["surveys"][s["name"]]["respondents"]
                    classified = r["classified_trafficked"][()] == 1
                    count = int(classified.sum())
                    self.assertGreater(count, 0)
                    nationality = [countries[i] for i in r["nationality"][()][classified]]
                    years = np.floor(r["age_years"][()][classified])
                    reported = r["reported_indicators"][()][classified]
                    profile = s["among_classified_trafficked"]
                    for key in ("NG", "SN", "ML"):
                        self.assertAlmostEqual(profile["nationality"][key],
                                               share(nationality.count(key), count))
                    self.assertAlmostEqual(
                        profile["nationality"]["other"],
                        share(sum(c not in ("NG", "SN", "ML") for c in nationality), count))
                    self.assertAlmostEqual(profile["age_band"]["18-24"],
                                           share(int(((years >= 18) & (years <= 24)).sum()), count))
                    self.assertAlmostEqual(profile["age_band"]["25-30"],
                                           share(int(((years >= 25) & (years <= 30)).sum()), count))
                    column = indicators.index("deceptive_recruitment")
                    self.assertAlmostEqual(profile["false_job_offer"],
                                           share(int(reported[:, column].sum()), count))
                    column = indicators.index("debt_bondage")
                    self.assertAlmostEqual(profile["debt_bondage"],
                                           share(int(reported[:, column].sum()), count))

    def test_date_window_does_not_apply_to_surveys(self):
        r = tipsim("summary", self.out, "--json", "--from", "2020-01-01", "--to", "2020-01-31")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["surveys"], self.summary["surveys"])

    def test_table_has_a_block_per_survey(self):
        r = tipsim("summary", self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        for s in self.summary["surveys"]:
            self.assertRegex(r.stdout, rf"\nSurvey {s['name']}   {s['design']}   fieldwork "
                                       rf"{s['start']} \.\. {s['end']}   "
                                       rf"{s['population_size']} women eligible\n")
        self.assertIn("  department             n   truth  sample              rds_i"
                      "               rds_ii              ss\n", r.stdout)

    def test_fit_of_each_design(self):
        targets = write(self.tmp.name, "small_targets.yaml", """targets:
  - {name: rds, survey: rds_2021, quantity: prevalence, estimator: ss, value: 0.2, n: 120}
  - {name: random_kedougou, survey: random_2021, quantity: prevalence, estimator: sample,
     department: Kedougou, value: 0.25}
  - {name: venue_ng, survey: venue_2021, quantity: nationality_share, country: NG,
     value: 0.7}
  - {name: venue_n, survey: venue_2021, quantity: sample_size, value: 60}
""")
        r = tipsim("fit", self.out, targets, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        fit = json.loads(r.stdout)
        rds, random_kedougou, venue_ng, venue_n = fit["targets"]
        surveys = {s["name"]: s for s in self.summary["surveys"]}
        ss = surveys["rds_2021"]["estimates"]["ss"]
        self.assertEqual(rds["simulated"], ss["value"])
        self.assertAlmostEqual(rds["n_effective"], 120 / ss["design_effect"])
        kedougou = surveys["random_2021"]["by_department"]["Kedougou"]["sample"]
        self.assertEqual(random_kedougou["simulated"], kedougou["value"])
        # Without n, the simulated survey's respondents in the scope.
        self.assertAlmostEqual(random_kedougou["n_effective"],
                               surveys["random_2021"]["n_by_department"]["Kedougou"] /
                               kedougou["design_effect"])
        profile = surveys["venue_2021"]["among_classified_trafficked"]
        self.assertEqual(venue_ng["simulated"], profile["nationality"]["NG"])
        self.assertEqual(venue_n["simulated"], 60)
        self.assertEqual(venue_n["term"], 0)

    def test_fit_refuses_an_estimator_the_design_did_not_use(self):
        targets = write(self.tmp.name, "wrong_estimator.yaml", """targets:
  - {name: random_rds, survey: random_2021, quantity: prevalence, estimator: rds_ii,
     value: 0.2}
""")
        r = tipsim("fit", self.out, targets)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("wrong_estimator.yaml:2:", r.stderr)
        self.assertIn("targets[0].estimator: target 'random_rds': survey 'random_2021' "
                      "(random design) has no rds_ii estimate", r.stderr)
        self.assertEqual(r.stdout, "")


def deviance(t, n, s, m):
    """The beta-binomial deviance of docs/CALIBRATION.md, written out with math.lgamma."""
    if s is None:
        s, m = 0.5, 0.0
    a, b, k = s * m + 0.5, (1 - s) * m + 0.5, t * n
    log_beta = lambda x, y: math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)
    part = lambda x, p: 0.0 if x == 0 else x * math.log(p)
    return 2 * (part(k, t) + part(n - k, 1 - t) - log_beta(k + a, n - k + b) + log_beta(a, b))


class FitDefaultScenarioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "kedougou.h5")
        r = tipsim("run", DEFAULT, "--out", cls.out, "-q")
        assert r.returncode == 0, r.stderr
        with open(DEFAULT_TARGETS) as f:
            cls.declared = yaml.safe_load(f)["targets"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_target_with_its_term_and_the_total(self):
        r = tipsim("fit", self.out, DEFAULT_TARGETS, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        fit = json.loads(r.stdout)
        self.assertEqual(list(fit), ["file", "targets_file", "targets", "total"])
        self.assertEqual(fit["file"], self.out)
        self.assertEqual(fit["targets_file"], DEFAULT_TARGETS)
        self.assertEqual([t["name"] for t in fit["targets"]], [t["name"] for t in self.declared])
        self.assertAlmostEqual(fit["total"], sum(t["term"] for t in fit["targets"]), places=9)
        summary = json.loads(tipsim("summary", self.out, "--json").stdout)
        surveys = {s["name"]: s for s in summary["surveys"]}
        for t, declared in zip(fit["targets"], self.declared):
            with self.subTest(target=t["name"]):
                self.assertEqual(list(t), FIT_KEYS)
                self.assertEqual(t["quantity"], declared["quantity"])
                self.assertEqual(t["target"], declared["value"])
                self.assertEqual(t["source"], declared["source"])
                self.assertGreaterEqual(t["term"], 0)
                q = t["quantity"]
                if q in ("wecs_18_30", "trafficked_18_30"):
                    obs = next(o for o in summary["observations"] if o["date"] == t["date"])
                    self.assertEqual(t["simulated"], obs[q])
                    self.assertIsNone(t["n_effective"])
                    sd = declared.get("relative_sd", 0.1) * t["target"]
                    self.assertAlmostEqual(t["term"], ((t["simulated"] - t["target"]) / sd) ** 2)
                    continue
                survey = surveys[t["survey"]]
                if q == "sample_size":
                    n = (survey["n_by_department"][t["department"]] if t["department"]
                         else survey["n"])
                    self.assertEqual(t["simulated"], n)
                    sd = declared.get("relative_sd", 0.1) * t["target"]
                    self.assertAlmostEqual(t["term"], ((n - t["target"]) / sd) ** 2)
                    continue
                if q == "prevalence":
                    scope = (survey["by_department"][t["department"]] if t["department"]
                             else survey["estimates"])
                    estimate = scope[t["estimator"]]
                    self.assertEqual(t["simulated"], estimate["value"])
                    self.assertAlmostEqual(t["n_effective"],
                                           declared["n"] / estimate["design_effect"])
                    respondents = (survey["n_by_department"][t["department"]] if t["department"]
                                   else survey["n"])
                    self.assertAlmostEqual(t["simulated_n_effective"],
                                           respondents / estimate["design_effect"])
                else:
                    profile = survey["among_classified_trafficked"]
                    self.assertEqual(t["simulated"], profile["nationality"][t["country"]])
                    design_effect = survey["estimates"]["sample"]["design_effect"]
                    classified = profile["count"]
                    self.assertEqual(classified,
                                     round(survey["n"] * survey["estimates"]["sample"]["value"]))
                    self.assertAlmostEqual(t["simulated_n_effective"], classified / design_effect)
                    self.assertAlmostEqual(t["n_effective"],
                                           declared.get("n", classified) / design_effect)
                self.assertAlmostEqual(t["term"], deviance(t["target"], t["n_effective"],
                                                           t["simulated"],
                                                           t["simulated_n_effective"]))

    def test_table_lists_every_target_and_the_total(self):
        r = tipsim("fit", self.out, DEFAULT_TARGETS)
        self.assertEqual(r.returncode, 0, r.stderr)
        for t in self.declared:
            self.assertRegex(r.stdout, rf"\n  {t['name']} +{t['quantity']} ")
        self.assertRegex(r.stdout, r"\n  total +[0-9]+\.[0-9]{3}\n$")

    def test_bad_targets_file_exits_2_with_file_line_and_column(self):
        bad = write(self.tmp.name, "bad.yaml", """targets:
  - {name: prevalence, survey: baseline_2021, quantity: prevalence, estimator: rds_ii,
     value: 1.9, n: 561}
  - {name: women, quantity: wecs_18_30, date: 2021-11-15, value: 1500, relativ_sd: 0.2}
  - {name: later, survey: baseline_2031, quantity: sample_size, value: 561}
""")
        r = tipsim("fit", self.out, bad)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("bad.yaml:3:13: targets[0].value: expected a number in [0, 1], got 1.9",
                      r.stderr)
        self.assertRegex(r.stderr, r"bad\.yaml:4:\d+: targets\[1\]\.relativ_sd: unknown key "
                                   r"'relativ_sd'; did you mean 'relative_sd'\?")
        # What the run cannot answer is checked once the file itself is right.
        fixed = write(self.tmp.name, "unknown_survey.yaml", """targets:
  - {name: later, survey: baseline_2031, quantity: sample_size, value: 561}
  - {name: missing_day, quantity: wecs_18_30, date: 2021-11-16, value: 1500}
""")
        r = tipsim("fit", self.out, fixed, "--json")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("error: 2 problems with the targets of", r.stderr)
        self.assertRegex(r.stderr, r"unknown_survey\.yaml:2:\d+: targets\[0\]\.survey: target "
                                   r"'later': the run has no survey 'baseline_2031' \(its "
                                   r"surveys: baseline_2021, endline_2024\)")
        self.assertRegex(r.stderr, r"unknown_survey\.yaml:3:\d+: targets\[1\]\.date: target "
                                   r"'missing_day': the run has no observation on 2021-11-16")

    def test_file_errors_and_usage(self):
        r = tipsim("fit", os.path.join(self.tmp.name, "missing.h5"), DEFAULT_TARGETS)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("missing.h5: no such file", r.stderr)
        r = tipsim("fit", self.out, os.path.join(self.tmp.name, "missing.yaml"))
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("missing.yaml: targets file not found", r.stderr)
        r = tipsim("fit", self.out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("targets is required", r.stderr)


class FitEnsembleTest(unittest.TestCase):
    """`tipsim fit` of an ensemble: each run fitted as `tipsim fit` fits its own file, and
    the runs' likelihoods averaged."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "ens.h5")
        cls.runs = os.path.join(cls.tmp.name, "runs")
        os.mkdir(cls.runs)
        r = tipsim("ensemble", DEFAULT, "--replicates", "3", "--out", cls.out, "--keep-runs",
                   cls.runs, "-q")
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_runs_fits_averaged_as_likelihoods(self):
        r = tipsim("fit", self.out, DEFAULT_TARGETS, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        fit = json.loads(r.stdout)
        self.assertEqual(list(fit), ["file", "targets_file", "cells"])
        self.assertEqual(len(fit["cells"]), 1)
        cell = fit["cells"][0]
        self.assertEqual(cell["runs"], 3)
        singles = []
        for name in sorted(os.listdir(self.runs)):
            one = tipsim("fit", os.path.join(self.runs, name), DEFAULT_TARGETS, "--json")
            self.assertEqual(one.returncode, 0, one.stderr)
            singles.append(json.loads(one.stdout))
        self.assertEqual(len(singles), 3)

        def averaged(terms):
            return -2 * math.log(sum(math.exp(-t / 2) for t in terms) / len(terms))

        totals = [s["total"] for s in singles]
        self.assertAlmostEqual(cell["total"], averaged(totals), places=9)
        self.assertAlmostEqual(cell["mean_total"], sum(totals) / 3, places=9)
        # The average of likelihoods is at least the likelihood of the average deviance.
        self.assertLessEqual(cell["total"], cell["mean_total"] + 1e-12)
        for k, t in enumerate(cell["targets"]):
            with self.subTest(target=t["name"]):
                terms = [s["targets"][k]["term"] for s in singles]
                simulated = sorted(s["targets"][k]["simulated"] for s in singles)
                self.assertAlmostEqual(t["term"], averaged(terms), places=9)
                self.assertAlmostEqual(t["mean_term"], sum(terms) / 3, places=9)
                self.assertAlmostEqual(t["simulated_median"], simulated[1], places=12)
                self.assertAlmostEqual(t["simulated_low"],
                                       float(np.quantile(simulated, 0.05)), places=12)
                below = sum(1.0 if x < t["target"] else 0.5 if x == t["target"] else 0.0
                            for x in simulated)
                self.assertAlmostEqual(t["observed_quantile"], below / 3, places=12)

    def test_table_has_a_line_per_target_and_the_total(self):
        r = tipsim("fit", self.out, DEFAULT_TARGETS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("kedougou: 3 runs\n", r.stdout)
        self.assertRegex(r.stdout, r"total \(the runs' likelihood averaged\) +[0-9]+\.[0-9]{3}\n$")


if __name__ == "__main__":
    unittest.main()
