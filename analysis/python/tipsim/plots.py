"""Figures of tipsim's files, each returned as a matplotlib Figure (made without pyplot, so
they hold no global state and render on any backend): `fig.savefig("x.svg")`.

Every function takes the reader of a file (`tipsim.open`) and draws what the file holds;
docs/ANALYSIS.md shows each one on the default scenario."""
from __future__ import annotations

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure


# Colour-blind safe (Okabe-Ito), in the order scenarios are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
BAND_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def _figure(width=7.0, height=4.0) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _label(name: str) -> str:
    return name.replace("_", " ")


def corridor_map(run, **options) -> Figure:
    """The corridor drawn at the places' coordinates, routes sized by the women moved
    (tipsim.corridor)."""
    from .corridor import corridor_map as draw
    return draw(run, **options)


# --- an indicator over time -------------------------------------------------------------


def _stride(n: int, max_points: int | None) -> int:
    return 1 if not max_points or n <= max_points else int(np.ceil(n / max_points))


def _intervention_periods(scenario: dict) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    out = []
    for iv in scenario.get("interventions") or []:
        if iv.get("enabled", True) and iv.get("start") and iv.get("end"):
            out.append((iv["name"], pd.Timestamp(str(iv["start"])), pd.Timestamp(str(iv["end"]))))
    return out


def _shade_programme(ax, periods):
    """One shaded span from the first intervention's start to the last one's end, and a
    tick for each start: a programme's interventions overlap, so shading each would hide
    the data."""
    if not periods:
        return
    start = min(p[1] for p in periods)
    end = max(p[2] for p in periods)
    ax.axvspan(start, end, color="#999999", alpha=0.12, lw=0, label="interventions active")
    for _, s, _ in periods:
        ax.axvline(s, color="#999999", lw=0.6, ls=":")


def over_time(source, series: str, cells=None, start=None, end=None,
              shade_interventions: bool = True, max_points: int | None = None,
              cumulative: bool = False) -> Figure:
    """A daily series over time. For an ensemble: per scenario the median over replicates
    and its 50% and 90% bands (between-replicate quantiles of each day); for a run: its
    line. The span over which the drawn scenarios' interventions act is shaded. With
    `max_points`, every k-th day is drawn so that at most that many remain (lighter vector
    files; the report uses it). With `cumulative`, a flow is summed from `start` (each
    replicate's running total, then its quantiles)."""
    fig = _figure()
    ax = fig.add_subplot()
    periods = []
    if source.kind == "run":
        s = source.series()
        if series not in s:
            raise KeyError(f"{source.path}: no series {series!r}")
        s = s[series].loc[start:end]
        if cumulative:
            s = s.cumsum()
        s = s.iloc[::_stride(len(s), max_points)]
        ax.plot(s.index, s.to_numpy(), color=_colour(0), lw=1.2, label=source.scenario_name)
        periods = _intervention_periods(source.scenario)
        title = f"{_label(series)}, {source.scenario_name} (seed {source.seed})"
    else:
        names = source.cells if cells is None else list(cells)
        texts = source.provenance["scenario_text"]
        for i, cell in enumerate(names):
            long = source.series(cell, [series])
            if long.empty:
                continue
            wide = long.pivot(index="date", columns="replicate", values="value").loc[start:end]
            if cumulative:
                wide = wide.cumsum()
            wide = wide.iloc[::_stride(len(wide), max_points)]
            q = np.nanquantile(wide.to_numpy(), BAND_LEVELS, axis=1)
            c = _colour(i)
            ax.fill_between(wide.index, q[0], q[4], color=c, alpha=0.15, lw=0)
            ax.fill_between(wide.index, q[1], q[3], color=c, alpha=0.3, lw=0)
            ax.plot(wide.index, q[2], color=c, lw=1.3, label=f"{cell} (median)")
            scenario = yaml.safe_load(texts[source.scenario_of(cell)]) or {}
            periods += _intervention_periods(scenario)
        title = (f"{_label(series)}{', running total' if cumulative else ''}: median, 50% "
                 f"and 90% of {source.replicates} replicates each day")
    if shade_interventions:
        _shade_programme(ax, periods)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(_label(series) + (", running total" if cumulative else ""))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return fig


# --- what-ifs ---------------------------------------------------------------------------


def differences(ensemble, base: str, indicator: str = "totals.victims_removed",
                window: str | None = None) -> Figure:
    """Forest plot of the paired differences of every other scenario from `base`: the mean
    difference with the 95% confidence interval of the mean (thick) and the range of 95% of
    single replicates (thin)."""
    others = [c for c in ensemble.cells if c != base]
    rows = []
    for cell in others:
        d = ensemble.paired_differences(base, cell, window)
        if indicator not in d.index:
            raise KeyError(f"{ensemble.path}: no indicator {indicator!r}")
        rows.append(d.loc[indicator])
    fig = _figure(7.0, 0.45 * len(others) + 1.4)
    ax = fig.add_subplot()
    y = np.arange(len(others))[::-1]
    for yi, r in zip(y, rows):
        ax.plot([r.q025, r.q975], [yi, yi], color="#777777", lw=1, solid_capstyle="butt")
        ax.plot([r.mean_ci_low, r.mean_ci_high], [yi, yi], color=_colour(0), lw=4,
                solid_capstyle="butt")
        ax.plot([r["mean"]], [yi], "o", color="white", mec=_colour(0), ms=6)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, others)
    ax.set_xlabel(f"{_label(indicator)}: difference from {base}")
    window_text = f" over {window.replace(':', ' to ')}" if window else ""
    ax.set_title(f"Paired differences from {base}{window_text}\nmean with 95% CI (thick), "
                 f"95% of {int(rows[0].n) if rows else 0} replicates (thin)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def cost_effectiveness_plane(ensemble, base: str, window: str | None = None) -> Figure:
    """Spend against victims removed per scenario (means over the paired replicates): the
    efficient frontier joined, dominated and extendedly dominated scenarios marked."""
    ce = ensemble.cost_effectiveness(base, window)
    fig = _figure(7.0, 4.6)
    ax = fig.add_subplot()
    style = {"frontier": ("o", _colour(0)), "extendedly_dominated": ("s", _colour(4)),
             "dominated": ("x", _colour(1)), "no_data": ("", "#999999")}
    for status, (marker, colour) in style.items():
        sub = ce[ce.by_victims_removed == status]
        if len(sub) and marker:
            ax.scatter(sub.victims_removed, sub.spend_fcfa / 1e6, marker=marker, color=colour,
                       s=40, label=_label(status), zorder=3)
    frontier = ce[ce.by_victims_removed == "frontier"].sort_values("spend_fcfa")
    ax.plot(frontier.victims_removed, frontier.spend_fcfa / 1e6, color=_colour(0), lw=1,
            zorder=2)
    _annotate_apart(ax, ce.victims_removed.to_numpy(), ce.spend_fcfa.to_numpy() / 1e6,
                    list(ce.scenario))
    ax.set_xlabel("victims removed (mean)")
    ax.set_ylabel("spend, million FCFA (mean)")
    window_text = f", {window.replace(':', ' to ')}" if window else ""
    ax.set_title(f"Cost-effectiveness plane{window_text} "
                 f"({ce.attrs['replicates']} paired replicates)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _annotate_apart(ax, x, y, labels, fontsize=7):
    """Labels beside points, moved down a line when they would sit on an earlier one (in
    axes fractions), so clustered scenarios stay readable."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    span_x = (np.nanmax(xs) - np.nanmin(xs)) or 1.0
    span_y = (np.nanmax(ys) - np.nanmin(ys)) or 1.0
    placed = []
    for i in np.argsort(-ys):
        fx, fy = (xs[i] - np.nanmin(xs)) / span_x, (ys[i] - np.nanmin(ys)) / span_y
        shift = 0
        while any(abs(fx - px) < 0.25 and abs(fy - shift * 0.045 - py) < 0.04
                  for px, py in placed):
            shift += 1
        placed.append((fx, fy - shift * 0.045))
        ax.annotate(labels[i], (xs[i], ys[i]), fontsize=fontsize,
                    xytext=(4, 3 - 10 * shift), textcoords="offset points",
                    arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#999999"}
                    if shift else None)


# --- surveys ----------------------------------------------------------------------------


def survey_estimates(run, estimators=("sample", "rds_ii", "ss")) -> Figure:
    """Each survey's estimates of the trafficked share with their intervals beside the
    truth, for the whole survey population and each department: one panel per survey."""
    surveys = [s for s in run.surveys() if s.complete]
    if not surveys:
        raise ValueError(f"{run.path}: no survey completed its fieldwork")
    fig = _figure(3.4 * len(surveys) + 0.6, 3.8)
    axes = fig.subplots(1, len(surveys), sharey=True, squeeze=False)[0]
    for ax, survey in zip(axes, surveys):
        est = survey.estimates()
        scopes = [""] + [d for d in run.departments if (est.department == d).any()]
        truth = survey.truth_by_department()
        used = [e for e in estimators if (est.estimator == e).any()]
        width = 0.8 / (len(used) + 1)
        for k, estimator in enumerate(used):
            for j, scope in enumerate(scopes):
                row = est[(est.estimator == estimator) & (est.department == scope)]
                if row.empty or np.isnan(row.value.iloc[0]):
                    continue
                r = row.iloc[0]
                x = j + (k - len(used) / 2) * width
                ax.errorbar([x], [r.value], yerr=[[r.value - r.ci_low], [r.ci_high - r.value]],
                            fmt="o", color=_colour(k), ms=4, capsize=2,
                            label=estimator if j == 0 else None)
        for j, scope in enumerate(scopes):
            t = survey.truth if scope == "" else truth[scope]
            x = j + (len(used) / 2) * width
            ax.plot([x], [t], marker="D", color="black", ms=5,
                    label="truth" if j == 0 else None, ls="none")
        ax.set_xticks(range(len(scopes)), ["all" if s == "" else s for s in scopes])
        ax.set_title(f"{survey.name} ({survey.design}, n = {len(survey.respondents())})",
                     fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("share trafficked")
    axes[0].legend(fontsize=7)
    return fig


def survey_estimates_over_runs(ensemble, estimator: str = "rds_ii", cells=None) -> Figure:
    """For an ensemble: each survey's estimate (median and 90% of the replicates) beside the
    truth (the same), per scenario, for the whole survey population and each department."""
    names = ensemble.indicator_names
    surveys = sorted({n.split(".")[1] for n in names
                      if n.startswith("surveys.") and n.endswith(f".estimates.{estimator}.value")})
    if not surveys:
        raise ValueError(f"{ensemble.path}: no survey with the {estimator} estimator")
    cells = ensemble.cells if cells is None else list(cells)
    fig = _figure(3.6 * len(surveys) + 2.2, 3.8)
    axes = fig.subplots(1, len(surveys), sharey=True, squeeze=False)[0]
    for ax, survey in zip(axes, surveys):
        departments = sorted({n.split(".")[3] for n in names
                              if n.startswith(f"surveys.{survey}.by_department.")
                              and n.endswith(f".{estimator}.value")})
        scopes = [("all", f"surveys.{survey}.estimates.{estimator}.value",
                   f"surveys.{survey}.truth")] + [
            (d, f"surveys.{survey}.by_department.{d}.{estimator}.value",
             f"surveys.{survey}.by_department.{d}.truth") for d in departments]
        width = 0.8 / (2 * len(cells))
        for i, cell in enumerate(cells):
            for j, (scope, estimate, truth) in enumerate(scopes):
                for k, (key, marker) in enumerate(((estimate, "o"), (truth, "D"))):
                    v = ensemble.by_replicate(cell, key)
                    v = v[~np.isnan(v)]
                    if v.size == 0:
                        continue
                    lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95])
                    x = j + (2 * i + k - len(cells)) * width + width / 2
                    ax.errorbar([x], [med], yerr=[[med - lo], [hi - med]], fmt=marker,
                                color=_colour(i), mfc="white" if k else _colour(i), ms=4,
                                capsize=2, label=(f"{cell}: {'truth' if k else estimator}"
                                                  if j == 0 else None))
        ax.set_xticks(range(len(scopes)), [s[0] for s in scopes])
        ax.set_title(survey, fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("share trafficked")
    axes[-1].legend(*axes[0].get_legend_handles_labels(), loc="upper left",
                    bbox_to_anchor=(1.02, 1.0), fontsize=7)
    fig.suptitle(f"Survey estimates ({estimator}) and the truth: median and 90% of "
                 f"{ensemble.replicates} replicates", fontsize=10)
    return fig


# --- calibration ------------------------------------------------------------------------


def calibration_marginals(cal, bins: int = 20) -> Figure:
    """Each parameter's weighted distribution: the first generation (drawn from the prior)
    shaded, the generations between as thin lines, the last bold, with its median and 90%
    interval."""
    p = cal.particles()
    params = cal.parameters()
    post = cal.posterior()
    gens = sorted(p.generation.unique())
    n = len(cal.paths)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig = _figure(3.2 * cols, 2.5 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, path in zip(axes, cal.paths):
        lo, hi = params.loc[path, "lower"], params.loc[path, "upper"]
        # Unbounded or far bounds: the particles' own range.
        lo = max(lo, p[path].min()) if np.isfinite(lo) else p[path].min()
        hi = min(hi, p[path].max()) if np.isfinite(hi) else p[path].max()
        edges = np.linspace(lo, hi, bins + 1)
        for g in gens:
            sub = p[p.generation == g]
            if g == gens[0]:
                ax.hist(sub[path], bins=edges, weights=sub.weight, color="#BBBBBB",
                        label=f"generation {g}")
            elif g == gens[-1]:
                ax.hist(sub[path], bins=edges, weights=sub.weight, histtype="step",
                        color=_colour(0), lw=1.8, label=f"generation {g}")
            else:
                ax.hist(sub[path], bins=edges, weights=sub.weight, histtype="step",
                        color=_colour(5), lw=0.6, alpha=0.6)
        ax.axvline(post.loc[path, "median"], color=_colour(1), lw=1.2)
        ax.axvspan(post.loc[path, "q05"], post.loc[path, "q95"], color=_colour(1), alpha=0.1)
        ax.set_title(path.split(".")[-1] if len(path) > 40 else path, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.suptitle("Calibration: weighted particles by generation; last generation's median "
                 "and 90% interval", fontsize=10)
    return fig


def calibration_pairs(cal, generation: int | None = None) -> Figure:
    """Pairs of parameters in one generation (default the last), each particle a dot whose
    size shows its weight (three classes: the lightest, middle and heaviest thirds); the
    diagonal holds each parameter's weighted histogram."""
    g = cal.generation_numbers()[-1] if generation is None else generation
    p = cal.particles(g)
    n = len(cal.paths)
    fig = _figure(1.9 * n + 0.6, 1.9 * n + 0.4)
    axes = fig.subplots(n, n, squeeze=False)
    # Dots drawn as markers of one line per size class: one marker definition each in a
    # vector file, instead of one path per particle.
    weight_class = np.digitize(p.weight, np.quantile(p.weight, [1 / 3, 2 / 3]))
    for i, yi in enumerate(cal.paths):
        for j, xj in enumerate(cal.paths):
            ax = axes[i, j]
            if i == j:
                ax.hist(p[xj], bins=15, weights=p.weight, color=_colour(0), alpha=0.7)
            else:
                for k, size in enumerate((2.0, 3.5, 5.0)):
                    sub = p[weight_class == k]
                    ax.plot(sub[xj], sub[yi], "o", ms=size, color=_colour(0), alpha=0.5,
                            mew=0, label=("lighter", "middle", "heavier")[k] + " third")
            ax.tick_params(labelsize=5, length=2)
            if i < n - 1:
                ax.set_xticklabels([])
            else:
                ax.set_xlabel(xj.split(".")[-1], fontsize=6)
            if j > 0:
                ax.set_yticklabels([])
            else:
                ax.set_ylabel(yi.split(".")[-1], fontsize=6)
    fig.suptitle(f"Generation {g}: pairs of parameters (dot size: weight)", fontsize=10)
    return fig


def target_fit(fit: dict, cell: str | None = None) -> Figure:
    """The fit of every target from `tipsim fit ENS.h5 TARGETS --json` (an ensemble, such as
    one over posterior draws): each target's reported value against the runs' median and
    90% range, as the share of the way across that range, and its deviance term."""
    cells = fit.get("cells")
    if not cells:
        raise ValueError("target_fit needs the document of `tipsim fit` of an ensemble")
    entry = cells[0] if cell is None else next(c for c in cells if c["cell"] == cell)
    targets = [t for t in entry["targets"] if t.get("simulated_low") is not None]
    fig = _figure(7.0, 0.42 * len(targets) + 1.4)
    ax = fig.add_subplot()
    y = np.arange(len(targets))[::-1]
    for yi, t in zip(y, targets):
        lo, hi, med = t["simulated_low"], t["simulated_high"], t["simulated_median"]
        span = (hi - lo) or 1.0
        def at(v):
            return (v - lo) / span
        ax.plot([0, 1], [yi, yi], color=_colour(0), lw=4, alpha=0.35, solid_capstyle="butt")
        ax.plot([at(med)], [yi], "|", color=_colour(0), ms=12, mew=2)
        ax.plot([at(t["target"])], [yi], "D", color=_colour(1), ms=5)
        ax.annotate(f"term {t['term']:.2f}", (1.02, yi), fontsize=7, va="center",
                    xycoords=("axes fraction", "data"))
    ax.set_yticks(y, [t["name"] for t in targets], fontsize=8)
    ax.set_xlabel("position in the runs' 90% range (0: 5% quantile, 1: 95%)")
    ax.set_xlim(-0.6, 1.6)
    ax.set_title(f"{entry['cell']}: reported value (diamond) against {entry['runs']} runs "
                 "(median |, 90% range bar)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


# --- sensitivity ------------------------------------------------------------------------


def morris(sa, output: str | None = None) -> Figure:
    """Morris screening: mu* (with its bootstrap interval) against sigma, one point per
    parameter; far right means influential, high means non-linear or interacting."""
    if sa.method != "morris":
        raise ValueError(f"{sa.path} holds {sa.method} indices, not Morris")
    output = output or sa.outputs[0]
    ix = sa.indices(output)
    fig = _figure(6.4, 4.6)
    ax = fig.add_subplot()
    mu_star, sigma = ix.mu_star.to_numpy(float), ix.sigma.to_numpy(float)
    ax.errorbar(mu_star, sigma, xerr=[mu_star - ix.mu_star_low.to_numpy(float),
                                      ix.mu_star_high.to_numpy(float) - mu_star],
                fmt="o", color=_colour(0), ms=5, capsize=2, elinewidth=0.8)
    for r in ix.itertuples():
        ax.annotate(r.path.split(".")[-1], (r.mu_star, r.sigma), fontsize=7, xytext=(4, 3),
                    textcoords="offset points")
    top = float(np.nanmax(np.r_[ix.mu_star_high, ix.sigma, 1e-12]))
    ax.plot([0, top], [0, top], color="#999999", lw=0.6, ls="--")
    ax.set_xlabel("mu* (mean |elementary effect|, per whole range)")
    ax.set_ylabel("sigma")
    chance = sa.chance_share(output)
    chance_text = "" if chance is None else f"; chance {chance:.1%} of the variance"
    ax.set_title(f"Morris: {output}{chance_text}", fontsize=10)
    ax.grid(alpha=0.3)
    return fig


def sobol(sa, output: str | None = None) -> Figure:
    """Sobol indices: first-order and total per parameter with 95% bootstrap intervals,
    ranked by the total index."""
    if sa.method != "sobol":
        raise ValueError(f"{sa.path} holds {sa.method} indices, not Sobol")
    output = output or sa.outputs[0]
    ix = sa.indices(output).sort_values("total", ascending=True)
    fig = _figure(6.4, 0.4 * len(ix) + 1.4)
    ax = fig.add_subplot()
    y = np.arange(len(ix))
    h = 0.38
    for offset, key, colour, label in ((h / 2, "total", _colour(0), "total (ST)"),
                                       (-h / 2, "first", _colour(2), "first order (S1)")):
        value = ix[key].to_numpy(float)
        ax.barh(y + offset, value, height=h, color=colour, label=label,
                xerr=[value - ix[key + "_low"].to_numpy(float),
                      ix[key + "_high"].to_numpy(float) - value],
                error_kw={"elinewidth": 0.8, "capsize": 2})
    ax.set_yticks(y, [p.split(".")[-1] for p in ix.path], fontsize=8)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("share of the output's variance")
    ax.set_title(f"Sobol indices: {output}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig
