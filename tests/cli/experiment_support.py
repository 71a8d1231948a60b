"""What the experiment tests share: the binary, small scenarios, running it, reading files."""
import math
import os
import shutil
import subprocess
import tempfile
import unittest

import h5py
import numpy as np


BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
DATA = os.path.join(SOURCE, "tests", "cli", "data")
SMALL = os.path.join(DATA, "small.yaml")
# small.yaml with interventions from 2021-01-01, same seed.
WITH_INTERVENTIONS = os.path.join(DATA, "interventions.yaml")
WINDOW = "2021-01-01:2021-12-31"
MPIRUN = shutil.which("mpirun")


def tipsim(*args, env=None, timeout=600):
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env)


def ok(*args, env=None):
    r = tipsim(*args, env=env)
    assert r.returncode == 0, r.stderr
    return r


def mpirun(ranks, *args):
    extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
    # Under the sanitizer build, LeakSanitizer reports Open MPI's own allocations at exit.
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    r = subprocess.run([MPIRUN, *extra, "--oversubscribe", "-n", str(ranks), BIN, *args],
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    return r


def datasets(path):
    """Every dataset but the provenance and the wall times: what must not depend on how an
    experiment was run."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("provenance") \
                    and name != "manifest/wall_seconds":
                found[name] = obj[()]
        f.visititems(visit)
    return found


def flatten(doc, path=""):
    """The numbers of a summary document, named as the ensemble names its indicators."""
    out = []
    join = (lambda k: f"{path}.{k}" if path else k)
    if isinstance(doc, bool) or isinstance(doc, str):
        return out
    if doc is None or isinstance(doc, (int, float)):
        return [(path, math.nan if doc is None else float(doc))]
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "ci" and isinstance(v, list) and len(v) == 2:
                out += [(join("ci_low"), math.nan if v[0] is None else v[0]),
                        (join("ci_high"), math.nan if v[1] is None else v[1])]
            else:
                out += flatten(v, join(k))
        return out
    for i, item in enumerate(doc):
        name = str(i)
        if isinstance(item, dict):
            name = item.get("name") or item.get("date") or name
        out += flatten(item, join(name))
    return out


class ExperimentTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tipsim_experiments_")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        """A file of the test's own directory holding `text`; returns its path."""
        path = self.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def assertSameDatasets(self, a, b):
        da, db = datasets(a), datasets(b)
        self.assertEqual(sorted(da), sorted(db))
        for name in da:
            equal = np.array_equal(da[name], db[name],
                                   equal_nan=da[name].dtype.kind == "f")
            self.assertTrue(equal, f"{name} differs between {a} and {b}")
