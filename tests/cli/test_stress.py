"""Many threads on few cores: an ensemble run with --threads 64 or 256 starts that many
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
            base = results[0]
            self.assertGreater(len(base), 10)
            for other in results[1:]:
                self.assertEqual(sorted(base), sorted(other))
                for name in base:
                    a, b = np.asarray(base[name]), np.asarray(other[name])
                    # Bit for bit: NaN ("no value") in the same places too.
                    self.assertEqual((a.dtype, a.shape), (b.dtype, b.shape), name)
                    if a.dtype.kind == "f":
                        self.assertEqual(a.tobytes(), b.tobytes(), name)
                    else:
                        self.assertTrue(np.array_equal(a, b), name)


if __name__ == "__main__":
    unittest.main()
