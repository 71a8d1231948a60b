"""Every figure on small real files: the artists hold the file's numbers, not just 'no
exception'."""
import json

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure

import tipsim
from conftest import KEDOUGOU, tipsim_json
from tipsim import plots

WINDOW = "2021-01-01:2025-12-31"


def lines(ax):
    return [l for l in ax.get_lines()]


def test_over_time_of_an_ensemble_draws_each_scenarios_median_and_bands(files):
    with tipsim.open(files["ensemble"]) as e:
        fig = plots.over_time(e, "trafficked_at_sites")
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        medians = [l for l in lines(ax) if l.get_label().endswith("(median)")]
        assert [l.get_label() for l in medians] == ["no_programme (median)",
                                                   "kedougou (median)"]
        wide = e.series("kedougou", ["trafficked_at_sites"]).pivot(
            index="date", columns="replicate", values="value")
        np.testing.assert_allclose(medians[1].get_ydata(), wide.median(axis=1).to_numpy())
        # A 50% and a 90% band per scenario, and the programme's span shaded.
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == 4
        assert any(p.get_label() == "interventions active" for p in ax.patches)


def test_over_time_of_a_run_is_its_series(files):
    with tipsim.open(files["run"]) as run:
        fig = plots.over_time(run, "recruited", start="2021-01-01", end="2021-12-31")
        (line,) = [l for l in lines(fig.axes[0]) if l.get_label() == "kedougou"]
        np.testing.assert_array_equal(line.get_ydata(),
                                      run.series().recruited.loc["2021"].to_numpy())


def test_differences_draw_each_what_ifs_interval(files):
    with tipsim.open(files["ensemble"]) as e:
        fig = plots.differences(e, "no_programme", "totals.victims_removed", WINDOW)
        ax = fig.axes[0]
        d = e.paired_differences("no_programme", "kedougou", WINDOW).loc["totals.victims_removed"]
        thick = [l for l in lines(ax) if l.get_linewidth() == 4]
        np.testing.assert_allclose(thick[0].get_xdata(), [d.mean_ci_low, d.mean_ci_high])
        assert [t.get_text() for t in ax.get_yticklabels()] == ["kedougou"]


def test_cost_effectiveness_plane_places_each_scenario_and_the_frontier(files):
    with tipsim.open(files["ensemble"]) as e:
        ce = e.cost_effectiveness("no_programme", WINDOW)
        fig = plots.cost_effectiveness_plane(e, "no_programme", WINDOW)
        ax = fig.axes[0]
        points = np.vstack([c.get_offsets() for c in ax.collections
                            if isinstance(c, PathCollection)])
        expected = np.c_[ce.victims_removed, ce.spend_fcfa / 1e6]
        assert sorted(map(tuple, points)) == pytest.approx(sorted(map(tuple, expected)))
        assert {t.get_text() for t in ax.texts} == set(ce.scenario)


def test_cost_effectiveness_equals_the_command(files):
    with tipsim.open(files["ensemble"]) as e:
        ce = e.cost_effectiveness("no_programme", WINDOW)
    doc = tipsim_json("compare", files["ensemble"], "--base", "no_programme", "--from",
                      "2021-01-01", "--to", "2025-12-31", "--json")
    assert doc["cost_effectiveness_replicates"] == ce.attrs["replicates"]
    for row, expected in zip(ce.itertuples(), doc["cost_effectiveness"]):
        assert row.scenario == expected["scenario"]
        for key in ("spend_fcfa", "victims_removed", "victim_days_exploited",
                    "victim_days_averted", "recruited", "recruitment_averted"):
            assert getattr(row, key) == pytest.approx(expected[key], rel=1e-12), key
        for measure in ("by_victims_removed", "by_victim_days_averted",
                        "by_recruitment_averted"):
            assert getattr(row, measure) == expected[measure]["status"]


def test_classification_of_known_strategies():
    # B dominates C (cheaper, better); D is extendedly dominated between A and E.
    cost = [0, 10, 12, 30, 40]
    effect = [0, 10, 9, 12, 30]
    status = [x["status"] for x in tipsim.ensemble.classify_cost_effectiveness(cost, effect)]
    assert status == ["frontier", "frontier", "dominated", "extendedly_dominated", "frontier"]
    icer = [x["icer"] for x in tipsim.ensemble.classify_cost_effectiveness(cost, effect)]
    assert icer[1] == pytest.approx(1.0) and icer[4] == pytest.approx(30 / 20)


def test_survey_estimates_sit_at_the_files_values(files):
    with tipsim.open(files["run"]) as run:
        fig = plots.survey_estimates(run)
        assert len(fig.axes) == len(run.surveys())
        ax = fig.axes[0]
        survey = run.survey("baseline_2021")
        truth = [l for l in lines(ax) if l.get_marker() == "D"]
        expected = [survey.truth] + [survey.truth_by_department()[d] for d in run.departments]
        np.testing.assert_allclose([l.get_ydata()[0] for l in truth], expected)
        est = survey.estimates()
        rds = est[est.estimator == "rds_ii"].value.to_numpy()
        drawn = [l.get_ydata()[0] for l in lines(ax)
                 if l.get_marker() == "o" and l.get_color() == plots.PALETTE[1]]
        np.testing.assert_allclose(sorted(drawn), sorted(rds))


def test_calibration_figures(files):
    with tipsim.open(files["calibration"]) as cal:
        fig = plots.calibration_marginals(cal)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        assert len(visible) == 2
        post = cal.posterior()
        for ax, path in zip(visible, cal.paths):
            medians = [l.get_xdata()[0] for l in lines(ax)]
            assert post.loc[path, "median"] in medians
        fig = plots.calibration_pairs(cal)
        assert len(fig.axes) == 4
        last = cal.particles(cal.generation_numbers()[-1])
        dots = np.concatenate([l.get_xdata() for l in lines(fig.axes[1])])
        np.testing.assert_allclose(np.sort(dots), np.sort(last[cal.paths[1]]))


def test_target_fit_places_each_reported_value(files):
    fit = tipsim_json("fit", files["ensemble"],
                      str(__import__("pathlib").Path(KEDOUGOU).parent / "targets" /
                          "kedougou.yaml"), "--json")
    fig = plots.target_fit(fit, "kedougou")
    ax = fig.axes[0]
    entry = next(c for c in fit["cells"] if c["cell"] == "kedougou")
    targets = [t for t in entry["targets"] if t["simulated_low"] is not None]
    assert [t.get_text() for t in ax.get_yticklabels()] == [t["name"] for t in targets]
    diamonds = [l.get_xdata()[0] for l in lines(ax) if l.get_marker() == "D"]
    t = targets[0]
    span = (t["simulated_high"] - t["simulated_low"]) or 1.0
    assert diamonds[0] == pytest.approx((t["target"] - t["simulated_low"]) / span)
    with pytest.raises(ValueError, match="of an ensemble"):
        plots.target_fit({"targets": []})


def test_sensitivity_figures(files):
    with tipsim.open(files["morris"]) as sa:
        fig = plots.morris(sa, "totals.recruited")
        ix = sa.indices("totals.recruited")
        ax = fig.axes[0]
        (points,) = [l for l in lines(ax) if l.get_marker() == "o"]
        np.testing.assert_allclose(points.get_xdata(), ix.mu_star)
        np.testing.assert_allclose(points.get_ydata(), ix.sigma)
        with pytest.raises(ValueError, match="not Sobol"):
            plots.sobol(sa)
    with tipsim.open(files["sobol"]) as sa:
        fig = plots.sobol(sa, "totals.victims_removed")
        ix = sa.indices("totals.victims_removed").sort_values("total")
        widths = [p.get_width() for p in fig.axes[0].patches]
        np.testing.assert_allclose(widths[:len(ix)], ix.total)
        np.testing.assert_allclose(widths[len(ix):], ix["first"])
