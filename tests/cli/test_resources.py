"""Memory: a scenario whose world would not fit is refused before anything is built, with the
figure it would need and the values behind it; a run that grows past --max-memory stops
cleanly; running out of memory says so, with its own exit status, and leaves nothing."""
import os
import resource
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SMALL = os.path.join(SOURCE, "tests", "cli", "data", "small.yaml")
# A few days, nothing observed: the world's build is the run.
SHORT = ["--set", "simulation.end=2020-01-03", "--set", "observation.dates=[]",
         "--set", "observation.snapshot_dates=[]"]


def tipsim(*args, timeout=120, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, **kw)


def address_sanitized():
    """AddressSanitizer reserves terabytes of address space: no ulimit -v under it."""
    out = subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout
    return "libasan" in out


class MemoryTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.out = os.path.join(self.dir, "run.h5")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def assert_nothing_left(self, *kept):
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(kept))

    def test_a_world_larger_than_the_machine_is_refused_before_it_is_built(self):
        r = tipsim("run", SMALL, "-o", self.out, "-q", *SHORT,
                   "--set", "places.Edo.recruiters=100000000")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("small.yaml: the world would need", r.stderr)
        self.assertIn("GiB at the start (places.Edo.recruiters", r.stderr)
        self.assertIn("per recruiter", r.stderr)
        self.assertIn("more than this machine's", r.stderr)
        self.assert_nothing_left()
        v = tipsim("validate", SMALL, "--set", "places.Edo.recruiters=100000000")
        self.assertEqual(v.returncode, 2, v.stderr)
        self.assertIn("the world would need", v.stderr)

    def test_an_ensemble_counts_the_worlds_in_progress_at_once(self):
        out = os.path.join(self.dir, "ens.h5")
        huge = ["--set", "places.Edo.recruiters=1000000000"]
        r = tipsim("ensemble", SMALL, "-n", "4", "--threads", "2", "-o", out, "-q", *SHORT, *huge)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("TiB for the 2 runs in progress at once (fewer --threads run fewer)",
                      r.stderr)
        self.assert_nothing_left()

    def test_max_memory_refuses_a_world_that_would_not_fit_in_it(self):
        r = tipsim("run", SMALL, "-o", self.out, "-q", *SHORT,
                   "--set", "places.Khossanto.houses=1000000", "--max-memory", "64M")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("(places.Khossanto.houses (and 1 other place) 1e+06: ", r.stderr)
        self.assertIn("more than --max-memory 64.0 MiB", r.stderr)
        self.assert_nothing_left()

    def test_a_run_that_grows_past_max_memory_stops_and_keeps_the_previous_file(self):
        with open(self.out, "w") as f:
            f.write("the previous run")
        r = tipsim("run", SMALL, "-o", self.out, "-q", "--max-memory", "4M")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("error: the run needs more memory than --max-memory 4.0 MiB (at 2020-",
                      r.stderr)
        self.assertIn("in use); nothing was written", r.stderr)
        self.assert_nothing_left("run.h5")
        with open(self.out) as f:
            self.assertEqual(f.read(), "the previous run")

    def test_a_run_within_max_memory_is_the_run_without_it(self):
        import h5py
        plain = os.path.join(self.dir, "plain.h5")
        self.assertEqual(tipsim("run", SMALL, "-o", plain, "-q").returncode, 0)
        r = tipsim("run", SMALL, "-o", self.out, "-q", "--max-memory", "4G")
        self.assertEqual(r.returncode, 0, r.stderr)
        import numpy as np

        def datasets(path):
            found = {}
            with h5py.File(path) as f:
                f.visititems(lambda name, obj: found.__setitem__(name, obj[()])
                             if isinstance(obj, h5py.Dataset)
                             and not name.startswith("provenance") else None)
            return found
        a, b = datasets(plain), datasets(self.out)
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            self.assertTrue(np.array_equal(a[name], b[name]), name)

    def test_max_memory_takes_a_size(self):
        for bad in ("-5", "12X", "", "0", "1.5.2G", "G", "8 G"):
            r = tipsim("run", SMALL, "-o", self.out, "-q", "--max-memory", bad)
            self.assertEqual(r.returncode, 1, (bad, r.stderr))
            self.assertIn("--max-memory", r.stderr)
        self.assert_nothing_left()

    @unittest.skipIf(address_sanitized(), "AddressSanitizer needs its own address space")
    def test_the_address_space_limit_counts_and_running_out_says_so(self):
        def limit(gib):
            def set_limit():
                size = int(gib * 2**30)
                resource.setrlimit(resource.RLIMIT_AS, (size, size))
            return set_limit
        # Ten million women at a site: about 760 MiB at the start by the estimate, some
        # 1.2 GiB in fact. Under a 0.6 GiB limit it is refused up front...
        women = ["--threads", "1", "--set", "places.Khossanto.initial_free_wecs=10000000"]
        r = tipsim("run", SMALL, "-o", self.out, "-q", *SHORT, *women, preexec_fn=limit(0.6))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("under the address-space limit (ulimit -v)", r.stderr)
        # ...under 1.2 GiB it passes the estimate and runs out while the world is built.
        r = tipsim("run", SMALL, "-o", self.out, "-q", *SHORT, *women, preexec_fn=limit(1.2))
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("error: out of memory in tipsim run", r.stderr)
        self.assertIn("nothing was written", r.stderr)
        self.assertNotIn("Please report", r.stderr)
        self.assert_nothing_left()


if __name__ == "__main__":
    unittest.main()
