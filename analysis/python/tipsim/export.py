"""Tables of any tipsim file as CSV, for spreadsheets: one file per table (UTF-8, comma
separated, dates as YYYY-MM-DD, a header row), named after the table."""
from __future__ import annotations

import os
import re


def export_csv(reader, directory) -> list[str]:
    """Writes every table of `reader` (`reader.tables()`) into `directory` (created if
    needed) and returns the paths written, in the tables' order."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for name, table in reader.tables().items():
        # Survey and snapshot names become file names: keep them to safe characters.
        path = os.path.join(directory, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".csv")
        table.to_csv(path, index=False, date_format="%Y-%m-%d")
        written.append(path)
    return written
