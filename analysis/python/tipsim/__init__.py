"""Reading tipsim's files in Python.

    import tipsim
    run = tipsim.open("results/kedougou.h5")      # RunFile
    run.series()["trafficked_at_sites"].plot()

`tipsim.open` returns the reader of the file's kind: `RunFile` (a run), `EnsembleFile` (an
ensemble or a sweep), `CalibrationFile`, `SensitivityFile`. Each reads the layout of
docs/OUTPUT.md for its kind, and only schema versions it knows. docs/ANALYSIS.md has the
whole guide; `tipsim.plots` draws the figures, `tipsim.report` writes the HTML report."""
from __future__ import annotations

from ._h5 import FileError, file_kind as _file_kind, open_h5 as _open_h5
from .calibration import CalibrationFile
from .ensemble import EnsembleFile
from .run import RunFile, Survey
from .sensitivity import SensitivityFile

__all__ = ["open", "kind", "FileError", "RunFile", "Survey", "EnsembleFile",
           "CalibrationFile", "SensitivityFile"]

READERS = {"run": RunFile, "ensemble": EnsembleFile, "sweep": EnsembleFile,
           "calibration": CalibrationFile, "sensitivity": SensitivityFile}


def kind(path) -> str:
    """The kind of a tipsim file: `run`, `ensemble`, `sweep`, `calibration`, `sensitivity`."""
    with _open_h5(path) as f:
        return _file_kind(f)


def open(path):  # noqa: A001 - the package's entry point, as h5py.File or pandas.read_*
    """The reader for the file at `path`, chosen by its kind. Raises FileError for a file
    that is missing, not tipsim's, or of a schema version this package does not know."""
    f = _open_h5(path)
    try:
        k = _file_kind(f)
        if k not in READERS:
            raise FileError(f"{path}: a tipsim file of kind {k!r}, which this package does "
                            f"not read (it reads {', '.join(sorted(READERS))})")
        return READERS[k](f)
    except BaseException:
        f.close()
        raise
