"""A sensitivity file (`tipsim sensitivity`): the plan, each output's values per point and
its Morris or Sobol indices with intervals (docs/OUTPUT.md, docs/SENSITIVITY.md)."""
from __future__ import annotations

import pandas as pd

from . import _h5

MORRIS = ("mu", "mu_star", "mu_star_low", "mu_star_high", "sigma")
SOBOL = ("first", "first_low", "first_high", "total", "total_low", "total_high")


class SensitivityFile(_h5.Reader):
    def __init__(self, f):
        super().__init__(f, "sensitivity")
        a = _h5.attrs(f)
        self.method = a["method"]
        self.replicates = int(a["replicates"])
        self.seed = int(a["seed"]) % 2**64
        self.paths = _h5.strings(f["parameters/path"])
        self.outputs = _h5.strings(f["outputs/name"])
        p = _h5.attrs(f["provenance"]) if "provenance" in f else {}
        self.runs_file = p.get("runs_file")

    def __repr__(self):
        return (f"SensitivityFile({self.path!r}: {self.method}, {len(self.paths)} parameters, "
                f"{len(self.outputs)} outputs)")

    def tables(self) -> dict:
        """Every table of the file by name, for export (`python3 -m tipsim export`)."""
        means = pd.DataFrame({name: self.point_means(name) for name in self.outputs})
        return {"parameters": self.parameters().reset_index(), "plan": self.plan(),
                "point_means": pd.concat([self.plan(), means], axis=1),
                "indices": self.indices(),
                "outputs": pd.DataFrame({"output": self.outputs,
                                         "chance_share": [self.chance_share(o)
                                                          for o in self.outputs]})}

    def parameters(self) -> pd.DataFrame:
        g = self._f["parameters"]
        return pd.DataFrame({"path": self.paths, "min": g["min"][()], "max": g["max"][()],
                             "scale": _h5.strings(g["scale"])}).set_index("path")

    def plan(self, scaled: bool = True) -> pd.DataFrame:
        """The points run: values in the parameters' ranges (or in [0, 1] with
        `scaled=False`), one row per point."""
        return pd.DataFrame(self._f["plan/values" if scaled else "plan/unit"][()],
                            columns=self.paths)

    def _output_group(self, output: str):
        if output not in self.outputs:
            raise KeyError(f"{self.path}: no output {output!r}; there are "
                           f"{', '.join(self.outputs)}")
        return self._f[f"outputs/{self.outputs.index(output)}"]

    def point_means(self, output: str) -> pd.Series:
        return pd.Series(self._output_group(output)["point_means"][()], name=output)

    def chance_share(self, output: str) -> float | None:
        return _h5.none_if_nan(self._output_group(output).attrs["chance_share"])

    def indices(self, output: str | None = None) -> pd.DataFrame:
        """Indices per output and parameter, long form: `output`, `path`, then mu, mu_star,
        its interval and sigma (Morris) or first, total and their intervals (Sobol)."""
        names = self.outputs if output is None else [output]
        keys = MORRIS if self.method == "morris" else SOBOL
        frames = []
        for name in names:
            g = self._output_group(name)
            df = pd.DataFrame({k: g[k][()] for k in keys})
            df.insert(0, "path", self.paths)
            df.insert(0, "output", name)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> dict:
        """The document `tipsim summary SA.h5 --json` prints."""
        params = self.parameters()
        outputs = []
        for name in self.outputs:
            rows = []
            for r in self.indices(name).itertuples():
                if self.method == "morris":
                    rows.append({"path": r.path, "mu": _h5.none_if_nan(r.mu),
                                 "mu_star": _h5.none_if_nan(r.mu_star),
                                 "mu_star_interval": [_h5.none_if_nan(r.mu_star_low),
                                                      _h5.none_if_nan(r.mu_star_high)],
                                 "sigma": _h5.none_if_nan(r.sigma)})
                else:
                    rows.append({"path": r.path, "first": _h5.none_if_nan(r.first),
                                 "first_interval": [_h5.none_if_nan(r.first_low),
                                                    _h5.none_if_nan(r.first_high)],
                                 "total": _h5.none_if_nan(r.total),
                                 "total_interval": [_h5.none_if_nan(r.total_low),
                                                    _h5.none_if_nan(r.total_high)]})
            outputs.append({"name": name, "chance_share": self.chance_share(name),
                            "indices": rows})
        return {"file": self.path, "file_kind": "sensitivity", "method": self.method,
                "points": int(self._f["plan/values"].shape[0]), "replicates": self.replicates,
                "runs_file": self.runs_file,
                "parameters": [{"path": p, "min": float(r["min"]), "max": float(r["max"]),
                                "scale": r.scale} for p, r in params.iterrows()],
                "outputs": outputs}
