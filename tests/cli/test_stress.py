"""Many threads on few cores: a run or an ensemble with --threads 64 or 256 starts that many
threads (oversubscribing the machine) and writes the datasets it writes on one thread."""
import os
import subprocess
import tempfile
import unittest

from experiment_support import datasets
import numpy as np

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
DATA = os.path.join(SOURCE, "tests", "cli", "data")


def tipsim(*args):
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, env=env)


class ManyThreadsTest(unittest.TestCase):
    def assertSameDatasets(self, base, other):
        self.assertEqual(sorted(base), sorted(other))
        for name in base:
            a, b = np.asarray(base[name]), np.asarray(other[name])
            # Bit for bit: NaN ("no value") in the same places too.
            self.assertEqual((a.dtype, a.shape), (b.dtype, b.shape), name)
            if a.dtype.kind == "f":
                self.assertEqual(a.tobytes(), b.tobytes(), name)
            else:
                self.assertTrue(np.array_equal(a, b), name)

    def test_a_run_on_a_hundred_threads_is_the_run_on_one(self):
        scenario = os.path.join(SOURCE, "scenarios", "kedougou.yaml")
        with tempfile.TemporaryDirectory() as tmp:
            results = []
            for threads in ("1", "100"):
                out = os.path.join(tmp, f"run{threads}.h5")
                proc = subprocess.Popen([BIN, "run", scenario, "-o", out, "-q", "--threads",
                                         threads], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
                most = 0  # threads of the process, as often as it can be read while it runs
                while proc.poll() is None:
                    try:
                        with open(f"/proc/{proc.pid}/status") as f:
                            for line in f:
                                if line.startswith("Threads:"):
                                    most = max(most, int(line.split()[1]))
                    except OSError:
                        break
                stderr = proc.communicate()[1]
                self.assertEqual(proc.returncode, 0, stderr)
                self.assertNotIn("TBB Warning", stderr)
                if threads == "100":
                    # The default arena would keep to the cores (2 here).
                    self.assertGreater(most, 50)
                results.append(datasets(out))
            self.assertGreater(len(results[0]), 100)
            self.assertSameDatasets(*results)

    def test_an_ensemble_on_hundreds_of_threads_is_the_ensemble_on_one(self):
        args = [os.path.join(DATA, "small.yaml"), os.path.join(DATA, "interventions.yaml"),
                "-n", "12", "--window", "2020-06-01:2021-06-01", "-q"]
        with tempfile.TemporaryDirectory() as tmp:
            results = []
            for i, threads in enumerate(("1", "64", "64", "256")):
                out = os.path.join(tmp, f"e{i}.h5")
                r = tipsim("ensemble", *args, "-o", out, "--threads", threads)
                self.assertEqual(r.returncode, 0, r.stderr)
                # TBB said it ignored the request for more workers than cores.
                self.assertNotIn("TBB Warning", r.stderr)
                results.append(datasets(out))
            self.assertGreater(len(results[0]), 10)
            for other in results[1:]:
                self.assertSameDatasets(results[0], other)


if __name__ == "__main__":
    unittest.main()
