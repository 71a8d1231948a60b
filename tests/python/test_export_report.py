"""CSV export round trips, and the HTML report: self-contained, with the files' numbers,
refusing what would lose data."""
import html
import os
import re
import subprocess

import numpy as np
import pandas as pd
import pytest

import tipsim
from conftest import BIN, SOURCE, tipsim as run_tipsim, tipsim_json
from tipsim.export import export_csv

PY = ["/usr/bin/python3", "-m", "tipsim"]
ENV = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "analysis", "python"), MPLBACKEND="Agg")


@pytest.mark.parametrize("kind", ["run", "ensemble", "sweep", "calibration", "morris",
                                  "sobol"])
def test_every_table_round_trips_through_csv(files, tmp_path, kind):
    with tipsim.open(files[kind]) as f:
        tables = f.tables()
        written = export_csv(f, tmp_path / kind)
    assert len(written) == len(tables)
    for (name, table), path in zip(tables.items(), written):
        back = pd.read_csv(path, float_precision="round_trip")
        assert list(back.columns) == [str(c) for c in table.columns], name
        assert len(back) == len(table), name
        for column in table.columns:
            original = table[column]
            if pd.api.types.is_numeric_dtype(original) and not pd.api.types.is_bool_dtype(
                    original):
                # Exact in the table's own type (float32 ages are written as float32).
                np.testing.assert_array_equal(
                    back[str(column)].to_numpy().astype(original.dtype), original.to_numpy(),
                    err_msg=f"{name}.{column}")


def test_export_from_the_command_line(files, tmp_path):
    r = subprocess.run([*PY, "export", files["run"], "--csv", str(tmp_path)], env=ENV,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    series = pd.read_csv(tmp_path / "series.csv", parse_dates=["date"])
    with tipsim.open(files["run"]) as run:
        assert series.recruited.sum() == run.totals()["recruited"]
    r = subprocess.run([*PY, "export", str(tmp_path / "missing.h5"), "--csv", str(tmp_path)],
                       env=ENV, capture_output=True, text=True)
    assert r.returncode == 3 and "no such file" in r.stderr


def text_of(document):
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


def test_the_report_is_one_self_contained_file(report_path):
    report = report_path.read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no scripts, no external links, images, fonts or stylesheets.
    assert "<script" not in report
    # (url(#id) refers inside the page; xmlns names are identifiers, never fetched.)
    for pattern in (r'\bsrc\s*=', r'<link\b', r'@import', r'url\((?!#)',
                    r'(?<!xmlns=")(?<!xmlns:xlink=")https?://'):
        assert not re.search(pattern, report), pattern
    assert report.count("<svg") >= 10


def test_the_reports_headline_and_table_hold_the_compare_numbers(files, report_path):
    report = report_path.read_text(encoding="utf-8")
    doc = tipsim_json("compare", files["ensemble"], "--base", "no_programme", "--from",
                      "2021-01-01", "--to", "2025-12-31", "--json")
    c = doc["comparisons"][0]["indicators"]["totals.victims_removed"]
    text = text_of(report)
    assert (f"kedougou removed {c['mean']:,.0f} more victims than no_programme" in text)
    assert f"95% confidence interval {c['mean_ci_low']:,.0f} to {c['mean_ci_high']:,.0f}" in text
    cost = doc["comparisons"][0]["cost_per_victim_removed"]
    assert f"{cost['value'] / 1e6:,.1f} million FCFA per extra victim removed" in text
    # Four replicates: the report says the intervals are rough.
    assert "only 4 replicates" in text


def test_the_report_covers_every_file_kind_given(files, report_path):
    report = report_path.read_text(encoding="utf-8")
    text = text_of(report)
    assert "Run: kedougou (seed 20211115)" in text
    assert "Calibration: calibration.h5" in text
    assert "Sensitivity (morris)" in text
    with tipsim.open(files["calibration"]) as cal:
        median = cal.posterior().loc["recruitment.base_acceptance", "median"]
    assert f"{median:.4g}" in text
    assert "Provenance" in text and "20211115" in text


def test_the_report_refuses_to_replace_its_inputs_or_a_folder(files, tmp_path):
    before = open(files["run"], "rb").read()
    r = run_tipsim("report", files["run"], "-o", files["run"], check=False)
    assert r.returncode == 2 and "is one of the files to report on" in r.stderr
    assert open(files["run"], "rb").read() == before
    r = run_tipsim("report", files["run"], "-o", str(tmp_path), check=False)
    assert r.returncode == 2 and "is a folder" in r.stderr
    r = run_tipsim("report", str(tmp_path / "missing.h5"), "-o", str(tmp_path / "r.html"),
                   check=False)
    assert r.returncode == 3 and not (tmp_path / "r.html").exists()
    # A file of no tipsim kind: an error, and an existing report is left as it was.
    (tmp_path / "r.html").write_text("kept")
    (tmp_path / "x.h5").write_text("not hdf5")
    r = run_tipsim("report", str(tmp_path / "x.h5"), "-o", str(tmp_path / "r.html"),
                   check=False)
    assert r.returncode == 3 and (tmp_path / "r.html").read_text() == "kept"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
