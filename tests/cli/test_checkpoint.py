"""Checkpoints: a run saves its state on a day (--checkpoint, --checkpoint-at); --resume
continues it to the same file as the uninterrupted run, and --from-checkpoint starts a
what-if from its base's state, equal to the what-if run from the start. What cannot be
branched or resumed is refused with the reason."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
DATA = os.path.join(SOURCE, "tests", "cli", "data")
KEDOUGOU = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
WHATIF = os.path.join(SOURCE, "scenarios", "whatif")


def tipsim(*args, timeout=300):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def ok(*args):
    r = tipsim(*args)
    assert r.returncode == 0, r.stderr
    return r


def contents(path):
    """Every dataset (the provenance's texts too) and the root attributes: all that must
    not depend on whether the run stopped on the way."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                value = obj[()]
                if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                    # NaN (an undefined estimate) equals NaN here: compared as bytes.
                    found[name] = (value.shape, value.tobytes())
                else:
                    found[name] = value.tolist() if isinstance(value, np.ndarray) else value
        f.visititems(visit)
        found["@"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                      for k, v in f.attrs.items()}
    return found


class CheckpointTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        for name in os.listdir(DATA):
            shutil.copy(os.path.join(DATA, name), self.dir)
        # Interventions, surveys, events and a snapshot: every part of the state in use.
        self.full = self.path("full.yaml")
        with open(self.full, "w") as f:
            f.write("""extends: interventions.yaml
name: full
observation: {dates: [2021-06-01], snapshot_dates: [2020-07-01, 2021-06-01]}
surveys:
  - name: rds
    start: 2020-11-01
    end: 2021-02-28
    design: {type: rds, sample_size: 120, seeds: 6}
""")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertSameRun(self, a, b):
        x, y = contents(a), contents(b)
        self.assertEqual(sorted(x), sorted(y))
        for name in x:
            self.assertEqual(x[name], y[name], name)

    def test_a_resumed_run_gives_the_file_of_the_uninterrupted_run(self):
        whole, first, ck = self.path("whole.h5"), self.path("first.h5"), self.path("ck.h5")
        ok("run", self.full, "-o", whole, "-q")
        # Mid-way through the survey, with interventions on and a snapshot taken.
        ok("run", self.full, "-o", first, "-q", "--checkpoint", ck,
           "--checkpoint-at", "2021-01-15")
        self.assertSameRun(whole, first)  # saving a checkpoint changes nothing
        with h5py.File(ck) as f:
            self.assertEqual(f.attrs["file_kind"], "checkpoint")
            self.assertEqual(f.attrs["date"], "2021-01-15")
        resumed = self.path("resumed.h5")
        r = ok("run", "--resume", ck, "-o", resumed, "-q", "--threads", "1")
        self.assertIn("from 2021-01-15", r.stdout)
        self.assertSameRun(whole, resumed)
        # Chained: a resumed run saves a later checkpoint, and that one resumes too.
        ck2, again = self.path("ck2.h5"), self.path("again.h5")
        ok("run", "--resume", ck, "-o", self.path("x.h5"), "-q", "--checkpoint", ck2,
           "--checkpoint-at", "2021-09-01")
        ok("run", "--resume", ck2, "-o", again, "-q")
        self.assertSameRun(whole, again)

    def test_a_killed_run_resumes_from_its_checkpoint(self):
        whole, out, ck = self.path("whole.h5"), self.path("out.h5"), self.path("ck.h5")
        ok("run", KEDOUGOU, "-o", whole, "-q")
        proc = subprocess.Popen([BIN, "run", KEDOUGOU, "-o", out, "-q", "--threads", "1",
                                 "--checkpoint", ck, "--checkpoint-at", "2015-03-01"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not os.path.exists(ck) and proc.poll() is None:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.assertEqual(proc.returncode, -signal.SIGKILL, "the run ended before it was killed")
        self.assertFalse(os.path.exists(out))
        ok("run", "--resume", ck, "-o", out, "-q")
        self.assertSameRun(whole, out)

    def test_a_what_if_from_its_base_checkpoint_equals_the_what_if_from_the_start(self):
        ck = self.path("ck.h5")
        ok("run", self.path("small.yaml"), "-o", self.path("base.h5"), "-q", "--checkpoint", ck,
           "--checkpoint-at", "2021-01-01")
        ok("run", self.path("interventions.yaml"), "-o", self.path("a.h5"), "-q")
        ok("run", self.path("interventions.yaml"), "-o", self.path("b.h5"), "-q",
           "--from-checkpoint", ck)
        self.assertSameRun(self.path("a.h5"), self.path("b.h5"))

    def test_the_default_what_ifs_branch_from_the_default_run(self):
        # The programme's interventions start on 2021-03-01 or later.
        ck = self.path("ck.h5")
        ok("run", KEDOUGOU, "-o", self.path("base.h5"), "-q", "--checkpoint", ck,
           "--checkpoint-at", "2021-03-01")
        for name in ("no_programme", "shelters_doubled", "network_disruption_central"):
            scenario = os.path.join(WHATIF, name + ".yaml")
            ok("run", scenario, "-o", self.path("a.h5"), "-q")
            ok("run", scenario, "-o", self.path("b.h5"), "-q", "--from-checkpoint", ck)
            self.assertSameRun(self.path("a.h5"), self.path("b.h5"))

    def test_what_cannot_be_branched_is_refused_with_the_reason(self):
        ck = self.path("ck.h5")
        ok("run", self.path("small.yaml"), "-o", self.path("base.h5"), "-q", "--checkpoint", ck,
           "--checkpoint-at", "2021-03-01")

        def refused(scenario, *extra, says):
            out = self.path("refused.h5")
            r = tipsim("run", scenario, "-o", out, "-q", "--from-checkpoint", ck, *extra)
            self.assertEqual(r.returncode, 2, r.stderr)
            for text in says:
                self.assertIn(text, r.stderr)
            self.assertFalse(os.path.exists(out))

        refused(self.path("interventions.yaml"),
                says=["intervention 'committees'", "2021-01-01",
                      "before the checkpoint's day 2021-03-01"])
        refused(self.path("small.yaml"), "--set", "recruitment.approaches_per_day=2",
                says=["recruitment.approaches_per_day", "run it from the start"])
        refused(self.path("small.yaml"), "--seed", "8", says=["seed 8", "seed 7"])
        refused(self.path("small.yaml"), "--set", "simulation.end=2021-11-30",
                says=["ends on 2021-11-30", "keeps its base's end"])

    def test_bad_checkpoint_options_and_files_are_refused(self):
        small = self.path("small.yaml")
        out, ck = self.path("out.h5"), self.path("ck.h5")
        cases = [
            (["run", small, "-o", out, "--checkpoint", ck], 1, "requires --checkpoint-at"),
            (["run", small, "-o", out, "--checkpoint", ck, "--checkpoint-at", "2019-06-01"], 2,
             "is not inside the run"),
            (["run", small, "-o", out, "--checkpoint", out, "--checkpoint-at", "2021-01-01"], 2,
             "is the run's --out"),
            (["run", "-o", out], 1, "needs a scenario file, or --resume"),
        ]
        for args, code, text in cases:
            r = tipsim(*args, "-q")
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertIn(text, r.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(ck))
        weekly = self.path("weekly.yaml")
        with open(weekly, "w") as f:
            f.write("extends: small.yaml\nsimulation: {step_days: 7}\n"
                    "observation: {dates: [], snapshot_dates: []}\n")
        r = tipsim("run", weekly, "-o", out, "--checkpoint", ck, "--checkpoint-at", "2021-01-02")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("falls between steps of 7 days; the nearest are 2020-12-30 and 2021-01-06",
                      r.stderr)

        ok("run", small, "-o", self.path("base.h5"), "-q", "--checkpoint", ck,
           "--checkpoint-at", "2021-03-01")
        r = tipsim("run", small, "--resume", ck, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        r = tipsim("run", "--resume", ck, "-o", out, "--checkpoint", self.path("c2.h5"),
                   "--checkpoint-at", "2021-02-01")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is not after the day the run starts from (2021-03-01)", r.stderr)
        # Not a checkpoint, and a damaged one: file errors naming the file.
        r = tipsim("run", "--resume", self.path("base.h5"), "-o", out)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("base.h5: not a checkpoint file", r.stderr)
        damaged = self.path("damaged.h5")
        shutil.copy(ck, damaged)
        with h5py.File(damaged, "r+") as f:
            state = f["state"][()]
            state[len(state) // 2] ^= 0x40
            f["state"][...] = state
        r = tipsim("run", "--resume", damaged, "-o", out)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("damaged.h5: the saved state is damaged", r.stderr)
        self.assertFalse(os.path.exists(out))
        # A checkpoint given to the commands that read results says what it is for.
        for args in (["summary", ck], ["compare", self.path("base.h5"), ck],
                     ["fit", ck, os.path.join(SOURCE, "scenarios", "targets", "kedougou.yaml")]):
            r = tipsim(*args)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("a checkpoint file, which holds a run's state and no results", r.stderr)


def ensemble_datasets(path):
    """An ensemble file's datasets but the wall times of its runs."""
    found = contents(path)
    del found["manifest/wall_seconds"]
    return found


class SharedHistoryTest(unittest.TestCase):
    """An ensemble's runs of one replicate start from the state of the first scenario's run
    on the last day they share with it; the file is the one of runs from their first day."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def both_ways(self, *args):
        shared, separate = os.path.join(self.dir, "a.h5"), os.path.join(self.dir, "b.h5")
        r = ok("ensemble", *args, "-o", shared, "-q", "--threads", "2")
        ok("ensemble", *args, "-o", separate, "-q", "--threads", "2", "--no-shared-history")
        a, b = ensemble_datasets(shared), ensemble_datasets(separate)
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            self.assertEqual(a[name], b[name], name)
        return r.stdout

    def test_what_ifs_share_their_history_and_give_the_same_file(self):
        out = self.both_ways(KEDOUGOU, os.path.join(WHATIF, "no_programme.yaml"),
                             os.path.join(WHATIF, "raids_only.yaml"), "-n", "3")
        self.assertIn("9 runs started from the history they share", out)

    def test_posterior_what_ifs_share_the_history_of_their_draw(self):
        out = self.both_ways(KEDOUGOU, os.path.join(WHATIF, "shelters_doubled.yaml"),
                             "--posterior", os.path.join(SOURCE, "scenarios", "calibration",
                                                         "kedougou_posterior.h5"),
                             "--draws", "3")
        self.assertIn("6 runs started from the history they share", out)

    def test_scenarios_that_differ_from_the_first_day_share_nothing(self):
        other = os.path.join(self.dir, "other.yaml")
        with open(other, "w") as f:
            f.write(f"extends: {os.path.join(DATA, 'small.yaml')}\nname: other\n"
                    "recruitment: {approaches_per_day: 2.0}\n")
        out = self.both_ways(os.path.join(DATA, "small.yaml"), other, "-n", "2")
        self.assertNotIn("started from the history", out)


if __name__ == "__main__":
    unittest.main()
