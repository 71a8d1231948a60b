"""What every reader shares: opening a file, telling its kind, decoding strings and dates.

The layout itself is described in docs/OUTPUT.md; each file kind has its own module that
knows its part of it (run.py, ensemble.py, calibration.py, sensitivity.py)."""
from __future__ import annotations

import h5py
import numpy as np
import pandas as pd

EPOCH = np.datetime64("1970-01-01", "D")


class FileError(Exception):
    """A file tipsim cannot read: missing, not HDF5, of another kind or of an unknown
    schema version. The message names the file and what was expected."""


# kind -> (root attribute holding the schema version, versions this package reads)
SCHEMAS = {
    "run": ("schema_version", {3, 4}),  # 4 only added /routes
    "ensemble": ("ensemble_schema_version", {1}),
    "sweep": ("ensemble_schema_version", {1}),
    "calibration": ("calibration_schema_version", {1}),
    "sensitivity": ("sensitivity_schema_version", {1}),
}


def open_h5(path) -> h5py.File:
    try:
        return h5py.File(path, "r")
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except OSError as e:
        raise FileError(f"{path}: not an HDF5 file tipsim can read ({e})") from None


def file_kind(f: h5py.File) -> str:
    """`run`, `ensemble`, `sweep`, `calibration` or `sensitivity`, as tipsim's own
    h5::file_kind tells them: a `file_kind` root attribute, or a run's `schema_version`."""
    if "file_kind" in f.attrs:
        return attr_str(f.attrs["file_kind"])
    if "schema_version" in f.attrs:
        return "run"
    raise FileError(f"{f.filename}: not a tipsim file (no root attribute file_kind or "
                    "schema_version)")


def check_schema(f: h5py.File, kind: str) -> int:
    attribute, known = SCHEMAS[kind]
    if attribute not in f.attrs:
        raise FileError(f"{f.filename}: a {kind} file without the root attribute {attribute}")
    version = int(f.attrs[attribute])
    if version not in known:
        raise FileError(f"{f.filename}: {kind} schema version {version}; this reader knows "
                        f"{', '.join(str(v) for v in sorted(known))} (docs/OUTPUT.md)")
    return version


class Reader:
    """What every reader shares: the open file, its path and kind, closing (also as a
    context manager)."""

    kind = ""

    def __init__(self, f: h5py.File, kind: str):
        self._f = f
        self.path = f.filename
        self.kind = kind
        self.schema_version = check_schema(f, kind)

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def attr_str(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def strings(dataset) -> list[str]:
    """A string dataset as a list of str (h5py returns bytes otherwise)."""
    if dataset.shape == (0,):
        return []
    return [str(s) for s in dataset.asstr()[()]]


def dates(days) -> pd.DatetimeIndex:
    """Days since 1970-01-01 (int32 in the files) as dates."""
    return pd.DatetimeIndex(EPOCH + np.asarray(days, dtype="int64").astype("timedelta64[D]"))


def iso(day: int) -> str:
    return str(EPOCH + np.timedelta64(int(day), "D"))


def day_number(date) -> int:
    """An ISO date, datetime or Timestamp as days since 1970-01-01."""
    return int((np.datetime64(pd.Timestamp(date).date(), "D") - EPOCH).astype(int))


def attrs(obj) -> dict:
    """Attributes of an HDF5 object as plain Python values."""
    out = {}
    for key, value in obj.attrs.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        out[key] = value
    return out


def none_if_nan(x):
    x = float(x)
    return None if np.isnan(x) else x
