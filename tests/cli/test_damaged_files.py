"""Damaged files: every reader of tipsim's files (run, ensemble, sweep, calibration,
sensitivity) answers a truncated, empty, text, foreign HDF5, newer-schema, wrong-kind or
bit-flipped file with a clear error naming the file, exit status 3, and no crash; a flipped
data byte is found by the chunks' checksums, not read as other numbers; crafted values
(totals that overflow, dates past any calendar, a schema version of 3.7) are refused."""
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SURVEYS = os.path.join(SOURCE, "tests", "cli", "data", "surveys.yaml")
TARGETS = os.path.join(SOURCE, "tests", "fuzz", "data", "targets.yaml")
CORPUS = os.path.join(SOURCE, "tests", "fuzz", "corpus", "summary")
SHORT = ["--set", "simulation.start=2021-01-01", "--set", "simulation.end=2021-07-31",
         "--set", "surveys.2.start=2021-07-01", "--set", "surveys.2.end=2021-07-30",
         "--set", "observation.write_events=false", "--set", "observation.snapshot_dates=[]"]
VERSION = {"run": "schema_version", "ensemble": "ensemble_schema_version",
           "sweep": "ensemble_schema_version", "calibration": "calibration_schema_version",
           "sensitivity": "sensitivity_schema_version"}


# In the sanitizer build: libhdf5 leaks some of its allocations when it gives up on a
# damaged file; they are the library's, not tipsim's.
ENV = dict(os.environ, LSAN_OPTIONS="suppressions=" + os.path.join(
    SOURCE, "tests", "fuzz", "lsan.supp") + ":print_suppressions=0")


def tipsim(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=120,
                          env=ENV)


def commands(kind, path):
    """Every command that reads a file of this kind."""
    out = [["summary", path], ["summary", path, "--json"]]
    if kind == "run":
        out += [["compare", path, path], ["fit", path, TARGETS]]
    if kind in ("ensemble", "sweep"):
        out += [["fit", path, TARGETS]]
    if kind == "ensemble":
        # Two files: a damaged one is not known to be an ensemble, and `compare` of one
        # file that is not an ensemble is a usage error.
        out += [["compare", path, path]]
    return out


def numbers(text):
    """The numbers of a JSON document, in order: what a damaged file must not change."""
    found = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            found.append(v)
    walk(json.loads(text))
    return found


class DamagedFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.files = {kind: os.path.join(CORPUS, f"{kind}.h5")
                     for kind in ("ensemble", "sweep", "calibration", "sensitivity")}
        # A run written now, so that it carries what this writer writes.
        cls.files["run"] = os.path.join(cls.dir, "run.h5")
        r = tipsim("run", SURVEYS, "-o", cls.files["run"], "-q", *SHORT)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def copy(self, kind, name):
        path = os.path.join(self.dir, f"{kind}-{name}.h5")
        shutil.copy(self.files[kind], path)
        return path

    def refused(self, path, kind, message):
        for command in commands(kind, path):
            with self.subTest(kind=kind, command=command[0]):
                r = tipsim(*command)
                self.assertEqual(r.returncode, 3, r.stdout[-500:] + r.stderr)
                self.assertIn(path, r.stderr)
                self.assertRegex(r.stderr, message)
                self.assertNotIn("internal error", r.stderr)

    def test_the_undamaged_files_are_read(self):
        for kind, path in self.files.items():
            for command in commands(kind, path):
                with self.subTest(kind=kind, command=command[0]):
                    r = tipsim(*command)
                    self.assertEqual(r.returncode, 0, r.stderr)

    def test_truncated_empty_and_text_files_are_refused(self):
        for kind in self.files:
            with open(self.files[kind], "rb") as f:
                data = f.read()
            for name, content in (("half", data[:len(data) // 2]), ("header", data[:600]),
                                  ("empty", b""), ("text", b"name: not a run\n")):
                path = os.path.join(self.dir, f"{kind}-{name}.h5")
                with open(path, "wb") as f:
                    f.write(content)
                self.refused(path, kind, "file|HDF5|missing|damaged|truncated")

    def test_a_foreign_hdf5_file_is_refused(self):
        path = os.path.join(self.dir, "foreign.h5")
        with h5py.File(path, "w") as f:
            f["x"] = np.arange(10)
            f.attrs["title"] = "another program's file"
        for kind in ("run", "ensemble"):
            self.refused(path, kind, "missing|not a tipsim")

    def test_a_newer_schema_is_refused_naming_the_versions(self):
        for kind, attribute in VERSION.items():
            path = self.copy(kind, "newer")
            with h5py.File(path, "a") as f:
                f.attrs[attribute] = np.int64(99)
            self.refused(path, kind, r"version 99, this (reader understands|tipsim reads)")

    def test_a_schema_version_that_is_not_a_whole_number_is_refused(self):
        for kind, attribute in VERSION.items():
            path = self.copy(kind, "fraction")
            with h5py.File(path, "a") as f:
                f.attrs[attribute] = 3.7
            self.refused(path, kind, rf"{attribute}: attribute is 3.7, not a whole number")

    def test_a_file_of_another_kind_is_refused(self):
        # A calibration or sensitivity file is not a run to compare or fit.
        for kind in ("calibration", "sensitivity"):
            path = self.files[kind]
            for command in (["compare", path, self.files["run"]], ["fit", path, TARGETS]):
                with self.subTest(kind=kind, command=command[0]):
                    r = tipsim(*command)
                    self.assertEqual(r.returncode, 3, r.stderr)
                    self.assertIn(path, r.stderr)

    def test_a_flipped_data_byte_is_found_by_the_checksum(self):
        path = self.copy("run", "flipped")
        with h5py.File(path, "r") as f:
            dataset = f["timeseries/recruited"]
            self.assertTrue(dataset.fletcher32)
            offset = dataset.id.get_chunk_info(0).byte_offset
        with open(path, "r+b") as f:
            f.seek(offset + 5)
            byte = f.read(1)[0]
            f.seek(offset + 5)
            f.write(bytes([byte ^ 0x10]))
        self.refused(path, "run",
                     re.escape("/timeseries/recruited: the data is damaged (checksum mismatch)"))

    def test_a_damaged_heap_of_strings_is_refused_before_the_library_reads_it(self):
        # Strings live in HDF5's global heap, which has no checksum: a damaged object size
        # made libhdf5 loop for ever or read outside its buffer.
        path = self.copy("run", "heap")
        with open(path, "rb") as f:
            data = bytearray(f.read())
        heap = data.find(b"GCOL")
        self.assertGreater(heap, 0)
        data[heap + 16 + 8:heap + 16 + 16] = (2**40).to_bytes(8, "little")  # first object
        with open(path, "wb") as f:
            f.write(data)
        self.refused(path, "run", re.escape("the file is damaged (") + ".*heap of strings")

    def test_crafted_totals_and_dates_are_refused(self):
        for dataset, values, message in (
                ("timeseries/recruited", lambda n: np.full(n, 2**62, dtype="i8"),
                 "/timeseries/recruited: values sum past 2^60"),
                ("timeseries/date", lambda n: 2**31 - 1 - np.arange(n, dtype="i4")[::-1],
                 "/timeseries/date holds day 2147483")):
            path = self.copy("run", dataset.replace("/", "-"))
            with h5py.File(path, "a") as f:
                n = f[dataset].shape[0]
                del f[dataset]
                f.create_dataset(dataset, data=values(n))
            self.refused(path, "run", re.escape(message))

    def test_random_bit_flips_never_crash_a_reader_nor_change_its_numbers(self):
        with open(self.files["run"], "rb") as f:
            original = f.read()
        expected = {}
        for command in commands("run", "RUN"):
            if command[0] in ("compare", "fit"):
                command = command + ["--json"]
            if "--json" in command:
                r = tipsim(*[self.files["run"] if a == "RUN" else a for a in command])
                self.assertEqual(r.returncode, 0, r.stderr)
                expected[command[0]] = numbers(r.stdout)
        rng = random.Random(20211115)
        outcomes = {0: 0, 3: 0}
        for i in range(100):
            data = bytearray(original)
            at = rng.randrange(len(data))
            data[at] ^= 1 << rng.randrange(8)
            path = os.path.join(self.dir, "flip.h5")
            with open(path, "wb") as f:
                f.write(data)
            for command in expected:
                args = {"summary": ["summary", path, "--json"],
                        "compare": ["compare", path, self.files["run"], "--json"],
                        "fit": ["fit", path, TARGETS, "--json"]}[command]
                r = tipsim(*args)
                with self.subTest(flip=i, byte=at, command=command):
                    self.assertIn(r.returncode, (0, 3), r.stderr)
                    if r.returncode == 0:
                        self.assertEqual(numbers(r.stdout), expected[command])
                    else:
                        self.assertIn(path, r.stderr)
                outcomes[r.returncode] = outcomes.get(r.returncode, 0) + 1
        # Most flips land in data or checksummed metadata and are found.
        self.assertGreater(outcomes[3], 0)


if __name__ == "__main__":
    unittest.main()
