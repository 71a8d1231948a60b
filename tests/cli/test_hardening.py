"""Bad input and hostile outputs meet a clear error and lose nothing: outputs that are not
regular files or that are the command's own inputs, names too long for a temporary, text in
other encodings, aliases that expand without limit, empty --set values."""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SMALL = os.path.join(SOURCE, "tests", "cli", "data", "small.yaml")


def tipsim(*args, timeout=300, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, **kw)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class OutputTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.scenario = os.path.join(self.dir, "s.yaml")
        shutil.copy(SMALL, self.scenario)
        self.child = os.path.join(self.dir, "child.yaml")
        with open(self.child, "w") as f:
            f.write("extends: s.yaml\nname: child\n")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_an_output_that_is_the_scenario_or_a_file_it_extends_is_refused(self):
        for out in (self.child, self.scenario):
            before = read(out)
            r = tipsim("run", self.child, "-o", out, "-q")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("this command reads that file", r.stderr)
            self.assertEqual(read(out), before)

    def test_the_provenance_keeps_every_file_of_the_extends_chain(self):
        import h5py
        out = os.path.join(self.dir, "child.h5")
        r = tipsim("run", self.child, "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out) as f:
            p = f["provenance"]
            self.assertEqual(p["scenario_text"].asstr()[0], read(self.child))
            self.assertEqual(list(p["extends_files"].asstr()[:]),
                             [os.path.join(self.dir, "s.yaml")])
            self.assertEqual(p["extends_texts"].asstr()[0], read(self.scenario))
        plain = os.path.join(self.dir, "plain.h5")
        self.assertEqual(tipsim("run", self.scenario, "-o", plain, "-q").returncode, 0)
        with h5py.File(plain) as f:
            self.assertEqual(f["provenance/extends_files"].shape, (0,))

    def test_an_output_that_is_not_a_regular_file_is_refused_before_the_run(self):
        fifo = os.path.join(self.dir, "pipe")
        os.mkfifo(fifo)
        r = tipsim("run", self.scenario, "-o", fifo, "-q")
        self.assertEqual(r.returncode, 3)
        self.assertIn("exists and is a named pipe", r.stderr)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        if os.geteuid() == 0:
            # As root a device node would otherwise be replaced by the final rename.
            node = os.path.join(self.dir, "fakenull")
            os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            r = tipsim("run", self.scenario, "-o", node, "-q")
            self.assertEqual(r.returncode, 3)
            self.assertIn("exists and is a character device", r.stderr)
            self.assertTrue(stat.S_ISCHR(os.stat(node).st_mode))
        for out in (self.dir, "."):
            r = tipsim("run", self.scenario, "-o", out, "-q", cwd=self.dir)
            self.assertEqual(r.returncode, 3, out)
        self.assertEqual(sorted(os.listdir(self.dir)),
                         sorted(["s.yaml", "child.yaml", "pipe"] +
                                (["fakenull"] if os.geteuid() == 0 else [])))

    def test_a_signal_during_the_write_leaves_no_temporary(self):
        import glob
        import signal
        import time
        kedougou = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
        out = os.path.join(self.dir, "long.h5")
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            # Sixty years: seconds of work, while the file is streamed to its temporary.
            p = subprocess.Popen([BIN, "run", kedougou, "-o", out, "-q", "--set",
                                  "simulation.end=2075-12-31"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while not glob.glob(out + ".tmp-*") and p.poll() is None and \
                    time.monotonic() < deadline:
                time.sleep(0.005)
            self.assertIsNone(p.poll(), "the run ended before it could be stopped")
            p.send_signal(sig)
            p.wait(timeout=60)
            self.assertEqual(p.returncode, -sig)
            self.assertEqual(glob.glob(out + "*"), [], sig)

    def test_a_file_size_limit_ends_in_a_clear_error_and_keeps_the_previous_file(self):
        import resource
        import signal
        kedougou = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
        out = os.path.join(self.dir, "limited.h5")
        with open(out, "wb") as f:
            f.write(b"previous")

        def limit():  # as `ulimit -f 500` with SIGXFSZ ignored: writes fail with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (500 * 1024, 500 * 1024))

        r = subprocess.run([BIN, "run", kedougou, "-o", out, "-q"], capture_output=True,
                           text=True, timeout=300, preexec_fn=limit)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertTrue(r.stderr.startswith("error: " + out + ": "), r.stderr)
        self.assertIn("(File too large)", r.stderr)
        self.assertNotIn("HDF5-DIAG", r.stderr)
        self.assertNotIn(".tmp-", r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"previous")
        self.assertEqual(sorted(os.listdir(self.dir)), ["child.yaml", "limited.h5", "s.yaml"])

    def test_a_long_legal_name_is_written(self):
        out = os.path.join(self.dir, "x" * 247 + ".h5")
        r = tipsim("run", self.scenario, "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(out))
        r = tipsim("run", self.scenario, "-o", os.path.join(self.dir, "y" * 300 + ".h5"), "-q")
        self.assertEqual(r.returncode, 3)
        self.assertIn("the file name is 303 bytes long", r.stderr)

    def test_calibrate_refuses_to_write_over_its_inputs(self):
        targets = os.path.join(self.dir, "t.yaml")
        with open(targets, "w") as f:
            f.write("targets:\n  - {name: v, quantity: trafficked_18_30, date: 2021-06-01, "
                    "value: 60, relative_sd: 0.3}\n")
        priors = os.path.join(self.dir, "p.yaml")
        with open(priors, "w") as f:
            f.write("parameters:\n  - {path: recruitment.base_acceptance, prior: uniform, "
                    "min: 0.02, max: 0.12}\n")
        for args in (["--out", priors, "--overwrite"],
                     ["--out", os.path.join(self.dir, "c.h5"), "--write-scenario",
                      self.scenario]):
            before = {p: read(p) for p in (self.scenario, targets, priors)}
            r = tipsim("calibrate", self.scenario, targets, priors, "--population", "4",
                       "--max-generations", "1", "-q", *args)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("this command reads that file", r.stderr)
            self.assertEqual(before, {p: read(p) for p in before})
            self.assertFalse(os.path.exists(os.path.join(self.dir, "c.h5")))


class DatesTest(unittest.TestCase):
    def test_a_run_before_1970_is_the_same_run_shifted(self):
        """Day numbers are negative before 1970-01-01: markers of "never" must not be -1.
        The same scenario 52 years earlier (1968 and 2020 are both leap years; draws are
        keyed by step, not by date) must give the same run."""
        import json
        with tempfile.TemporaryDirectory() as d:
            scenario = os.path.join(d, "shift.yaml")
            with open(scenario, "w") as f:
                f.write(f"extends: {SMALL}\nname: shifted\ninterventions:\n"
                        "  - {name: campaign, type: awareness_campaign, start: 2020-06-01, "
                        "reach_per_year: 3000}\n"
                        "  - {name: raids, type: site_raids, start: 2021-01-01, "
                        "raids_per_year: 4, trigger: {indicator: trafficked_at_sites, above: 1, "
                        "check_every_days: 30, duration_days: 60}}\n")
            late, early = os.path.join(d, "late.h5"), os.path.join(d, "early.h5")
            self.assertEqual(tipsim("run", scenario, "-o", late, "-q").returncode, 0)
            r = tipsim("run", scenario, "-o", early, "-q", "--set", "simulation.start=1968-01-01",
                       "--set", "simulation.end=1969-12-31", "--set",
                       "observation.dates=[1969-06-01]", "--set",
                       "observation.snapshot_dates=[1969-06-01]", "--set",
                       "interventions.campaign.start=1968-06-01", "--set",
                       "interventions.raids.start=1969-01-01")
            self.assertEqual(r.returncode, 0, r.stderr)
            a, b = (json.loads(tipsim("summary", p, "--json").stdout) for p in (late, early))
        self.assertGreater(a["totals"]["recruited"], 0)
        self.assertGreater(a["interventions"][0]["reached"], 0)
        self.assertEqual(a["totals"], b["totals"])
        self.assertEqual(a["interventions"], b["interventions"])
        self.assertEqual(a["observations"][0]["by_department"],
                         b["observations"][0]["by_department"])


class StepsTest(unittest.TestCase):
    def test_dates_between_steps_are_named_not_dropped_without_a_word(self):
        # small.yaml starts on 2020-01-01; weekly steps fall on 2021-05-26 and 2021-06-02.
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "w.h5")
            r = tipsim("run", SMALL, "-o", out, "-q", "--set", "simulation.step_days=7",
                       "--set", "observation.dates=[2021-05-28, 2021-06-02]")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("warning: observation.dates: 2021-05-28 falls between steps (every 7 "
                          "days from 2020-01-01) and is not recorded; the nearest steps are "
                          "2021-05-26 and 2021-06-02", r.stderr)
            self.assertNotIn("2021-06-02 falls", r.stderr)
            self.assertIn("observation.snapshot_dates: 2021-06-01", tipsim(
                "validate", SMALL, "--set", "simulation.step_days=5").stderr)


class NetworkTest(unittest.TestCase):
    def test_a_site_no_route_reaches_is_refused_before_the_run(self):
        with tempfile.TemporaryDirectory() as d:
            scenario = os.path.join(d, "lonely.yaml")
            with open(scenario, "w") as f:
                f.write(f"extends: {SMALL}\nplaces+: [{{name: Lonely, kind: site, country: SN, "
                        "department: Saraya, miners: 10}]\n")
            out = os.path.join(d, "l.h5")
            r = tipsim("run", scenario, "-o", out, "-q")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("no route leads from any origin to site 'Lonely'", r.stderr)
            self.assertFalse(os.path.exists(out))


class RangesTest(unittest.TestCase):
    """Ranges in the reader match the types and the arithmetic behind them."""

    def test_money_that_would_overflow_is_refused(self):
        for key, value, expected in (
                ("exploitation.price_per_client_max_fcfa", "3000000000",
                 "expected an integer in [0, 10000000], got 3000000000"),
                ("exploitation.living_cost_per_day_fcfa", "1e15",
                 "expected an integer in [0, 10000000]"),
                ("exploitation.debt_max_fcfa", "1e15",
                 "expected an integer in [0, 1000000000000]")):
            r = tipsim("validate", SMALL, "--set", f"{key}={value}")
            self.assertEqual(r.returncode, 2, key)
            self.assertIn(f"{key}: {expected}", r.stderr)

    def test_a_survey_population_with_age_max_below_age_min_is_refused(self):
        scenario = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")
        r = tipsim("validate", scenario, "--set", "surveys.rds_2021.population.age_min=30",
                   "--set", "surveys.rds_2021.population.age_max=20")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("population.age_max: must not be below age_min", r.stderr)

    def test_a_relative_sd_too_small_for_the_fit_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            targets = os.path.join(d, "t.yaml")
            with open(targets, "w") as f:
                f.write("targets:\n  - {name: v, quantity: trafficked_18_30, date: 2021-06-01, "
                        "value: 60, relative_sd: 1e-300}\n")
            run = os.path.join(d, "r.h5")
            self.assertEqual(tipsim("run", SMALL, "-o", run, "-q").returncode, 0)
            r = tipsim("fit", run, targets, "--json")
            self.assertEqual(r.returncode, 2, r.stdout)
            self.assertIn("relative_sd: expected a number in [1e-04, 1000], got 1e-300",
                          r.stderr)


class UnreadableInputTest(unittest.TestCase):
    def test_inputs_that_are_not_readable_files_say_why(self):
        with tempfile.TemporaryDirectory() as d:
            fifo = os.path.join(d, "pipe")
            os.mkfifo(fifo)
            loop = os.path.join(d, "loop")
            os.symlink(loop, loop)
            cases = {d: "a folder, not a file", "/dev/null": "a device, not a regular file",
                     fifo: "a named pipe, not a regular file", loop: "a loop of symbolic links",
                     "-": "standard input is not read", os.path.join(d, "no.h5"): "no such file"}
            for path, why in cases.items():
                for command in (["summary", path], ["run", path, "-o", os.path.join(d, "o.h5")]):
                    r = tipsim(*command, timeout=30)
                    self.assertEqual(r.returncode, 3, (command, r.stderr))
                    self.assertIn(f"{path}: {why}", r.stderr)


class CraftedFileTest(unittest.TestCase):
    def test_a_file_declaring_more_values_than_it_holds_is_refused_without_allocating(self):
        import h5py
        with tempfile.TemporaryDirectory() as d:
            run = os.path.join(d, "crafted.h5")
            self.assertEqual(tipsim("run", SMALL, "-o", run, "-q").returncode, 0)
            with h5py.File(run, "a") as f:
                del f["timeseries/date"]
                # 2^36 dates (256 GiB to read) in a file of a few hundred kilobytes.
                f["timeseries"].create_dataset("date", shape=(2**36,), dtype="i4",
                                               chunks=(4096,))

            # (Without the check the reader asks for 256 GiB and ends in an internal error.)
            for command in (["summary", run], ["fit", run, os.path.join(
                    SOURCE, "scenarios", "targets", "kedougou.yaml")]):
                r = subprocess.run([BIN, *command], capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertIn("/timeseries/date: declares 68719476736 values, more than a "
                              "file of", r.stderr)


class TextTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, data: bytes):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_other_encodings_are_refused_and_utf8_with_a_bom_is_read(self):
        text = read(SMALL)
        cases = {
            "utf16.yaml": (text.encode("utf-16"), "the file is UTF-16 text; save it as UTF-8"),
            "latin1.yaml": (text.replace("name: small", "name: Kédougou").encode("latin-1"),
                            "is not UTF-8 (Latin-1 or Windows-1252 text?)"),
            "nul.yaml": (text.replace("name: small", 'name: "a\0b"').encode(),
                         "a NUL byte"),
        }
        for name, (data, message) in cases.items():
            path = self.write(name, data)
            out = os.path.join(self.dir, name + ".h5")
            r = tipsim("run", path, "-o", out, "-q")
            self.assertEqual(r.returncode, 2, name)
            self.assertIn(message, r.stderr, name)
            self.assertIn(path, r.stderr)
            self.assertFalse(os.path.exists(out))
        bom = self.write("bom.yaml", b"\xef\xbb\xbf" +
                         text.replace("name: small", "name: Kédougou").encode())
        out = os.path.join(self.dir, "bom.h5")
        r = tipsim("run", bom, "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        import h5py
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["scenario_name"], "Kédougou")
            # The provenance keeps the file as given, mark included, and reads as UTF-8.
            self.assertTrue(f["provenance/scenario_text"].asstr()[0].startswith("\ufeff"))

    def test_aliases_that_expand_without_limit_are_refused_quickly(self):
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for k in range(1, 10):
            lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
        bomb = self.write("bomb.yaml", ("\n".join(lines) + "\n").encode())
        for args in (["run", bomb, "-o", os.path.join(self.dir, "b.h5")],
                     ["run", SMALL, "-o", os.path.join(self.dir, "b.h5"), "--set",
                      "population.x=" + "{" + ", ".join(lines[:7]).replace(": ", ": ") + "}"],
                     ["fit", os.path.join(self.dir, "missing.h5"), bomb]):
            r = tipsim(*args, timeout=60)
            self.assertIn("expand the document past 1000000 values", r.stderr, args)
            self.assertNotEqual(r.returncode, 0)

    def test_a_seed_must_be_a_whole_number(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "x.h5")
            for command in (["run", SMALL, "-o", out], ["ensemble", SMALL, "-n", "1", "-o", out]):
                for seed, shown in (("-1", "got '-1'"), ("", "got nothing"),
                                    ("1e5", "got '1e5'")):
                    r = tipsim(*command, "-q", "--seed", seed)
                    self.assertEqual(r.returncode, 1, (command, seed))
                    self.assertIn("--seed: expected a whole number from 0 to 9e15, " + shown,
                                  r.stderr)
                    self.assertFalse(os.path.exists(out))

    def test_an_empty_set_value_is_an_error(self):
        r = tipsim("validate", SMALL, "--set", "recruitment.approaches_per_day=")
        self.assertEqual(r.returncode, 2)
        self.assertIn("recruitment.approaches_per_day: no value after '='", r.stderr)


if __name__ == "__main__":
    unittest.main()
