"""End-to-end tests of ensembles: indicators, bands and statistics against the runs' own
summaries and numpy; determinism over threads, MPI ranks and slices; resuming after kills."""
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np

from experiment_support import (BIN, DATA, MPIRUN, SMALL, WINDOW, WITH_INTERVENTIONS,
                                ExperimentTest, flatten, mpirun, ok, tipsim)


class EnsembleFileTest(ExperimentTest):
    """One ensemble of two scenarios, 4 replicates, each run also kept."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tipsim_ensemble_")
        cls.runs = os.path.join(cls.tmp, "runs")
        os.mkdir(cls.runs)
        cls.ens = os.path.join(cls.tmp, "ens.h5")
        ok("ensemble", SMALL, WITH_INTERVENTIONS, "-n", "4", "-o", cls.ens, "--window", WINDOW,
           "--keep-runs", cls.runs, "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_manifest_names_every_run_and_its_key(self):
        with h5py.File(self.ens) as f:
            self.assertEqual(f.attrs["file_kind"], "ensemble")
            self.assertEqual([s.decode() for s in f["scenarios"][:]], ["small", "small_interventions"])
            np.testing.assert_array_equal(f["manifest/run"][:], np.arange(8))
            # Replicate-major run ids: run = replicate * scenarios + scenario.
            np.testing.assert_array_equal(f["manifest/scenario"][:], [0, 1] * 4)
            np.testing.assert_array_equal(f["manifest/replicate"][:], np.repeat(np.arange(4), 2))
            np.testing.assert_array_equal(f["manifest/seed"][:], [7] * 8)
            np.testing.assert_array_equal(f["manifest/status"][:], [0] * 8)
            self.assertEqual(len(f["provenance/scenario_text"]), 2)

    def test_indicators_are_each_runs_own_summary(self):
        with h5py.File(self.ens) as f:
            names = [n.decode() for n in f["indicators/name"][:]]
            values = f["indicators/value"][:]
            scenarios = [s.decode() for s in f["scenarios"][:]]
            cells = f["manifest/scenario"][:]
            reps = f["manifest/replicate"][:]
        self.assertEqual(names, sorted(names))
        for i in range(len(cells)):
            kept = os.path.join(self.runs, f"{scenarios[cells[i]]}_r{reps[i]}.h5")
            whole = json.loads(ok("summary", kept, "--json").stdout)
            expected = {k: v for k, v in flatten(whole)
                        if k not in ("seed", "replicate", "step_days")}
            windowed = json.loads(ok("summary", kept, "--json", "--from", "2021-01-01",
                                     "--to", "2021-12-31").stdout)
            for k, v in flatten(windowed):
                if k.split(".")[0] in ("totals", "at_end", "interventions"):
                    expected[f"{k}@{WINDOW}"] = v
            got = {n: values[i, j] for j, n in enumerate(names)}
            self.assertEqual(sorted(k for k, v in got.items() if not math.isnan(v)),
                             sorted(k for k, v in expected.items() if not math.isnan(v)))
            for k, v in expected.items():
                if math.isnan(v):
                    self.assertTrue(math.isnan(got.get(k, math.nan)), k)
                else:
                    self.assertEqual(got[k], v, k)

    def test_replicate_zero_is_what_tipsim_run_gives(self):
        single = self.path("single.h5")
        ok("run", SMALL, "-o", single, "-q")
        a = json.loads(ok("summary", single, "--json").stdout)
        b = json.loads(ok("summary", os.path.join(self.runs, "small_r0.h5"), "--json").stdout)
        self.assertEqual(a, b)

    def test_bands_are_the_quantiles_of_the_stored_runs(self):
        with h5py.File(self.ens) as f:
            series = [s.decode() for s in f["series_names"][:]]
            self.assertIn("victims_removed", series)
            for cell in ("small", "small_interventions"):
                g = f["series"][cell]
                levels = g["quantiles"].attrs["levels"]
                np.testing.assert_array_equal(levels, [0.025, 0.1, 0.5, 0.9, 0.975])
                for s in series:
                    runs = g[s][:]
                    self.assertEqual(runs.shape, (4, len(g["date"])))
                    expected = np.quantile(runs, levels, axis=0)
                    np.testing.assert_allclose(g["quantiles"][s][:], expected, rtol=0,
                                               atol=1e-9 * (1 + np.abs(expected).max()))

    def test_series_are_the_kept_runs_series(self):
        with h5py.File(self.ens) as f, \
                h5py.File(os.path.join(self.runs, "small_interventions_r2.h5")) as run:
            np.testing.assert_array_equal(f["series/small_interventions/date"][:],
                                          run["timeseries/date"][:])
            np.testing.assert_array_equal(f["series/small_interventions/recruited"][2],
                                          run["timeseries/recruited"][:])
            removed = sum(run["timeseries/" + k][:] for k in
                          ("exit_identified", "exit_intercepted_in_transit",
                           "exit_escaped_assisted"))
            np.testing.assert_array_equal(f["series/small_interventions/victims_removed"][2], removed)
            np.testing.assert_array_equal(f["series/small_interventions/spend_fcfa"][2],
                                          run["interventions/spend_fcfa"][:].sum(axis=1))

    def test_summary_spreads_against_numpy(self):
        s = json.loads(ok("summary", self.ens, "--json").stdout)
        self.assertEqual(s["runs_done"], 8)
        with h5py.File(self.ens) as f:
            names = [n.decode() for n in f["indicators/name"][:]]
            values = f["indicators/value"][:]
            cells = f["manifest/cell"][:]
        for c, cell in enumerate(s["cells"]):
            self.assertEqual(cell["done"], 4)
            for name in ("totals.recruited", f"totals.victims_removed@{WINDOW}"):
                v = values[cells == c, names.index(name)]
                got = cell["indicators"][name]
                self.assertAlmostEqual(got["mean"], v.mean(), places=9)
                self.assertAlmostEqual(got["median"], np.median(v), places=9)
                for key, q in (("q10", .1), ("q90", .9), ("q025", .025), ("q975", .975)):
                    self.assertAlmostEqual(got[key], np.quantile(v, q), places=9)

    def test_paired_differences_against_numpy(self):
        c = json.loads(ok("compare", self.ens, "--base", "small", "--from", "2021-01-01",
                          "--to", "2021-12-31", "--json").stdout)
        self.assertEqual(c["base"], "small")
        self.assertEqual(c["window"], WINDOW)
        other = c["comparisons"][0]
        self.assertEqual(other["scenario"], "small_interventions")
        self.assertTrue(other["paired"])
        with h5py.File(self.ens) as f:
            names = [n.decode() for n in f["indicators/name"][:]]
            values = f["indicators/value"][:]
        for name in ("totals.victims_removed", "totals.spend_fcfa", "totals.recruited"):
            col = values[:, names.index(f"{name}@{WINDOW}")]
            d = col[1::2] - col[0::2]  # interventions minus small, replicate by replicate
            got = other["indicators"][name]
            self.assertEqual(got["n"], 4)
            self.assertAlmostEqual(got["mean"], d.mean(), places=6)
            self.assertAlmostEqual(got["median"], np.median(d), places=6)
            self.assertAlmostEqual(got["q025"], np.quantile(d, .025), places=6)
            self.assertAlmostEqual(got["q975"], np.quantile(d, .975), places=6)
            self.assertAlmostEqual(got["share_positive"], float((d > 0).mean()))
        spend = values[:, names.index(f"totals.spend_fcfa@{WINDOW}")]
        removed = values[:, names.index(f"totals.victims_removed@{WINDOW}")]
        ratio = other["cost_per_victim_removed"]
        gain = (removed[1::2] - removed[0::2]).mean()
        if gain > 0:
            self.assertAlmostEqual(ratio["value"], (spend[1::2] - spend[0::2]).mean() / gain)
        table = [row["scenario"] for row in c["cost_effectiveness"]]
        self.assertEqual(table, ["small", "small_interventions"])

    def test_runs_are_identical_until_the_interventions_start(self):
        start = np.datetime64("2021-01-01").astype(int)
        with h5py.File(self.ens) as f:
            dates = f["series/small/date"][:]
            before = dates < start
            for s in [n.decode() for n in f["series_names"][:]]:
                for r in range(4):
                    np.testing.assert_array_equal(f["series/small"][s][r][before],
                                                  f["series/small_interventions"][s][r][before])
        c = json.loads(ok("compare", self.ens, "--json").stdout)["comparisons"][0]
        self.assertEqual(c["first_scenario_difference"], "2021-01-01")
        self.assertGreaterEqual(c["first_divergence"], "2021-01-01")

    def test_an_undeclared_window_or_base_is_refused(self):
        r = tipsim("compare", self.ens, "--from", "2020-01-01", "--to", "2020-12-31")
        self.assertEqual(r.returncode, 2)
        self.assertIn("the window 2020-01-01:2020-12-31 was not declared", r.stderr)
        self.assertIn("rerun it with --window 2020-01-01:2020-12-31", r.stderr)
        r = tipsim("compare", self.ens, "--base", "nope")
        self.assertEqual(r.returncode, 2)
        self.assertIn("has no scenario of that name (it has small, small_interventions)", r.stderr)

    def test_tables_for_people(self):
        s = ok("summary", self.ens).stdout
        self.assertIn("ensemble of 2 scenarios x 4 replicates (seed 7): 8 runs done", s)
        self.assertIn("Scenario small_interventions: 4 replicates done, 0 failed", s)
        c = ok("compare", self.ens).stdout
        self.assertIn("small_interventions - small", c)
        self.assertIn("paired   yes: replicate r against replicate r", c)
        self.assertIn("Cost-effectiveness", c)

    def test_files_with_more_replicates_pair_on_the_common_ones(self):
        fewer = self.path("fewer.h5")
        ok("ensemble", WITH_INTERVENTIONS, "-n", "2", "--window", WINDOW, "-o", fewer, "-q")
        c = json.loads(ok("compare", self.ens, fewer, "--base", "small", "--json").stdout)
        other = c["comparisons"][0]
        self.assertTrue(other["paired"])
        got = other["indicators"]["totals.recruited"]
        self.assertEqual(got["n"], 2)
        with h5py.File(self.ens) as f:
            names = [n.decode() for n in f["indicators/name"][:]]
            col = f["indicators/value"][:, names.index("totals.recruited")]
        # Replicates 0 and 1 only, on both sides.
        self.assertAlmostEqual(got["base_mean"], col[[0, 2]].mean())
        self.assertAlmostEqual(got["mean"], (col[[1, 3]] - col[[0, 2]]).mean())
        # The cost-effectiveness table too rests on the common replicates.
        self.assertEqual(c["cost_effectiveness_replicates"], 2)
        with h5py.File(self.ens) as f:
            f_days = f["indicators/value"][:, names.index("totals.victim_days_exploited")]
        with h5py.File(fewer) as g:
            gnames = [n.decode() for n in g["indicators/name"][:]]
            days = g["indicators/value"][:, gnames.index("totals.victim_days_exploited")]
        self.assertAlmostEqual(c["cost_effectiveness"][1]["victim_days_averted"],
                               f_days[[0, 2]].mean() - days.mean())

    def test_files_of_different_seeds_are_compared_unpaired(self):
        other = self.path("seed8.h5")
        ok("ensemble", WITH_INTERVENTIONS, "-n", "4", "--seed", "8", "--window", WINDOW,
           "-o", other, "-q")
        c = json.loads(ok("compare", self.ens, other, "--base", "small", "--json").stdout)
        x = c["comparisons"][0]
        self.assertFalse(x["paired"])
        self.assertFalse(x["same_key"])
        got = x["indicators"]["totals.recruited"]
        self.assertEqual((got["n_base"], got["n_other"]), (4, 4))
        self.assertNotIn("share_positive", got)
        with h5py.File(self.ens) as f, h5py.File(other) as g:
            names = [n.decode() for n in f["indicators/name"][:]]
            b = f["indicators/value"][0::2, names.index("totals.recruited")]
            onames = [n.decode() for n in g["indicators/name"][:]]
            o = g["indicators/value"][:, onames.index("totals.recruited")]
        self.assertAlmostEqual(got["mean"], o.mean() - b.mean())
        # Welch's interval, from the samples' own variances.
        se = math.sqrt(b.var(ddof=1) / 4 + o.var(ddof=1) / 4)
        self.assertLess(got["mean_ci_low"], got["mean"] - 2.0 * se)
        self.assertGreater(got["mean_ci_low"], got["mean"] - 3.2 * se)
        table = ok("compare", self.ens, other, "--base", "small").stdout
        self.assertIn("paired   no: the files have different seeds", table)

    def test_sides_without_a_common_replicate_are_not_paired(self):
        part = self.path("part.h5")
        ok("ensemble", SMALL, WITH_INTERVENTIONS, "-n", "4", "--runs", "0:1", "-o", part, "-q")
        c = json.loads(ok("compare", part, "--json").stdout)
        x = c["comparisons"][0]
        self.assertEqual(x["common_replicates"], 0)
        self.assertFalse(x["paired"])
        self.assertIn("no replicate in common", ok("compare", part).stdout)

    def test_an_ensemble_file_compared_with_itself_is_paired_across_files(self):
        c = json.loads(ok("compare", self.ens, self.ens, "--base", "small", "--json").stdout)
        self.assertEqual([x["scenario"] for x in c["comparisons"]], ["small", "small_interventions"])
        same = c["comparisons"][0]
        self.assertTrue(same["paired"])
        self.assertEqual(same["indicators"]["totals.recruited"]["mean"], 0)


class DeterminismTest(ExperimentTest):
    ARGS = [SMALL, WITH_INTERVENTIONS, "-n", "5", "--window", WINDOW, "-q"]

    def test_identical_on_any_number_of_threads(self):
        ok("ensemble", *self.ARGS, "-o", self.path("t1.h5"), "--threads", "1")
        ok("ensemble", *self.ARGS, "-o", self.path("t2.h5"), "--threads", "2")
        ok("ensemble", *self.ARGS, "-o", self.path("t3.h5"), "--threads", "3")
        self.assertSameDatasets(self.path("t1.h5"), self.path("t2.h5"))
        self.assertSameDatasets(self.path("t1.h5"), self.path("t3.h5"))

    def test_keeping_each_runs_file_changes_no_dataset(self):
        os.mkdir(self.path("kept"))
        ok("ensemble", *self.ARGS, "-o", self.path("plain.h5"))
        ok("ensemble", *self.ARGS, "-o", self.path("kept.h5"), "--keep-runs", self.path("kept"))
        self.assertSameDatasets(self.path("plain.h5"), self.path("kept.h5"))
        with h5py.File(self.path("kept/small_interventions_r4.h5")) as f:
            self.assertIn("events", f)  # a kept run is the whole file tipsim run writes
            self.assertIn("snapshots", f)

    @unittest.skipUnless(MPIRUN, "mpirun not installed")
    def test_identical_with_one_two_and_four_ranks(self):
        ok("ensemble", *self.ARGS, "-o", self.path("plain.h5"))
        for ranks in (1, 2, 4):
            out = self.path(f"mpi{ranks}.h5")
            mpirun(ranks, "ensemble", *self.ARGS, "-o", out, "--threads", "1")
            self.assertSameDatasets(self.path("plain.h5"), out)

    def test_slices_merge_into_the_whole(self):
        ok("ensemble", *self.ARGS, "-o", self.path("whole.h5"))
        parts = []
        for a, b in ((0, 3), (3, 4), (4, 10)):
            parts.append(self.path(f"part{a}.h5"))
            r = ok("ensemble", *self.ARGS, "-o", parts[-1], "--runs", f"{a}:{b}")
            self.assertIn(f"runs {a}:{b}", r.stdout)
        with h5py.File(parts[0]) as f:
            np.testing.assert_array_equal(f["manifest/run"][:], [0, 1, 2])
        r = ok("merge", *reversed(parts), "-o", self.path("merged.h5"))
        self.assertIn("10 runs of 10 planned, from 3 parts", r.stdout)
        self.assertSameDatasets(self.path("whole.h5"), self.path("merged.h5"))

    def test_merge_keeps_indicators_that_no_run_of_a_part_has_a_value_for(self):
        surveys = os.path.join(DATA, "surveys.yaml")
        args = [surveys, SMALL, "-n", "3", "-q"]
        ok("ensemble", *args, "-o", self.path("whole.h5"))
        ok("ensemble", *args, "-o", self.path("p1.h5"), "--runs", "0:3")
        ok("ensemble", *args, "-o", self.path("p2.h5"), "--runs", "3:6")
        ok("merge", self.path("p1.h5"), self.path("p2.h5"), "-o", self.path("merged.h5"))
        self.assertSameDatasets(self.path("whole.h5"), self.path("merged.h5"))
        with h5py.File(self.path("whole.h5")) as f:
            values = f["indicators/value"][:]
        self.assertTrue(np.isnan(values).all(axis=0).any(), "some column has no value at all")

    def test_merge_replaces_an_existing_file_only_when_told(self):
        ok("ensemble", *self.ARGS, "-o", self.path("a.h5"), "--runs", "0:4")
        ok("ensemble", *self.ARGS, "-o", self.path("full.h5"))
        victim = self.path("victim.yaml")
        shutil.copy(SMALL, victim)
        for out in (victim, self.path("full.h5")):
            r = tipsim("merge", self.path("a.h5"), "-o", out)
            self.assertEqual(r.returncode, 3)
            self.assertIn("exists; choose another --out, or add --overwrite", r.stderr)
            self.assertFalse(os.path.exists(out + ".merge-journal"))
        with open(victim) as f, open(SMALL) as g:
            self.assertEqual(f.read(), g.read())
        with h5py.File(self.path("full.h5")) as f:
            self.assertEqual(len(f["manifest/run"]), 10)
        ok("merge", self.path("a.h5"), "-o", self.path("full.h5"), "--overwrite")
        with h5py.File(self.path("full.h5")) as f:
            self.assertEqual(len(f["manifest/run"]), 4)

    def test_merge_refuses_overlaps_and_other_experiments(self):
        ok("ensemble", *self.ARGS, "-o", self.path("a.h5"), "--runs", "0:4")
        ok("ensemble", *self.ARGS, "-o", self.path("b.h5"), "--runs", "3:6")
        ok("ensemble", *self.ARGS, "--seed", "8", "-o", self.path("c.h5"), "--runs", "6:8")
        r = tipsim("merge", self.path("a.h5"), self.path("b.h5"), "-o", self.path("m.h5"))
        self.assertEqual(r.returncode, 3)
        self.assertIn("run 3 is in both", r.stderr)
        r = tipsim("merge", self.path("a.h5"), self.path("c.h5"), "-o", self.path("m.h5"))
        self.assertEqual(r.returncode, 3)
        self.assertIn("comes from another experiment", r.stderr)
        self.assertFalse(os.path.exists(self.path("m.h5")))
        self.assertFalse(os.path.exists(self.path("m.h5.merge-journal")))


class ResumeTest(ExperimentTest):
    ARGS = [SMALL, WITH_INTERVENTIONS, "-n", "30", "--threads", "1", "-q"]

    def records(self, journal):
        """Whole run records in a journal: counted by their marks (good enough to time a kill)."""
        try:
            with open(journal, "rb") as f:
                return f.read().count(b"1NUR")
        except FileNotFoundError:
            return 0

    def test_killed_at_several_points_then_rerun_gives_the_uninterrupted_file(self):
        ok("ensemble", *self.ARGS, "-o", self.path("clean.h5"))
        for target in (0, 7, 33):
            with self.subTest(kill_after=target):
                out = self.path(f"killed{target}.h5")
                journal = out + ".journal"
                p = subprocess.Popen([BIN, "ensemble", *self.ARGS, "-o", out],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.time() + 60
                while self.records(journal) < target and p.poll() is None \
                        and time.time() < deadline:
                    time.sleep(0.002)
                p.send_signal(signal.SIGKILL)
                p.wait()
                self.assertFalse(os.path.exists(out), "no final file after a kill")
                r = ok("ensemble", *self.ARGS, "-o", out)
                self.assertIn("60 runs", r.stdout)
                self.assertFalse(os.path.exists(journal))
                self.assertSameDatasets(self.path("clean.h5"), out)

    def test_a_torn_journal_loses_only_the_torn_run(self):
        out = self.path("torn.h5")
        r = tipsim("ensemble", *self.ARGS, "-o", out, env={"TIPSIM_FAULT_RUNS": "40"})
        self.assertEqual(r.returncode, 5, r.stderr)
        journal = out + ".journal"
        size = os.path.getsize(journal)
        with open(journal, "r+b") as f:
            f.truncate(size - 100)
        r = ok("ensemble", *self.ARGS, "-o", out)
        ok("ensemble", *self.ARGS, "-o", self.path("clean.h5"))
        self.assertSameDatasets(self.path("clean.h5"), out)

    def test_a_changed_command_is_refused_with_what_changed(self):
        out = self.path("e.h5")
        r = tipsim("ensemble", *self.ARGS, "-o", out, env={"TIPSIM_FAULT_RUNS": "5"})
        self.assertEqual(r.returncode, 5)
        self.assertIn("run 5 (small_interventions, replicate 2): fault injected", r.stderr)
        self.assertIn("Stopped: ", r.stderr)
        self.assertIn("(1 failed, to be run again); rerun the same command to go on", r.stderr)
        self.assertFalse(os.path.exists(out))
        r = tipsim("ensemble", *self.ARGS, "--seed", "9", "-o", out)
        self.assertEqual(r.returncode, 3)
        self.assertIn("holds the unfinished runs of another experiment: 'seed: 7' there, "
                      "'seed: 9' here", r.stderr)
        ok("ensemble", *self.ARGS, "-o", out)
        r = tipsim("ensemble", SMALL, "-n", "2", "-o", out)
        self.assertEqual(r.returncode, 3)
        self.assertIn("holds another experiment", r.stderr)
        ok("ensemble", SMALL, "-n", "2", "-o", out, "--overwrite")

    def test_more_replicates_extend_a_finished_experiment(self):
        args = [SMALL, WITH_INTERVENTIONS, "--window", WINDOW, "-q"]
        ok("ensemble", *args, "-n", "3", "-o", self.path("grown.h5"))
        r = ok("ensemble", *args, "-n", "5", "-o", self.path("grown.h5"))
        self.assertIn("4 run now, 6 already done", r.stdout)
        ok("ensemble", *args, "-n", "5", "-o", self.path("direct.h5"))
        self.assertSameDatasets(self.path("direct.h5"), self.path("grown.h5"))

    def test_a_command_that_would_drop_runs_is_refused(self):
        args = [SMALL, "-q"]
        ok("ensemble", *args, "-n", "4", "-o", self.path("f.h5"))
        for extra in (["-n", "2"], ["-n", "4", "--runs", "0:2"]):
            with self.subTest(extra=extra):
                r = tipsim("ensemble", *args, *extra, "-o", self.path("f.h5"))
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertIn("which this command would not keep", r.stderr)
                with h5py.File(self.path("f.h5")) as f:
                    self.assertEqual(len(f["manifest/run"]), 4)
        # --overwrite keeps what it can (the same experiment's runs it still wants).
        r = ok("ensemble", *args, "-n", "2", "-o", self.path("f.h5"), "--overwrite")
        self.assertIn("0 run now, 2 already done", r.stdout)
        with h5py.File(self.path("f.h5")) as f:
            self.assertEqual(len(f["manifest/run"]), 2)

    def test_overwrite_discards_the_journal_of_another_experiment(self):
        out = self.path("j.h5")
        r = tipsim("ensemble", *self.ARGS, "-o", out, env={"TIPSIM_FAULT_RUNS": "9"})
        self.assertEqual(r.returncode, 5)
        r = ok("ensemble", SMALL, "-n", "2", "-q", "-o", out, "--overwrite")
        self.assertIn("2 run now, 0 already done", r.stdout)
        self.assertFalse(os.path.exists(out + ".journal"))

    def test_two_processes_cannot_share_a_journal(self):
        import fcntl
        out = self.path("busy.h5")
        r = tipsim("ensemble", *self.ARGS, "-o", out, env={"TIPSIM_FAULT_RUNS": "3"})
        self.assertEqual(r.returncode, 5)
        with open(out + ".journal", "rb") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            r = tipsim("ensemble", *self.ARGS, "-o", out)
        self.assertEqual(r.returncode, 3)
        self.assertIn("is in use by another tipsim process", r.stderr)
        ok("ensemble", *self.ARGS, "-o", out)

    def test_overwrite_never_touches_a_journal_in_use(self):
        import fcntl
        out = self.path("busy.h5")
        r = tipsim("ensemble", *self.ARGS, "-o", out, env={"TIPSIM_FAULT_RUNS": "3"})
        self.assertEqual(r.returncode, 5)
        before = os.stat(out + ".journal").st_ino
        with open(out + ".journal", "rb") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            r = tipsim("ensemble", *self.ARGS, "--seed", "9", "-o", out, "--overwrite")
        self.assertEqual(r.returncode, 3)
        self.assertIn("is in use by another tipsim process writing the same output", r.stderr)
        self.assertEqual(os.stat(out + ".journal").st_ino, before)

    def test_an_unreadable_ensemble_file_is_replaced_only_with_overwrite(self):
        out = self.path("broken.h5")
        ok("ensemble", SMALL, "-n", "2", "-q", "-o", out)
        with h5py.File(out, "r+") as f:
            f.attrs["ensemble_schema_version"] = 99
        r = tipsim("ensemble", SMALL, "-n", "2", "-q", "-o", out)
        self.assertEqual(r.returncode, 3)
        self.assertIn("cannot be read as an ensemble file (", r.stderr)
        self.assertIn("ensemble schema version 99", r.stderr)
        r = ok("ensemble", SMALL, "-n", "2", "-q", "-o", out, "--overwrite")
        self.assertIn("2 run now", r.stdout)

    def test_a_file_size_limit_is_a_file_error_and_keeps_the_runs_done(self):
        import resource
        out = self.path("full.h5")

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (400 * 1024, 400 * 1024))

        r = subprocess.run([BIN, "ensemble", *self.ARGS, "-o", out], capture_output=True,
                           text=True, timeout=300, preexec_fn=limit)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("File too large", r.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertTrue(os.path.exists(out + ".journal"))
        r = ok("ensemble", *self.ARGS, "-o", out)
        done = int(r.stdout.split(" run now, ")[1].split(" already done")[0])
        self.assertGreater(done, 0)  # the runs finished before the disk filled are kept
        ok("ensemble", *self.ARGS, "-o", self.path("clean.h5"))
        self.assertSameDatasets(self.path("clean.h5"), out)

    def test_on_error_continue_records_the_failure(self):
        out = self.path("c.h5")
        r = tipsim("ensemble", SMALL, "-n", "4", "-o", out, "--on-error", "continue",
                   env={"TIPSIM_FAULT_RUNS": "1,2"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 failed", r.stdout)
        with h5py.File(out) as f:
            np.testing.assert_array_equal(f["manifest/status"][:], [0, 1, 1, 0])
            self.assertIn("fault injected", f["manifest/message"][1].decode())
            self.assertTrue(np.isnan(f["indicators/value"][1]).all())
            self.assertTrue(np.isnan(f["series/small/recruited"][1]).all())
        s = json.loads(ok("summary", out, "--json").stdout)
        self.assertEqual((s["runs_done"], s["runs_failed"]), (2, 2))
        # Rerunning retries the failed runs.
        r = ok("ensemble", SMALL, "-n", "4", "-o", out)
        self.assertIn("2 run now, 2 already done, 0 failed", r.stdout)


if __name__ == "__main__":
    unittest.main()
