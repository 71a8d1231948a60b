"""A calibration file (`tipsim calibrate`): priors, every generation's particles with their
weights and distances, and the posterior summary (docs/OUTPUT.md, docs/CALIBRATION.md)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _h5


def _number(x):
    """A number as JSON holds it: infinite and NaN bounds are null."""
    x = float(x)
    return x if np.isfinite(x) else None


class CalibrationFile(_h5.Reader):
    def __init__(self, f):
        super().__init__(f, "calibration")
        a = _h5.attrs(f)
        self.method = a.get("method", "abc_smc")
        self.seed = int(a["seed"]) % 2**64
        self.population = int(a["population"])
        self.complete = bool(a.get("complete", 0))
        self.stopped = a.get("stopped") or None
        self.paths = _h5.strings(f["parameters/path"])

    def __repr__(self):
        return (f"CalibrationFile({self.path!r}: {len(self.paths)} parameters, "
                f"{len(self.generation_numbers())} generations)")

    def tables(self) -> dict:
        """Every table of the file by name, for export (`python3 -m tipsim export`)."""
        t = {"parameters": self.parameters().reset_index(),
             "generations": self.generations().reset_index(), "particles": self.particles()}
        if self.generation_numbers():
            t["posterior"] = self.posterior().reset_index()
            t["correlation"] = self.correlation().rename_axis("path").reset_index()
        return t

    def parameters(self) -> pd.DataFrame:
        """One row per parameter: prior, its two numbers, the support, the source."""
        g = self._f["parameters"]
        df = pd.DataFrame({"path": self.paths, "prior": _h5.strings(g["prior"])})
        for k in ("a", "b", "lower", "upper"):
            df[k] = g[k][()]
        df["source"] = _h5.strings(g["source"])
        return df.set_index("path")

    def generation_numbers(self) -> list[int]:
        return sorted(int(k) for k in self._f["generations"] if k.isdigit())

    def generations(self) -> pd.DataFrame:
        """One row per generation: tolerance, acceptance, ESS, simulations, failures, time."""
        rows = []
        for t in self.generation_numbers():
            a = _h5.attrs(self._f[f"generations/{t:04d}"])
            tolerance = float(a["tolerance"])
            rows.append({"generation": t,
                         "tolerance": None if np.isinf(tolerance) else tolerance,
                         "acceptance_rate": float(a["acceptance_rate"]),
                         "effective_sample_size": float(a["effective_sample_size"]),
                         "simulations": int(a["simulations"]), "failed": int(a["failed"]),
                         "seconds": float(a["seconds"])})
        return pd.DataFrame(rows, columns=["generation", "tolerance", "acceptance_rate",
                                           "effective_sample_size", "simulations", "failed",
                                           "seconds"]).set_index("generation")

    def particles(self, generation: int | None = None) -> pd.DataFrame:
        """Particles of one generation (default: every generation), one row each:
        `generation`, `weight`, `distance` and one column per parameter path."""
        numbers = self.generation_numbers() if generation is None else [generation]
        frames = []
        for t in numbers:
            key = f"generations/{t:04d}"
            if key not in self._f:
                raise KeyError(f"{self.path}: no generation {t}; there are "
                               f"{self.generation_numbers()}")
            g = self._f[key]
            df = pd.DataFrame(g["particles"][()], columns=self.paths)
            df.insert(0, "distance", g["distances"][()])
            df.insert(0, "weight", g["weights"][()])
            df.insert(0, "generation", t)
            frames.append(df)
        if not frames:
            return pd.DataFrame(columns=["generation", "weight", "distance", *self.paths])
        return pd.concat(frames, ignore_index=True)

    def posterior(self) -> pd.DataFrame:
        """Weighted summaries of the last generation per parameter: mean, sd, median and the
        50% (q25-q75) and 90% (q05-q95) intervals."""
        g = self._f["posterior"]
        df = pd.DataFrame({k: g[k][()] for k in ("mean", "sd", "median", "q05", "q25", "q75",
                                                 "q95")}, index=pd.Index(self.paths, name="path"))
        return df

    def correlation(self) -> pd.DataFrame:
        return pd.DataFrame(self._f["posterior/correlation"][()], index=self.paths,
                            columns=self.paths)

    def summary(self) -> dict:
        """The document `tipsim summary CAL.h5 --json` prints."""
        params = self.parameters()
        have = bool(self.generation_numbers())
        post = self.posterior() if have else None
        parameters = []
        for path, p in params.iterrows():
            entry = {"path": path, "prior": p.prior, "a": _number(p.a), "b": _number(p.b),
                     "lower": _number(p.lower), "upper": _number(p.upper),
                     "source": p.source}
            if have:
                q = post.loc[path]
                entry["posterior"] = {"mean": float(q["mean"]), "sd": float(q.sd),
                                      "median": float(q["median"]),
                                      "interval_50": [float(q.q25), float(q.q75)],
                                      "interval_90": [float(q.q05), float(q.q95)]}
            else:
                entry["posterior"] = None
            parameters.append(entry)
        gens = self.generations().reset_index()
        generations = [{"index": int(r.generation), "tolerance": r.tolerance,
                        "acceptance_rate": r.acceptance_rate,
                        "effective_sample_size": r.effective_sample_size,
                        "simulations": int(r.simulations), "failed": int(r.failed),
                        "seconds": r.seconds} for r in gens.itertuples()]
        for g in generations:
            if g["tolerance"] is not None and np.isnan(g["tolerance"]):
                g["tolerance"] = None
        return {"file": self.path, "file_kind": "calibration", "method": self.method,
                "population": self.population, "seed": self.seed, "complete": self.complete,
                "stopped": self.stopped, "simulations": int(gens.simulations.sum()),
                "parameters": parameters, "generations": generations,
                "correlation": self.correlation().values.tolist() if have else None}
