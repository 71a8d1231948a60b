"""The readers give what tipsim's own commands report for the same files."""
import math

import numpy as np
import pandas as pd
import pytest

import tipsim
from conftest import tipsim as run_tipsim, tipsim_json


def assert_same(expected, actual, path="", rel=1e-12):
    """Same document: same keys in the same order, equal values (numbers to `rel`)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert list(expected) == list(actual), f"{path}: keys {list(expected)} {list(actual)}"
        for k in expected:
            assert_same(expected[k], actual[k], f"{path}.{k}", rel)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(expected) == len(actual), path
        for i, (x, y) in enumerate(zip(expected, actual)):
            assert_same(x, y, f"{path}[{i}]", rel)
    elif isinstance(expected, float) or isinstance(actual, float):
        assert expected is not None and actual is not None, f"{path}: {expected} {actual}"
        assert math.isclose(expected, actual, rel_tol=rel, abs_tol=rel), \
            f"{path}: {expected} != {actual}"
    else:
        assert expected == actual, f"{path}: {expected!r} != {actual!r}"


def test_open_picks_the_reader_of_the_files_kind(files):
    expected = {"run": tipsim.RunFile, "ensemble": tipsim.EnsembleFile,
                "sweep": tipsim.EnsembleFile, "calibration": tipsim.CalibrationFile,
                "morris": tipsim.SensitivityFile}
    for key, cls in expected.items():
        with tipsim.open(files[key]) as f:
            assert isinstance(f, cls)
    assert tipsim.kind(files["sweep"]) == "sweep"
    assert tipsim.kind(files["calibration"]) == "calibration"


def test_a_run_summary_equals_the_commands(files):
    with tipsim.open(files["run"]) as run:
        assert_same(tipsim_json("summary", files["run"], "--json"), run.summary())
        window = ("2021-01-01", "2025-12-31")
        assert_same(tipsim_json("summary", files["run"], "--json", "--from", window[0],
                                "--to", window[1]), run.summary(*window))


def test_run_tables_are_decoded_and_consistent(files):
    with tipsim.open(files["run"]) as run:
        series = run.series()
        assert series.index[0] == run.start and series.index[-1] == run.end
        assert series.index.name == "date"
        # The totals are the series summed: one layout, read one way.
        assert run.totals()["recruited"] == series.recruited.sum()
        by_site = run.series(by_site=True)
        assert list(by_site.columns.names) == ["series", "site"]
        assert set(by_site["trafficked"].columns) == set(run.sites)
        np.testing.assert_array_equal(by_site["trafficked"].sum(axis=1),
                                      series.trafficked_at_sites)
        events = run.events()
        assert "arrested" in events.type.cat.categories
        assert (events.type == "recruited").sum() == series.recruited.sum()
        obs = run.observations()
        assert set(obs.department) == set(run.departments)
        victims = run.victims("country")
        assert victims.sum(axis=1).tolist() == run.victims("age").sum(axis=1).tolist()
        snap = run.snapshot(run.snapshot_dates()[0])
        assert (snap.status == "exploited").sum() == \
            series.trafficked_at_sites[run.snapshot_dates()[0]]
        iv = run.intervention_series()
        assert iv["spend_fcfa"].to_numpy().sum() == run.totals()["spend_fcfa"]
        assert list(run.interventions().name) == list(iv["spend_fcfa"].columns)
        assert run.scenario["name"] == "kedougou"
        assert "scenario_text" in run.provenance


def test_a_surveys_tables(files):
    with tipsim.open(files["run"]) as run:
        survey = run.survey("baseline_2021")
        r = survey.respondents()
        assert len(r) == 561
        assert r.classified_trafficked.dtype == bool
        est = survey.estimates()
        whole = est[(est.department == "") & (est.estimator == "sample")]
        # The sample estimate is the share the instrument classifies.
        assert whole.value.iloc[0] == pytest.approx(r.classified_trafficked.mean())
        with pytest.raises(KeyError, match="no survey 'nope'; there are baseline_2021"):
            run.survey("nope")


def test_an_ensemble_summary_and_paired_differences_equal_the_commands(files):
    with tipsim.open(files["ensemble"]) as e:
        assert_same(tipsim_json("summary", files["ensemble"], "--json"), e.summary())
        window = "2021-01-01:2025-12-31"
        c = tipsim_json("compare", files["ensemble"], "--base", "no_programme", "--from",
                        "2021-01-01", "--to", "2025-12-31", "--json")
        expected = c["comparisons"][0]["indicators"]
        d = e.paired_differences("no_programme", "kedougou", window)
        assert sorted(expected) == sorted(d.index)
        for name, row in expected.items():
            actual = {k: (None if isinstance(v, float) and math.isnan(v) else v)
                      for k, v in d.loc[name].items()}
            actual["n"] = int(actual["n"])
            # The t quantile comes from scipy here and Boost there: equal to 1e-8.
            assert_same(row, {k: actual[k] for k in row}, name, rel=1e-8)


def test_ensemble_tables(files):
    with tipsim.open(files["ensemble"]) as e:
        ind = e.indicators()
        assert len(ind) == 8 and set(ind.cell) == {"no_programme", "kedougou"}
        name = "totals.victims_removed@2021-01-01:2025-12-31"
        np.testing.assert_array_equal(
            ind[ind.cell == "kedougou"].sort_values("replicate")[name],
            e.by_replicate("kedougou", name))
        bands = e.bands("kedougou", "trafficked_at_sites")
        long = e.series("kedougou", ["trafficked_at_sites"])
        day = bands.index[1000]
        values = long[long.date == day].value.to_numpy()
        np.testing.assert_allclose(bands.loc[day].to_numpy(),
                                   np.quantile(values, [0.025, 0.1, 0.5, 0.9, 0.975]))
        assert e.manifest().status.eq("done").all()


def test_a_sweeps_points_are_columns(files):
    with tipsim.open(files["sweep"]) as s:
        assert s.kind == "sweep"
        ind = s.indicators(["totals.recruited"])
        assert sorted(ind["recruitment.base_acceptance"].unique()) == [0.04, 0.08]
        assert_same(tipsim_json("summary", files["sweep"], "--json"), s.summary())


def test_a_calibration_equals_the_command(files):
    with tipsim.open(files["calibration"]) as c:
        assert_same(tipsim_json("summary", files["calibration"], "--json"), c.summary())
        p = c.particles()
        assert list(p.columns[:3]) == ["generation", "weight", "distance"]
        assert p.groupby("generation").weight.sum().to_numpy() == pytest.approx([1, 1])
        last = p[p.generation == p.generation.max()]
        mean = np.average(last["recruitment.base_acceptance"], weights=last.weight)
        assert c.posterior().loc["recruitment.base_acceptance", "mean"] == pytest.approx(mean)


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_a_sensitivity_analysis_equals_the_command(files, method):
    with tipsim.open(files[method]) as s:
        assert s.method == method
        assert_same(tipsim_json("summary", files[method], "--json"), s.summary())
        assert set(s.indices().output) == {"totals.victims_removed", "totals.recruited"}


def test_files_of_no_or_an_unknown_kind_or_version_are_refused(files, tmp_path):
    import h5py
    with pytest.raises(tipsim.FileError, match="no such file"):
        tipsim.open(tmp_path / "missing.h5")
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(tipsim.FileError, match="not an HDF5 file"):
        tipsim.open(text)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["x"] = 1
    with pytest.raises(tipsim.FileError, match="not a tipsim file"):
        tipsim.open(other)
    future = tmp_path / "future.h5"
    import shutil
    shutil.copy(files["run"], future)
    with h5py.File(future, "a") as f:
        f.attrs["schema_version"] = 99
    with pytest.raises(tipsim.FileError, match="run schema version 99; this reader knows 3"):
        tipsim.open(future)
    strange = tmp_path / "strange.h5"
    with h5py.File(strange, "w") as f:
        f.attrs["file_kind"] = "spreadsheet"
    with pytest.raises(tipsim.FileError, match="kind 'spreadsheet'"):
        tipsim.open(strange)
