"""A map of the corridor: every place at its coordinates and every route drawn between its
ends, as wide as the women moved along it over the run (`/routes` of a run file, schema
version 4). The scenario's `latitude` and `longitude` of each place are the whole map: no
tiles, no borders, nothing downloaded.

    from tipsim.corridor import corridor_map
    corridor_map(tipsim.open("results/kedougou.h5")).savefig("corridor.svg")"""
from __future__ import annotations

import math
import warnings

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

# Marker and colour of each kind of place (Okabe-Ito colours, as tipsim.plots).
KIND_STYLE = {
    "origin": ("o", "#D55E00"),
    "transit": ("s", "#0072B2"),
    "border": ("D", "#CC79A7"),
    "site": ("^", "#E69F00"),
    "destination": ("P", "#009E73"),
}
MARKER_SIZE = 28  # points squared
ROUTE_COLOUR = "#7A3B2E"
UNUSED_ROUTE_COLOUR = "#BBBBBB"
LABEL_SIZE = 6
# A label stays legible over a route line.
LABEL_BOX = dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.7)
# Where a label may go around its marker, in points, tried in this order.
LABEL_OFFSETS = ((4, 3, "left", "bottom"), (4, -3, "left", "top"), (-4, 3, "right", "bottom"),
                 (-4, -3, "right", "top"), (0, 6, "center", "bottom"), (0, -6, "center", "top"),
                 (7, 0, "left", "center"), (-7, 0, "right", "center"))
# From this many sites on, their labels, and those of the places among them, stand in a
# column beside them, each tied to its marker by a thin line: the sites cluster in one
# mining region, too close together to label in place.
SITE_COLUMN_FROM = 4
CLUSTER_MARGIN = 10  # points around the sites within which a place joins their column


def coordinates(scenario: dict) -> dict[str, tuple[float, float]]:
    """(longitude, latitude) of each place of a resolved scenario that has them."""
    out = {}
    for place in scenario.get("places") or []:
        lat, lon = place.get("latitude"), place.get("longitude")
        if lat is not None and lon is not None:
            out[place["name"]] = (float(lon), float(lat))
    return out


def route_widths(moved, min_width: float = 0.5, max_width: float = 8.0) -> np.ndarray:
    """Line widths in points: from `min_width` (a route barely used) to `max_width` (the
    route most used), in proportion to the women moved; `min_width` for unused routes."""
    moved = np.asarray(moved, dtype=float)
    widest = moved.max() if moved.size else 0.0
    if widest <= 0:
        return np.full(moved.shape, float(min_width))
    return min_width + (max_width - min_width) * moved / widest


def corridor_map(run, ax=None, min_width: float = 0.5, max_width: float = 8.0) -> Figure:
    """The corridor of a run drawn at the places' coordinates (longitude across, latitude up,
    degrees, with the east-west scale shrunk by the cosine of the latitude so that distances
    are not stretched). Routes are lines as wide as the women moved along them; routes
    nobody took are thin and grey. Places are marked by kind and labelled; those without
    coordinates are left out, with a warning. Draws into `ax` when given; returns the
    figure. Raises KeyError for a run file without `/routes` (schema version 3)."""
    routes = run.routes()
    places = run.places()
    where = coordinates(run.scenario)
    missing = [n for n in places["name"] if n not in where]
    if missing:
        warnings.warn(f"{run.path}: {len(missing)} place(s) without coordinates left off the "
                      f"map: {', '.join(missing)}", stacklevel=2)
    shown = places[places["name"].isin(list(where))]
    if shown.empty:
        raise ValueError(f"{run.path}: no place of the scenario has coordinates "
                         "(places[].latitude and longitude) to draw")
    if ax is None:
        fig = Figure(figsize=(10.0, _height(np.array(list(where.values())), 10.0)),
                     layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure

    drawn = routes[routes["from"].isin(list(where)) & routes["to"].isin(list(where))]
    widths = route_widths(drawn["women_moved"].to_numpy(), min_width, max_width)
    # Thinner lines over wider ones, so that a busy route does not hide a quiet one.
    for order, i in enumerate(np.argsort(-widths, kind="stable")):
        r = drawn.iloc[i]
        (x0, y0), (x1, y1) = where[r["from"]], where[r["to"]]
        used = r["women_moved"] > 0
        line, = ax.plot([x0, x1], [y0, y1], lw=widths[i], solid_capstyle="round",
                        color=ROUTE_COLOUR if used else UNUSED_ROUTE_COLOUR,
                        alpha=0.75 if used else 1.0, zorder=1 + order / (len(drawn) + 1))
        line.set_gid(f"route {r['from']} -> {r['to']}")

    for kind, (marker, colour) in KIND_STYLE.items():
        of_kind = shown[shown["kind"] == kind]
        if of_kind.empty:
            continue
        xy = np.array([where[n] for n in of_kind["name"]])
        ax.scatter(xy[:, 0], xy[:, 1], s=MARKER_SIZE, marker=marker, color=colour,
                   edgecolors="white", linewidths=0.5, zorder=3, label=kind)

    _frame(ax, np.array([where[n] for n in shown["name"]]))
    ax.set_xlabel("longitude (degrees)")
    ax.set_ylabel("latitude (degrees)")
    ax.set_title(f"Women moved along the corridor, {run.start.date()} - {run.end.date()}")
    _legend(ax, drawn["women_moved"].to_numpy(), max_width, min_width)
    _label(fig, ax, shown, where)
    return fig


def _limits(xy: np.ndarray):
    """Longitudes and latitudes shown: the places with a margin."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    pad = 0.08 * np.maximum(hi - lo, 1.0)
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def _east_west_scale(latitudes) -> float:
    """Length of a degree of longitude over that of a degree of latitude, at the middle of
    the latitudes shown."""
    return max(math.cos(math.radians(float(np.mean(latitudes)))), 0.05)


def _height(xy: np.ndarray, width: float) -> float:
    """A figure height (inches) that fits the map's shape at this width."""
    (x0, x1), (y0, y1) = _limits(xy)
    shape = (y1 - y0) / ((x1 - x0) * _east_west_scale([y0, y1]))
    return float(np.clip(width * shape + 0.9, 3.5, 10.0))


def _frame(ax, xy: np.ndarray):
    """Limits around the places, and the aspect that keeps a kilometre east as long as a
    kilometre north at the map's middle latitude."""
    xlim, ylim = _limits(xy)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(1.0 / _east_west_scale(ylim))
    ax.grid(color="#EEEEEE", lw=0.5, zorder=0)


def _legend(ax, moved: np.ndarray, max_width: float, min_width: float):
    handles, labels = ax.get_legend_handles_labels()
    widest = int(moved.max()) if moved.size else 0
    handles.append(Line2D([], [], color=ROUTE_COLOUR, alpha=0.75, lw=max_width))
    labels.append(f"line width: women moved, widest = {widest:,}")
    if (moved == 0).any():
        handles.append(Line2D([], [], color=UNUSED_ROUTE_COLOUR, lw=min_width))
        labels.append("route nobody took")
    ax.legend(handles, labels, loc="lower left", fontsize=7, frameon=True, framealpha=0.9)


def _renderer(fig):
    """A renderer to measure text with, without touching pyplot's state."""
    try:
        return fig.canvas.get_renderer()
    except AttributeError:
        return fig._get_renderer()


def _overlap(box: Bbox, boxes: list[Bbox]) -> float:
    total = 0.0
    for other in boxes:
        w = min(box.x1, other.x1) - max(box.x0, other.x0)
        h = min(box.y1, other.y1) - max(box.y0, other.y0)
        if w > 0 and h > 0:
            total += w * h
    return total


def _label(fig, ax, shown, where):
    """Names beside the markers. Sites (when there are several) stand in a column beside
    their cluster, tied to their markers; every other label takes the first place around
    its marker where it covers no marker and no label already placed."""
    fig.draw_without_rendering()  # the layout, so that display coordinates are final
    renderer = _renderer(fig)
    to_display = ax.transData.transform
    points = fig.dpi / 72.0
    half = 3.5 * points  # half a marker, in pixels
    marker_boxes = {}
    for name in shown["name"]:
        x, y = to_display(where[name])
        marker_boxes[name] = Bbox.from_extents(x - half, y - half, x + half, y + half)
    placed: list[Bbox] = []

    sites = shown[shown["kind"] == "site"]["name"].tolist()
    in_column = []
    if len(sites) >= SITE_COLUMN_FROM:
        margin = CLUSTER_MARGIN * points
        cluster = Bbox.union([marker_boxes[n] for n in sites])
        cluster = Bbox.from_extents(cluster.x0 - margin, cluster.y0 - margin,
                                    cluster.x1 + margin, cluster.y1 + margin)
        in_column = [n for n in shown["name"]
                     if n in sites or cluster.contains(*to_display(where[n]))]
        placed += _column(fig, ax, renderer, in_column, where)

    for name in shown["name"]:
        if name in in_column:
            continue
        others = [b for n, b in marker_boxes.items() if n != name]
        best, best_cost = None, None
        for dx, dy, ha, va in LABEL_OFFSETS:
            text = ax.annotate(name, where[name], xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=LABEL_SIZE, zorder=4, bbox=LABEL_BOX)
            text.set_in_layout(False)
            box = text.get_window_extent(renderer)
            cost = _overlap(box, placed + others)
            if best is None or cost < best_cost:
                if best is not None:
                    best[0].remove()
                best, best_cost = (text, box), cost
            else:
                text.remove()
            if cost == 0:
                break
        placed.append(best[1])


def _column(fig, ax, renderer, sites, where) -> list[Bbox]:
    """Labels one above the other, north to south, beside their places (east of them if
    there is room in the axes, else west), each joined to its marker."""
    to_display = ax.transData.transform
    to_data = ax.transData.inverted().transform
    points = fig.dpi / 72.0
    xy = np.array([to_display(where[n]) for n in sites])
    order = np.argsort(-xy[:, 1], kind="stable")
    step = 1.35 * LABEL_SIZE * points
    height = step * (len(sites) - 1)
    axes_box = ax.get_window_extent(renderer)
    top = min(xy[:, 1].mean() + height / 2, axes_box.y1 - step)
    top = max(top, axes_box.y0 + height + step)
    gap = 24 * points
    east = xy[:, 0].max() + gap
    west = xy[:, 0].min() - gap
    widest = max(_text_width(ax, renderer, n) for n in sites)
    on_east = east + widest <= axes_box.x1 or west - widest < axes_box.x0
    column_x = east if on_east else west
    boxes = []
    for k, i in enumerate(order):
        name = sites[i]
        at = to_data((column_x, top - k * step))
        text = ax.annotate(name, where[name], xytext=at, textcoords="data",
                           ha="left" if on_east else "right", va="center",
                           fontsize=LABEL_SIZE, zorder=4, bbox=LABEL_BOX,
                           arrowprops=dict(arrowstyle="-", color="#888888", lw=0.4,
                                           shrinkA=1, shrinkB=2))
        text.set_in_layout(False)
        boxes.append(Text.get_window_extent(text, renderer))  # the words, not the line
    return boxes


def _text_width(ax, renderer, name: str) -> float:
    text = ax.text(0, 0, name, fontsize=LABEL_SIZE)
    width = text.get_window_extent(renderer).width
    text.remove()
    return width
