"""An ensemble or sweep file (`tipsim ensemble`, `tipsim sweep`): the manifest, every run's
indicators, per-run daily series and their quantile bands (docs/OUTPUT.md,
docs/EXPERIMENTS.md).

`EnsembleFile.summary()` gives the same document as `tipsim summary ENS.h5 --json`, and
`EnsembleFile.paired_differences()` the per-indicator statistics of `tipsim compare ENS.h5
--json`."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from . import _h5

QUANTILE_LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


def spread(values) -> dict:
    """n, mean, median and the 10/90 and 2.5/97.5% quantiles of the values that are not
    NaN, as `tipsim summary ENS.h5 --json` reports them (numpy's default quantiles)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return {"n": 0, "mean": None, "median": None, "q10": None, "q90": None, "q025": None,
                "q975": None}
    q = np.quantile(v, [0.5, 0.1, 0.9, 0.025, 0.975])
    return {"n": int(v.size), "mean": float(v.mean()), "median": float(q[0]),
            "q10": float(q[1]), "q90": float(q[2]), "q025": float(q[3]), "q975": float(q[4])}


def paired_statistics(base, other) -> dict:
    """Statistics of the replicate-by-replicate differences OTHER - BASE where both have a
    value: n, mean, median, q025, q975, the Student t 95% interval of the mean and the share
    of differences above 0."""
    b, o = np.asarray(base, dtype=float), np.asarray(other, dtype=float)
    n = min(b.size, o.size)
    d = (o[:n] - b[:n])
    d = d[~np.isnan(d)]
    out = {"n": int(d.size), "mean": None, "median": None, "q025": None, "q975": None,
           "mean_ci_low": None, "mean_ci_high": None, "share_positive": None}
    if d.size == 0:
        return out
    mean = float(d.mean())
    q = np.quantile(d, [0.5, 0.025, 0.975])
    out.update(mean=mean, median=float(q[0]), q025=float(q[1]), q975=float(q[2]),
               share_positive=float((d > 0).mean()))
    if d.size >= 2:
        from scipy.stats import t  # only here: the readers need no scipy
        half = float(t.ppf(0.975, d.size - 1)) * float(np.sqrt(d.var(ddof=1) / d.size))
        out.update(mean_ci_low=mean - half, mean_ci_high=mean + half)
    return out


def classify_cost_effectiveness(cost, effect) -> list[dict]:
    """Dominance of each strategy given its mean cost and effect, as `tipsim compare`
    classifies them: `dominated` (another costs no more and does at least as well, better in
    one), `extendedly_dominated` (its incremental cost-effectiveness ratio exceeds the next
    more effective one's), `frontier`, or `no_data`; `icer` for frontier cells after the
    cheapest."""
    cost, effect = np.asarray(cost, dtype=float), np.asarray(effect, dtype=float)
    n = min(cost.size, effect.size)
    known = np.isfinite(cost[:n]) & np.isfinite(effect[:n])
    status = ["frontier" if k else "no_data" for k in known]
    for i in range(n):
        if not known[i]:
            continue
        for j in range(n):
            if i != j and known[j] and cost[j] <= cost[i] and effect[j] >= effect[i] and (
                    cost[j] < cost[i] or effect[j] > effect[i]):
                status[i] = "dominated"
    for i in range(n):  # of identical strategies, the first stays on the frontier
        for j in range(i):
            if known[i] and status[j] == "frontier" and cost[j] == cost[i] and \
                    effect[j] == effect[i]:
                status[i] = "dominated"
    order = sorted((i for i in range(n) if status[i] == "frontier"),
                   key=lambda i: (cost[i], -effect[i]))
    removed = True
    while removed and len(order) > 2:
        removed = False
        for k in range(1, len(order) - 1):
            a, b, c = order[k - 1], order[k], order[k + 1]
            if (cost[b] - cost[a]) / (effect[b] - effect[a]) > \
                    (cost[c] - cost[b]) / (effect[c] - effect[b]):
                status[b] = "extendedly_dominated"
                del order[k]
                removed = True
                break
    icer = [None] * n
    for k in range(1, len(order)):
        i, j = order[k], order[k - 1]
        icer[i] = float((cost[i] - cost[j]) / (effect[i] - effect[j]))
    return [{"status": s, "icer": x} for s, x in zip(status, icer)]



class EnsembleFile(_h5.Reader):
    """An ensemble (scenarios x replicates) or a sweep (design points x replicates)."""

    def __init__(self, f):
        super().__init__(f, _h5.attr_str(f.attrs["file_kind"]))
        a = _h5.attrs(f)
        self.seed = int(a["seed"]) % 2**64
        self.replicates = int(a["replicates"])
        self.runs_planned = int(a["runs_planned"])
        self.scenarios = _h5.strings(f["scenarios"])
        self.cells = _h5.strings(f["cells/name"])
        self.windows = _h5.strings(f["windows"])
        self.series_names = _h5.strings(f["series_names"])

    def __repr__(self):
        return (f"EnsembleFile({self.path!r}: {self.kind} of {len(self.cells)} cells x "
                f"{self.replicates} replicates)")

    @property
    def provenance(self) -> dict:
        p = self._f["provenance"]
        out = _h5.attrs(p)
        out["scenario_text"] = dict(zip(self.scenarios, _h5.strings(p["scenario_text"])))
        return out

    def tables(self) -> dict:
        """Every table of the file by name, for export (`python3 -m tipsim export`)."""
        summary = [{"cell": c["name"], "indicator": name, **stats}
                   for c in self.summary()["cells"] for name, stats in c["indicators"].items()]
        bands = []
        for cell in self.cells:
            for series in self.series_names:
                b = self.bands(cell, series)
                b.columns = [f"q{level:g}" for level in b.columns]
                bands.append(b.reset_index().assign(cell=cell, series=series))
        t = {"manifest": self.manifest(), "indicators": self.indicators().reset_index(),
             "summary": pd.DataFrame(summary), "series": self.series(),
             "bands": pd.concat(bands, ignore_index=True) if bands else pd.DataFrame()}
        if not self.design().empty:
            t["design"] = self.design().reset_index()
        if not self.posterior_draws().empty:
            t["posterior_draws"] = self.posterior_draws().reset_index()
        return t

    def design(self) -> pd.DataFrame:
        """A sweep's design points, one row per point, one column per key path (empty
        outside a sweep)."""
        return self._parameter_table("design", "point")

    def posterior_draws(self) -> pd.DataFrame:
        """For an ensemble over a calibration's posterior: the values replicate r ran with,
        one row per replicate (empty otherwise)."""
        return self._parameter_table("posterior_draws", "replicate")

    def _parameter_table(self, group: str, index: str) -> pd.DataFrame:
        """A group of `path` and `values` as a table, one column per key path."""
        if group not in self._f:
            return pd.DataFrame()
        g = self._f[group]
        df = pd.DataFrame(g["values"][()], columns=_h5.strings(g["path"]))
        df.index.name = index
        return df

    def scenario_of(self, cell: str) -> str:
        """The scenario a cell runs (itself in an ensemble; a sweep's scenario)."""
        return self.scenarios[self._f["cells/scenario"][self.cells.index(self._cell(cell))]]

    def manifest(self) -> pd.DataFrame:
        """One row per run: run id, cell (name), scenario, point, replicate, seed, status
        (`done` or `failed`), message, wall seconds."""
        m = self._f["manifest"]
        cell = m["cell"][()].astype(int)
        return pd.DataFrame({
            "run": m["run"][()].astype(np.int64),
            "cell": pd.Categorical.from_codes(cell, categories=self.cells),
            "scenario": pd.Categorical.from_codes(m["scenario"][()].astype(int),
                                                  categories=self.scenarios),
            "point": m["point"][()], "replicate": m["replicate"][()].astype(int),
            "seed": m["seed"][()],
            "status": pd.Categorical.from_codes(m["status"][()].astype(int),
                                                categories=["done", "failed"]),
            "message": _h5.strings(m["message"]),
            "wall_seconds": m["wall_seconds"][()],
        })

    @functools.cached_property
    def indicator_names(self) -> list[str]:
        return _h5.strings(self._f["indicators/name"])

    @functools.cached_property
    def _done_runs(self) -> dict:
        """Per cell, the manifest rows of its runs done and their replicates (read once: the
        file does not change while it is open)."""
        m = self._f["manifest"]
        cell, status = m["cell"][()], m["status"][()]
        replicate = m["replicate"][()].astype(int)
        out = {}
        for c, name in enumerate(self.cells):
            rows = np.flatnonzero((cell == c) & (status == 0))
            out[name] = (rows, replicate[rows])
        return out

    def indicators(self, names=None) -> pd.DataFrame:
        """One row per run: `cell`, `scenario`, `replicate`, `point`, the sweep point's or
        posterior draw's parameter values (columns named by key path), then the indicators
        (all, or those of `names`). NaN where a run has no value."""
        all_names = self.indicator_names
        values = self._f["indicators/value"][()]
        if names is not None:
            missing = [n for n in names if n not in all_names]
            if missing:
                raise KeyError(f"{self.path}: no indicator {missing[0]!r}")
            columns = [all_names.index(n) for n in names]
            values, all_names = values[:, columns], list(names)
        m = self.manifest()
        df = m[["run", "cell", "scenario", "replicate", "point"]].copy()
        design = self.design()
        if not design.empty:
            for path in design.columns:
                df[path] = [design.at[p, path] if p >= 0 else np.nan for p in m.point]
        draws = self.posterior_draws()
        if not draws.empty:
            for path in draws.columns:
                df[path] = draws[path].to_numpy()[m.replicate.to_numpy()]
        return pd.concat([df.reset_index(drop=True),
                          pd.DataFrame(values, columns=all_names)], axis=1).set_index("run")

    def series(self, cell: str | None = None, names=None) -> pd.DataFrame:
        """Per-run daily series in long form: cell, replicate, date, series, value (rows of
        replicates not run are left out)."""
        cells = self.cells if cell is None else [self._cell(cell)]
        frames = []
        for c in cells:
            g = self._f["series"][c]
            dates = _h5.dates(g["date"][()])
            for name in (self.series_names if names is None else names):
                v = g[name][()]
                for r in range(v.shape[0]):
                    if np.all(np.isnan(v[r])):
                        continue
                    frames.append(pd.DataFrame({"cell": c, "replicate": r, "date": dates,
                                                "series": name, "value": v[r]}))
        if not frames:
            return pd.DataFrame(columns=["cell", "replicate", "date", "series", "value"])
        return pd.concat(frames, ignore_index=True)

    def bands(self, cell: str, series: str) -> pd.DataFrame:
        """Per day, the quantiles over the replicates (columns 0.025, 0.1, 0.5, 0.9, 0.975)
        as the file stores them."""
        g = self._f["series"][self._cell(cell)]
        q = g["quantiles"]
        if series not in q:
            raise KeyError(f"{self.path}: no series {series!r}; there are "
                           f"{', '.join(self.series_names)}")
        levels = [float(x) for x in q.attrs.get("levels", QUANTILE_LEVELS)]
        index = _h5.dates(g["date"][()])
        index.name = "date"
        return pd.DataFrame(q[series][()].T, index=index, columns=levels)

    def _cell(self, cell: str) -> str:
        if cell not in self.cells:
            raise KeyError(f"{self.path}: no cell {cell!r}; there are {', '.join(self.cells)}")
        return cell

    def by_replicate(self, cell: str, indicator: str) -> np.ndarray:
        """An indicator's value for replicate 0 .. replicates-1 of a cell (NaN where it did
        not run or has no value)."""
        names = self.indicator_names
        if indicator not in names:
            raise KeyError(f"{self.path}: no indicator {indicator!r}")
        values = self._f["indicators/value"][:, names.index(indicator)]
        rows, replicates = self._done_runs[self._cell(cell)]
        out = np.full(self.replicates, np.nan)
        out[replicates] = values[rows]
        return out

    def summary(self) -> dict:
        """The document `tipsim summary ENS.h5 --json` prints."""
        m = self.manifest()
        names = self.indicator_names
        values = self._f["indicators/value"][()]
        design = self.design()
        cell_scenario = self._f["cells/scenario"][()]
        cell_point = self._f["cells/point"][()]
        cells = []
        for c, name in enumerate(self.cells):
            mine = (m.cell == name).to_numpy()
            done = mine & (m.status == "done").to_numpy()
            point = int(cell_point[c])
            parameters = ({p: float(design.at[point, p]) for p in design.columns}
                          if point >= 0 and not design.empty else {})
            by_replicate = np.full((self.replicates, len(names)), np.nan)
            by_replicate[m.replicate.to_numpy()[done]] = values[done]
            cells.append({
                "name": name, "scenario": self.scenarios[cell_scenario[c]],
                "point": point if point >= 0 else None, "parameters": parameters,
                "done": int(done.sum()), "failed": int((mine & ~done).sum()),
                "indicators": {n: spread(by_replicate[:, k]) for k, n in enumerate(names)}})
        return {"file_kind": self.kind, "seed": self.seed, "replicates": self.replicates,
                "runs_planned": self.runs_planned,
                "runs_done": int((m.status == "done").sum()),
                "runs_failed": int((m.status == "failed").sum()), "windows": self.windows,
                "cells": cells}

    def paired_differences(self, base: str, other: str, window: str | None = None
                           ) -> pd.DataFrame:
        """OTHER minus BASE replicate by replicate, per indicator (window suffix removed when
        `window` is one of the file's windows, e.g. "2021-01-01:2025-12-31"): base_mean,
        other_mean and the statistics of `paired_statistics`, one row per indicator, as
        `tipsim compare ENS.h5 --json` reports them for a paired comparison."""
        if window is not None and window not in self.windows:
            raise KeyError(f"{self.path}: no window {window!r}; there are "
                           f"{', '.join(self.windows) or 'none'}")
        rows = {}
        for full, name in self.window_columns(window):
            b, o = self.by_replicate(base, full), self.by_replicate(other, full)
            both = ~np.isnan(b) & ~np.isnan(o)
            b, o = np.where(both, b, np.nan), np.where(both, o, np.nan)
            rows[name] = {"base_mean": spread(b)["mean"], "other_mean": spread(o)["mean"],
                          **paired_statistics(b, o)}
        return pd.DataFrame.from_dict(rows, orient="index")

    def window_columns(self, window: str | None = None) -> list[tuple[str, str]]:
        """(name in the file, name seen through the window) of every indicator a window
        shows: without a window the whole-run indicators; with one, its own totals, stocks
        at the end and interventions (suffix removed) and the rest, which have no window."""
        out = []
        for n in self.indicator_names:
            base, at, w = n.partition("@")
            if window is None:
                if not at:
                    out.append((n, n))
            elif at:
                if w == window:
                    out.append((n, base))
            elif not n.startswith(("totals.", "at_end.", "interventions.")):
                out.append((n, n))
        return out

    def cost_effectiveness(self, base: str, window: str | None = None) -> pd.DataFrame:
        """Per cell (the base first), the means over the replicates every cell ran of spend,
        victims removed, victim-days and recruitment, what each averts against the base, and
        the dominance by each measure of effect: `cost_effectiveness` of `tipsim compare ENS.h5
        --json` for cells of one file (paired by their shared random keys)."""
        columns = dict((short, full) for full, short in self.window_columns(window))
        keys = ("totals.spend_fcfa", "totals.victims_removed", "totals.victim_days_exploited",
                "totals.recruited")
        cells = [self._cell(base)] + [c for c in self.cells if c != base]
        values = {(c, k): self.by_replicate(c, columns[k]) for c in cells for k in keys}
        common = np.ones(self.replicates, dtype=bool)
        for v in values.values():
            common &= ~np.isnan(v)

        def mean(c, k):
            v = values[(c, k)][common]
            return float(v.mean()) if v.size else float("nan")

        rows = []
        for c in cells:
            rows.append({"scenario": c, "spend_fcfa": mean(c, keys[0]),
                         "victims_removed": mean(c, keys[1]),
                         "victim_days_exploited": mean(c, keys[2]), "recruited": mean(c, keys[3])})
        df = pd.DataFrame(rows)
        df.insert(4, "victim_days_averted", df.victim_days_exploited[0] - df.victim_days_exploited)
        df["recruitment_averted"] = df.recruited[0] - df.recruited
        for measure, effect in (("by_victims_removed", "victims_removed"),
                                ("by_victim_days_averted", "victim_days_averted"),
                                ("by_recruitment_averted", "recruitment_averted")):
            classes = classify_cost_effectiveness(df.spend_fcfa, df[effect])
            df[measure] = [x["status"] for x in classes]
            df[measure + "_icer"] = [x["icer"] for x in classes]
        df.attrs["replicates"] = int(common.sum())
        return df

