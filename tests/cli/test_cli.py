"""End-to-end tests of the tipsim command line, reading its output with h5py."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

from doc_names import documented_names

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SMALL = os.path.join(SOURCE, "tests", "cli", "data", "small.yaml")
# small.yaml with interventions from 2021-01-01, same seed.
WITH_INTERVENTIONS = os.path.join(SOURCE, "tests", "cli", "data", "interventions.yaml")


def tipsim(*args, cwd=None, timeout=600):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def day_number(iso):
    """Days since 1970-01-01, as the file stores dates."""
    return int((np.datetime64(iso) - np.datetime64("1970-01-01")).astype(int))


def iso_date(days):
    return str(np.datetime64("1970-01-01") + np.timedelta64(int(days), "D"))


def datasets(path):
    """Every dataset outside /provenance, by name, as numpy arrays."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("provenance"):
                found[name] = obj[()]
        f.visititems(visit)
        attrs = dict(f.attrs)
    return found, attrs


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "small.h5")
        # Without --quiet: stderr is a pipe here, not a terminal, so no progress bar either.
        cls.result = tipsim("run", SMALL, "--out", cls.out, "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_run_succeeds_with_one_line_on_stdout(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(self.result.stdout.count("\n"), 1, self.result.stdout)
        self.assertRegex(self.result.stdout,
                         r"^.*small\.h5: 731 steps from 2020-01-01 to 2021-12-31 in [0-9.]+ s "
                         r"\(seed 7, 2 threads\)\n$")

    def test_no_progress_bar_off_a_terminal(self):
        self.assertEqual(self.result.stderr, "")

    def test_h5py_reads_the_schema(self):
        with h5py.File(self.out, "r") as f:
            self.assertEqual(f.attrs["schema_version"], 4)
            self.assertEqual(f.attrs["seed"], 7)
            steps = f["timeseries/date"].shape[0]
            self.assertEqual(steps, 731)  # 2020-01-01 .. 2021-12-31 inclusive
            for name in ("wecs", "trafficked_at_sites", "recruited", "exit_identified",
                         "debt_outstanding_fcfa", "shelter_occupancy", "arrests"):
                self.assertEqual(f["timeseries/" + name].shape, (steps,), name)
            sites = f["places/site_place"].shape[0]
            self.assertEqual(f["timeseries/by_site/trafficked"].shape, (steps, sites))
            self.assertEqual(f["timeseries/recruited"].attrs["unit"], "persons")
            ledger = f["events/ledger"]
            self.assertEqual(set(ledger.dtype.names),
                             {"day", "type", "person", "place", "other", "value_fcfa"})
            self.assertGreater(ledger.shape[0], 0)
            self.assertIn("recruited", [n.decode() if isinstance(n, bytes) else n
                                        for n in f["events/type_names"][()]])
            self.assertEqual(f["observations/date"].shape, (1,))
            self.assertIn("2021-06-01", f["snapshots"])
            text = f["provenance/scenario_text"][0]
            text = text.decode() if isinstance(text, bytes) else text
            self.assertIn("name: small", text)

    def test_flows_match_the_event_ledger(self):
        with h5py.File(self.out, "r") as f:
            names = [n.decode() if isinstance(n, bytes) else n for n in f["events/type_names"][()]]
            types = f["events/ledger"]["type"]
            for event, series in (("recruited", "recruited"), ("arrived", "arrived_at_sites"),
                                  ("identified", "exit_identified"), ("arrested", "arrests")):
                self.assertEqual(int((types == names.index(event)).sum()),
                                 int(f["timeseries/" + series][()].sum()), event)

    def test_summary_json_has_the_documented_keys(self):
        r = tipsim("summary", self.out, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        obs = s["observations"][0]
        self.assertEqual(obs["date"], "2021-06-01")
        for key in ("wecs_18_30", "trafficked_share_true", "by_department",
                    "victim_nationality_share", "victim_age_share"):
            self.assertIn(key, obs)
        self.assertEqual(set(obs["by_department"]), {"Saraya", "Kedougou"})
        self.assertEqual(set(obs["victim_age_share"]), {"<18", "18-24", "25-30", ">30"})
        for key in ("recruited", "arrived_at_sites", "exits", "arrests", "convictions",
                    "became_madam", "victim_days_exploited", "victims_removed", "spend_fcfa",
                    "rescued_identified", "sheltered", "repatriated_or_reintegrated",
                    "re_trafficked"):
            self.assertIn(key, s["totals"])
        self.assertIn("escaped_assisted", s["totals"]["exits"])
        self.assertEqual(s["interventions"], [])
        self.assertEqual(s["totals"]["spend_fcfa"], 0)
        with h5py.File(self.out, "r") as f:
            total = lambda name: int(f["timeseries/" + name][()].sum())
            self.assertEqual(s["totals"]["recruited"], total("recruited"))
            self.assertEqual(s["totals"]["re_trafficked"], total("re_trafficked"))
            self.assertEqual(s["totals"]["victims_removed"],
                             total("exit_identified") + total("exit_intercepted_in_transit")
                             + total("exit_escaped_assisted"))
            self.assertEqual(s["totals"]["rescued_identified"],
                             total("exit_identified") + total("exit_intercepted_in_transit"))
            self.assertEqual(s["totals"]["repatriated_or_reintegrated"],
                             total("repatriated") + total("reintegrated"))

    def test_summary_window(self):
        r = tipsim("summary", self.out, "--json", "--from", "2021-01-01", "--to", "2021-12-31")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(self.out, "r") as f:
            dates = f["timeseries/date"][()]
            first = (np.datetime64("2021-01-01") - np.datetime64("1970-01-01")).astype(int)
            expected = int(f["timeseries/recruited"][()][dates >= first].sum())
        self.assertEqual(json.loads(r.stdout)["totals"]["recruited"], expected)


def differences(node, path=""):
    """Every (path, difference) of a compare --json document."""
    found = []
    if isinstance(node, dict):
        if "difference" in node:
            found.append((path, node["difference"]))
        for key, value in node.items():
            if key != "difference":
                found += differences(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += differences(value, f"{path}/{i}")
    return found


def first_divergence(base, other):
    """The first step date both files recorded on which a /timeseries dataset differs."""
    with h5py.File(base, "r") as a, h5py.File(other, "r") as b:
        da, db = a["timeseries/date"][()], b["timeseries/date"][()]
        common = sorted(set(da.tolist()) & set(db.tolist()))
        ra = {d: i for i, d in enumerate(da.tolist())}
        rb = {d: i for i, d in enumerate(db.tolist())}
        names = []
        a["timeseries"].visititems(
            lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        first = None
        for name in names:
            if name == "date":
                continue
            x, y = a["timeseries/" + name][()], b["timeseries/" + name][()]
            for d in common:
                if first is not None and d >= first:
                    break
                if not np.array_equal(x[ra[d]], y[rb[d]]):
                    first = d
                    break
        return None if first is None else iso_date(first)


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.files = {}
        for name, args in (("base", (SMALL,)), ("again", (SMALL,)),
                           ("seed8", (SMALL, "--seed", "8")), ("programme", (WITH_INTERVENTIONS,))):
            out = os.path.join(cls.tmp.name, name + ".h5")
            r = tipsim("run", *args, "--out", out, "-q")
            if r.returncode != 0:
                raise RuntimeError(r.stderr)
            cls.files[name] = out

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def compare(self, base, other, *args):
        r = tipsim("compare", self.files[base], self.files[other], "--json", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return json.loads(r.stdout)

    def test_a_run_against_itself_or_its_rerun_gives_zero_differences(self):
        for other in ("base", "again"):
            with self.subTest(other=other):
                c = self.compare("base", other)
                self.assertTrue(c["paired"])
                self.assertIsNone(c["first_divergence"])
                self.assertIsNone(c["cost_per_victim_removed"])
                self.assertIsNone(c["cost_per_victim_day_averted"])
                found = differences(c)
                self.assertGreater(len(found), 50)
                self.assertEqual([p for p, d in found if d not in (0, None)], [])

    def test_json_keys_in_a_fixed_order(self):
        c = json.loads(tipsim("compare", self.files["base"], self.files["programme"],
                              "--json").stdout,
                       object_pairs_hook=lambda pairs: [k for k, _ in pairs] and dict(pairs))
        self.assertEqual(list(c), ["base", "other", "from", "to", "paired", "same_key",
                                   "first_scenario_difference", "first_divergence",
                                   "cost_per_victim_removed", "cost_per_victim_day_averted",
                                   "totals", "at_end", "observations",
                                   "observation_dates_not_compared", "interventions"])
        self.assertEqual(list(c["base"]), ["file", "scenario", "seed", "replicate", "step_days",
                                           "start", "end"])
        self.assertEqual(list(c["totals"])[:3], ["steps", "recruited", "re_trafficked"])
        self.assertEqual(list(c["totals"]["exits"]),
                         ["repaid", "escaped", "escaped_assisted", "identified",
                          "intercepted_in_transit", "aged_out", "died"])
        for key in ("victims_removed", "spend_fcfa", "rescued_identified", "sheltered",
                    "repatriated_or_reintegrated", "re_trafficked", "victim_days_exploited"):
            self.assertEqual(list(c["totals"][key]), ["base", "other", "difference"], key)
        self.assertEqual(list(c["at_end"])[:2], ["date", "wecs"])
        obs = c["observations"][0]
        self.assertEqual(list(obs), ["date", "wecs_18_30", "trafficked_18_30",
                                     "trafficked_share_true", "by_department", "victims",
                                     "victims_by_nationality", "victim_nationality_share",
                                     "victims_by_age", "victim_age_share"])
        self.assertEqual([i["name"] for i in c["interventions"]],
                         ["committees", "raids", "shelter"])
        self.assertEqual(list(c["interventions"][0]),
                         ["name", "type", "in_base", "in_other", "reached", "victims_removed",
                          "arrests", "spend_fcfa"])

    def test_interventions_against_the_same_seed(self):
        c = self.compare("base", "programme", "--from", "2021-01-01", "--to", "2021-12-31")
        self.assertTrue(c["paired"])
        self.assertEqual((c["from"], c["to"]), ("2021-01-01", "2021-12-31"))
        expected = first_divergence(self.files["base"], self.files["programme"])
        self.assertEqual(c["first_divergence"], expected)
        # Common random numbers: nothing differs before the interventions start.
        self.assertGreaterEqual(c["first_divergence"], "2021-01-01")
        first, last = day_number("2021-01-01"), day_number("2021-12-31")
        removed, spend = {}, {}
        for side, name in (("base", "base"), ("other", "programme")):
            with h5py.File(self.files[name], "r") as f:
                dates = f["timeseries/date"][()]
                rows = (dates >= first) & (dates <= last)
                total = lambda series: int(f["timeseries/" + series][()][rows].sum())
                removed[side] = (total("exit_identified") + total("exit_intercepted_in_transit")
                                 + total("exit_escaped_assisted"))
                spend[side] = int(f["interventions/spend_fcfa"][()][rows].sum())
                self.assertEqual(c["totals"]["recruited"][side], total("recruited"))
                self.assertEqual(c["totals"]["victims_removed"][side], removed[side])
                self.assertEqual(c["totals"]["spend_fcfa"][side], spend[side])
        self.assertEqual(spend["base"], 0)
        self.assertGreater(spend["other"], 0)
        gained = removed["other"] - removed["base"]
        self.assertEqual(c["totals"]["victims_removed"]["difference"], gained)
        if gained > 0:
            self.assertAlmostEqual(c["cost_per_victim_removed"], spend["other"] / gained)
        else:
            self.assertIsNone(c["cost_per_victim_removed"])
        with h5py.File(self.files["programme"], "r") as f:
            dates = f["timeseries/date"][()]
            rows = (dates >= first) & (dates <= last)
            for i, entry in enumerate(c["interventions"]):
                self.assertFalse(entry["in_base"])
                self.assertTrue(entry["in_other"])
                self.assertIsNone(entry["spend_fcfa"]["base"])
                self.assertEqual(entry["spend_fcfa"]["other"],
                                 int(f["interventions/spend_fcfa"][()][rows, i].sum()))
                self.assertEqual(entry["victims_removed"]["difference"],
                                 int(f["interventions/removed"][()][rows, i].sum()))

    def test_two_seeds_are_not_paired(self):
        c = self.compare("base", "seed8")
        self.assertFalse(c["paired"])
        self.assertEqual(c["first_divergence"],
                         first_divergence(self.files["base"], self.files["seed8"]))
        r = tipsim("compare", self.files["base"], self.files["seed8"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\npaired   no: seed or replicate differ", r.stdout)
        r = tipsim("compare", self.files["base"], self.files["again"])
        self.assertIn("\npaired   yes: same seed and replicate", r.stdout)
        self.assertIn("\nfirst divergence   none:", r.stdout)

    def test_summary_lists_the_interventions(self):
        r = tipsim("summary", self.files["programme"], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        with h5py.File(self.files["programme"], "r") as f:
            self.assertEqual([i["name"] for i in s["interventions"]],
                             list(f["interventions/name"].asstr()[()]))
            self.assertEqual([i["type"] for i in s["interventions"]],
                             list(f["interventions/type"].asstr()[()]))
            self.assertEqual(s["totals"]["spend_fcfa"], int(f["interventions/spend_fcfa"][()].sum()))
            for i, entry in enumerate(s["interventions"]):
                self.assertEqual(list(entry), ["name", "type", "reached", "victims_removed",
                                               "arrests", "spend_fcfa"])
                for key, series in (("reached", "reached"), ("victims_removed", "removed"),
                                    ("arrests", "arrests"), ("spend_fcfa", "spend_fcfa")):
                    self.assertEqual(entry[key], int(f["interventions/" + series][()][:, i].sum()))
        table = tipsim("summary", self.files["programme"]).stdout
        self.assertIn("\nInterventions 2020-01-01 .. 2021-12-31\n", table)
        self.assertNotIn("Interventions", tipsim("summary", self.files["base"]).stdout)

    def test_exit_codes(self):
        base = self.files["base"]
        with tempfile.TemporaryDirectory() as tmp:
            text = os.path.join(tmp, "text.h5")
            with open(text, "w") as f:
                f.write("not hdf5\n")
            old = os.path.join(tmp, "old.h5")
            shutil.copy(base, old)
            with h5py.File(old, "r+") as f:
                f.attrs["schema_version"] = 1
            for args, code, message in (
                    (("compare", base), 1, "compare needs two run files (BASE OTHER), or one ensemble file"),
                    (("compare", base, base, "--bogus"), 1, "--bogus"),
                    (("compare", base, os.path.join(tmp, "absent.h5")), 3,
                     "absent.h5: no such file"),
                    (("compare", text, base), 3, "text.h5"),
                    (("compare", old, base), 3, "old.h5: output schema version 1, this reader "
                                                "understands versions 3 to 4"),
                    (("compare", base, base, "--from", "2019-12-31"), 2,
                     "from 2019-12-31 lies outside the run"),
                    (("compare", base, base, "--from", "2021-02-01", "--to", "2021-01-01"), 2,
                     "is after to"),
                    (("compare", base, base, "--to", "2021-13-01"), 2,
                     "--to: expected a date YYYY-MM-DD")):
                with self.subTest(args=args):
                    r = tipsim(*args)
                    self.assertEqual(r.returncode, code, r.stderr)
                    self.assertIn(message, r.stderr)
                    self.assertEqual(r.stdout, "")


class DeterminismTest(unittest.TestCase):
    def test_threads_give_identical_datasets(self):
        with tempfile.TemporaryDirectory() as tmp:
            runs = []
            for threads in ("1", "2", "8"):
                out = os.path.join(tmp, f"t{threads}.h5")
                r = tipsim("run", SMALL, "--out", out, "--threads", threads, "--quiet")
                self.assertEqual(r.returncode, 0, r.stderr)
                runs.append(datasets(out))
            base, base_attrs = runs[0]
            # The women moved along each route are counted in a serial phase: the same too.
            self.assertGreater(base["routes/women_moved"].sum(), 0)
            for other, attrs in runs[1:]:
                self.assertEqual(sorted(base), sorted(other))
                for name in base:
                    self.assertTrue(np.array_equal(base[name], other[name]), name)
                self.assertEqual(base_attrs.keys(), attrs.keys())

    def test_seed_option_changes_the_run_and_is_recorded(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "s.h5")
            self.assertEqual(tipsim("run", SMALL, "--out", out, "--seed", "99", "-q").returncode, 0)
            with h5py.File(out, "r") as f:
                self.assertEqual(f.attrs["seed"], 99)
                resolved = f["provenance/resolved_scenario"][0]
                resolved = resolved.decode() if isinstance(resolved, bytes) else resolved
                self.assertIn("seed: 99", resolved)


class BadInputTest(unittest.TestCase):
    def test_bad_scenario_reports_every_error_and_keeps_existing_output(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.yaml")
            with open(SMALL) as f:
                text = f.read()
            text = text.replace("seed: 7", "seed: 7, sede: 3").replace(
                "recruitment: {approaches_per_day: 1.0}", "recruitment: {approaches_per_day: -1}")
            with open(bad, "w") as f:
                f.write(text)
            out = os.path.join(tmp, "keep.h5")
            with open(out, "wb") as f:
                f.write(b"precious")
            r = tipsim("run", bad, "--out", out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("bad.yaml:", r.stderr)
            self.assertIn("unknown key 'sede'", r.stderr)
            self.assertIn("approaches_per_day", r.stderr)
            with open(out, "rb") as f:
                self.assertEqual(f.read(), b"precious")
            self.assertEqual(sorted(os.listdir(tmp)), ["bad.yaml", "keep.h5"])

    def test_missing_scenario_file(self):
        # A file error (exit 3, as the README lists), saying which problem.
        r = tipsim("validate", "/nonexistent/scenario.yaml")
        self.assertEqual(r.returncode, 3)
        self.assertIn("/nonexistent/scenario.yaml: no such file", r.stderr)

    def test_output_directory_missing(self):
        r = tipsim("run", SMALL, "--out", "/nonexistent/dir/out.h5", "-q")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stderr,
                         "error: /nonexistent/dir/out.h5: output directory /nonexistent/dir "
                         "does not exist\n")
        self.assertEqual(r.stdout, "")

    def test_output_directory_missing_fails_before_the_run_and_leaves_nothing(self):
        # Eight millennia of daily steps take hours: only a check before the run returns
        # within the timeout.
        with tempfile.TemporaryDirectory() as tmp:
            try:
                r = tipsim("run", SMALL, "--out", os.path.join("missing", "out.h5"), "-q",
                           "--set", "simulation.end=9999-12-31", cwd=tmp, timeout=30)
            except subprocess.TimeoutExpired:
                self.fail("the run went ahead although its output directory is missing")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("missing/out.h5: output directory missing does not exist", r.stderr)
            self.assertEqual(os.listdir(tmp), [])

    def test_usage_errors_exit_1_with_one_message(self):
        for args, message in ((("run",), "run needs a scenario file, or --resume"),
                              (("run", SMALL), "run needs --out FILE"),
                              (("run", SMALL, "--out", "x.h5", "--threads", "0"),
                               "--threads: Value 0 not in range 1 to 1024"),
                              (("summary", "x.h5", "--bogus"), "--bogus"),
                              ((), "A subcommand is required")):
            with self.subTest(args=args):
                r = tipsim(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(message, r.stderr)
                self.assertIn("Run with --help for more information.", r.stderr)
                self.assertEqual(r.stdout, "")

    def test_help_on_every_subcommand(self):
        for command in ("run", "validate", "summary", "compare", "fit", "schema"):
            with self.subTest(command=command):
                r = tipsim(command, "--help")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(f"Usage: {BIN} {command} [OPTIONS]", r.stdout)
                self.assertEqual(r.stderr, "")
        r = tipsim("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for command in ("run", "validate", "summary", "compare", "fit", "schema"):
            self.assertRegex(r.stdout, rf"\n  {command} ")

    def test_validate_prints_resolved_scenario_with_overrides(self):
        r = tipsim("validate", SMALL, "--set", "recruitment.base_acceptance=0.07")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("base_acceptance: 0.07", r.stdout)
        self.assertIn("debt_min_fcfa: 1500000", r.stdout)  # a default, filled in

    def test_schema_is_json(self):
        r = tipsim("schema")
        self.assertEqual(r.returncode, 0, r.stderr)
        schema = json.loads(r.stdout)
        self.assertFalse(schema["additionalProperties"])
        self.assertIn("places", schema["properties"])


class CalibrationTest(unittest.TestCase):
    """The default scenario meets the 2021 baseline ranges and the programme's removals on
    several seeds."""

    def test_2021_observation_within_the_baseline_ranges(self):
        scenario = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
        with tempfile.TemporaryDirectory() as tmp:
            for seed in ("1", "2", "3"):
                out = os.path.join(tmp, f"k{seed}.h5")
                r = tipsim("run", scenario, "--out", out, "--seed", seed, "-q")
                self.assertEqual(r.returncode, 0, r.stderr)
                s = json.loads(tipsim("summary", out, "--json").stdout)
                obs = next(o for o in s["observations"] if o["date"] == "2021-11-15")
                self.assertTrue(1000 <= obs["wecs_18_30"] <= 2000, obs["wecs_18_30"])
                self.assertTrue(0.13 <= obs["trafficked_share_true"] <= 0.25, obs)
                dept = obs["by_department"]
                self.assertGreater(dept["Kedougou"]["trafficked_share_true"],
                                   dept["Saraya"]["trafficked_share_true"])
                self.assertTrue(0.55 <= obs["victim_nationality_share"]["NG"] <= 0.80, obs)
                # The programme's reports: nearly 300 victims removed over 2021-2025.
                window = json.loads(tipsim("summary", out, "--json", "--from", "2021-01-01",
                                           "--to", "2025-12-31").stdout)
                self.assertTrue(200 <= window["totals"]["victims_removed"] <= 400,
                                window["totals"]["victims_removed"])


class DocsTest(unittest.TestCase):
    def test_parameter_table_in_docs_matches_the_reader(self):
        with open(os.path.join(SOURCE, "docs", "PARAMETERS.md")) as f:
            text = f.read()
        begin = text.index("-->", text.index("parameter-table:begin")) + 4
        end = text.index("<!-- parameter-table:end")
        r = tipsim("schema", "--markdown")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(text[begin:end].strip(), r.stdout.strip(),
                         "docs/PARAMETERS.md is stale: regenerate with tipsim schema --markdown")

    def test_every_object_in_a_run_file_is_documented(self):
        documented = documented_names(os.path.join(SOURCE, "docs", "OUTPUT.md"))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "doc.h5")
            self.assertEqual(tipsim("run", SMALL, "--out", out, "-q").returncode, 0)
            missing = []
            with h5py.File(out, "r") as f:
                names = []
                f.visit(names.append)
                for path in names:
                    leaf = path.rsplit("/", 1)[-1]
                    if len(leaf) == 10 and leaf[4] == "-" and leaf[7] == "-":
                        continue  # a snapshot group is named by its date
                    if leaf not in documented:
                        missing.append(path)
                    missing += [f"{path}@{a}" for a in f[path].attrs if a not in documented]
                missing += [f"/@{a}" for a in f.attrs if a not in documented]
        self.assertEqual(missing, [], "undocumented in docs/OUTPUT.md")

    def test_default_scenario_validates(self):
        r = tipsim("validate", os.path.join(SOURCE, "scenarios", "kedougou.yaml"))
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
