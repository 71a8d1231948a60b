"""The women moved along each route (`RunFile.routes`) and the map of the corridor drawn
from them: the numbers account for every woman who departed, and the figure's artists hold
the file's routes and the scenario's coordinates."""
import math
import shutil
import warnings

import h5py
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

import tipsim
from conftest import SOURCE, tipsim as run_tipsim
from tipsim.corridor import corridor_map, coordinates

SMALL = f"{SOURCE}/tests/cli/data/small.yaml"


def route_lines(ax):
    return {l.get_gid()[len("route "):]: l for l in ax.get_lines()
            if (l.get_gid() or "").startswith("route ")}


def markers(ax):
    """(longitude, latitude) of every marker, by the kind its collection is labelled with."""
    out = {}
    for c in ax.collections:
        if isinstance(c, PathCollection):
            out[c.get_label()] = [tuple(xy) for xy in c.get_offsets()]
    return out


def test_routes_account_for_every_woman_who_departed(files):
    """Women are counted on a route when they complete a leg along it, and counted again as
    intercepted when stopped at that leg's end; a group stopped as it leaves its origin
    travels no route. With S the women stopped at their origin and L those still on their
    first leg at the end (0 <= L <= the last in_transit), and no path passing through an
    origin or a site on its way:
      routes leaving an origin:  sum women_moved = departed - S - L
      routes into a site:        sum (women_moved - women_intercepted) = arrived_at_sites
      all routes:                sum women_intercepted = exit_intercepted_in_transit - S"""
    with tipsim.open(files["run"]) as run:
        routes = run.routes()
        places = run.places().set_index("name")
        series = run.series()
        events = run.events()
        scenario_routes = run.scenario["routes"]
    assert list(routes.columns) == ["from", "to", "days_mean", "cost_fcfa", "women_moved",
                                    "women_intercepted"]
    assert list(zip(routes["from"], routes["to"])) == [(r["from"], r["to"])
                                                      for r in scenario_routes]
    assert list(routes.days_mean) == [r["days_mean"] for r in scenario_routes]
    assert list(routes.cost_fcfa) == [r["cost_fcfa"] for r in scenario_routes]
    assert (routes.women_intercepted <= routes.women_moved).all()

    kind_from = places.kind[routes["from"]].to_numpy()
    kind_to = places.kind[routes["to"]].to_numpy()
    stopped = events[(events.type == "intercepted")
                     & events.place.astype(str).map(places.kind).eq("origin")]
    s, in_transit_at_end = len(stopped), int(series.in_transit.iloc[-1])
    departed = int(series.departed.sum())
    from_origins = int(routes.women_moved[kind_from == "origin"].sum())
    assert departed - s - in_transit_at_end <= from_origins <= departed - s
    assert from_origins > 1000
    into_sites = routes[kind_to == "site"]
    assert int((into_sites.women_moved - into_sites.women_intercepted).sum()) == \
        int(series.arrived_at_sites.sum())
    assert int(routes.women_intercepted.sum()) == \
        int(series.exit_intercepted_in_transit.sum()) - s
    # What reaches a hub and is not stopped there leaves it, but for the women on the road.
    for hub in places.index[places.kind.isin(["transit", "border"])]:
        arriving = routes[routes["to"] == hub]
        leaving = routes[routes["from"] == hub]
        kept = int((arriving.women_moved - arriving.women_intercepted).sum()
                   - leaving.women_moved.sum())
        assert 0 <= kept <= in_transit_at_end, hub


def test_no_recruitment_moves_nobody_along_any_route(tmp_path):
    out = str(tmp_path / "none.h5")
    run_tipsim("run", SMALL, "-o", out, "-q", "--set", "recruitment.approaches_per_day=0")
    with tipsim.open(out) as run:
        routes = run.routes()
    assert len(routes) == 5
    assert (routes.women_moved == 0).all() and (routes.women_intercepted == 0).all()


def test_the_map_draws_one_line_per_route_as_wide_as_the_women_moved(files):
    with tipsim.open(files["run"]) as run:
        routes = run.routes()
        fig = corridor_map(run, min_width=0.5, max_width=8.0)
        title = f"Women moved along the corridor, {run.start.date()} - {run.end.date()}"
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == title
    lines = route_lines(ax)
    assert len(lines) == len(routes)
    widths = np.array([lines[f"{r['from']} -> {r['to']}"].get_linewidth()
                       for _, r in routes.iterrows()])
    moved = routes.women_moved.to_numpy()
    order = np.argsort(moved, kind="stable")
    assert (np.diff(widths[order]) >= 0).all()
    assert (np.diff(widths[order])[np.diff(moved[order]) > 0] > 0).all()
    assert widths.max() == pytest.approx(8.0)
    assert widths[moved.argmax()] == pytest.approx(8.0)
    np.testing.assert_allclose(widths[moved > 0], 0.5 + 7.5 * moved[moved > 0] / moved.max())
    # Routes nobody took are thin and grey (the default scenario has some).
    assert (moved == 0).any()
    for i in np.flatnonzero(moved == 0):
        line = lines[f"{routes['from'][i]} -> {routes['to'][i]}"]
        assert line.get_linewidth() == pytest.approx(0.5)
        assert line.get_color() == "#BBBBBB"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"line width: women moved, widest = {moved.max():,}" in legend
    assert {"origin", "transit", "border", "site", "destination"} <= set(legend)


def test_the_map_puts_each_place_at_its_coordinates_with_its_name(files):
    with tipsim.open(files["run"]) as run:
        where = coordinates(run.scenario)
        places = run.places()
        fig = corridor_map(run)
    ax = fig.axes[0]
    assert len(where) == len(places)  # the default scenario gives every place coordinates
    drawn = markers(ax)
    assert sum(len(v) for v in drawn.values()) == len(places)
    for kind, group in places.groupby("kind"):
        assert sorted(drawn[kind]) == sorted(where[n] for n in group.name), kind
    # Route lines join their places' coordinates.
    line = route_lines(ax)["Lagos -> Cotonou"]
    assert list(zip(line.get_xdata(), line.get_ydata())) == [where["Lagos"], where["Cotonou"]]
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts) == sorted(places.name)
    # Degrees of longitude shrunk by the cosine of the middle latitude.
    middle = math.radians(sum(ax.get_ylim()) / 2)
    assert ax.get_aspect() == pytest.approx(1 / math.cos(middle))
    lon, lat = np.array(list(where.values())).T
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < lon.min() and lon.max() < x1 and y0 < lat.min() and lat.max() < y1


def test_the_map_draws_into_a_given_axes(files):
    fig = Figure()
    ax = fig.add_subplot()
    with tipsim.open(files["run"]) as run:
        assert corridor_map(run, ax=ax) is fig
    assert len(route_lines(ax)) > 0


def test_places_without_coordinates_are_left_out_with_a_warning(tmp_path):
    out = str(tmp_path / "partial.h5")
    given = {0: (6.34, 5.63), 2: (12.65, -8.0), 3: (12.88, -11.38), 4: (13.03, -12.03)}
    sets = []
    for i, (lat, lon) in given.items():
        sets += ["--set", f"places.{i}.latitude={lat}", "--set", f"places.{i}.longitude={lon}"]
    run_tipsim("run", SMALL, "-o", out, "-q", *sets)
    with tipsim.open(out) as run:
        with pytest.warns(UserWarning, match="2 place\\(s\\) without coordinates left off "
                                             "the map: Kayes, Bantaco"):
            fig = corridor_map(run)
    ax = fig.axes[0]
    assert sorted(sum(markers(ax).values(), [])) == sorted((lon, lat)
                                                          for lat, lon in given.values())
    assert set(route_lines(ax)) == {"Edo -> Bamako", "Bamako -> Moussala",
                                    "Moussala -> Khossanto"}
    assert sorted(t.get_text() for t in ax.texts) == ["Bamako", "Edo", "Khossanto", "Moussala"]


def test_a_run_without_any_coordinates_cannot_be_drawn(tmp_path):
    out = str(tmp_path / "bare.h5")
    run_tipsim("run", SMALL, "-o", out, "-q")
    with tipsim.open(out) as run, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="no place of the scenario has coordinates"):
            corridor_map(run)


def test_a_schema_3_file_has_no_routes_to_read_or_draw(files, tmp_path):
    old = str(tmp_path / "schema3.h5")
    shutil.copy(files["run"], old)
    with h5py.File(old, "r+") as f:
        del f["routes"]
        f.attrs["schema_version"] = 3
    with tipsim.open(old) as run:
        assert run.schema_version == 3
        assert run.series().departed.sum() > 0  # the rest reads as before
        with pytest.raises(KeyError, match="schema3.h5: no /routes in this run file "
                                           "\\(schema version 3; .*rerun its scenario"):
            run.routes()
        with pytest.raises(KeyError, match="no /routes"):
            corridor_map(run)
