"""A run file (`tipsim run`): daily series, events, observations, snapshots, interventions,
surveys, the resolved scenario and provenance, as pandas objects (docs/OUTPUT.md).

`RunFile.summary()` gives the same document as `tipsim summary RUN.h5 --json`."""
from __future__ import annotations


import numpy as np
import pandas as pd
import yaml

from . import _h5

NATIONALITY_KEYS = ("NG", "SN", "ML", "other")
AGE_BAND_KEYS = ("<18", "18-24", "25-30", ">30")
ESTIMATORS = ("sample", "rds_i", "rds_ii", "ss")
TOTAL_FLOWS = ("recruited", "re_trafficked", "arrived_at_sites", "voluntary_arrivals")
EXIT_FLOWS = ("repaid", "escaped", "escaped_assisted", "identified", "intercepted_in_transit",
              "aged_out", "died")
LATER_FLOWS = ("sheltered", "repatriated", "reintegrated")
LAST_FLOWS = ("arrests", "convictions", "became_madam", "replacements", "victim_days_exploited",
              "debt_imposed_fcfa", "debt_paid_fcfa")
END_STOCKS = ("wecs", "wecs_18_30", "trafficked_at_sites", "in_transit", "shelter_occupancy",
              "debt_outstanding_fcfa", "houses_open")


def _share(part, whole):
    return None if whole == 0 else float(part) / float(whole)


def _nationality_key(country: str) -> str:
    return country if country in NATIONALITY_KEYS[:-1] else "other"


class RunFile(_h5.Reader):
    """One run. Open with `tipsim.open(path)`; usable as a context manager."""

    def __init__(self, f):
        super().__init__(f, "run")
        a = _h5.attrs(f)
        self.scenario_name = a["scenario_name"]
        self.seed = int(a["seed"]) % 2**64
        self.replicate = int(a.get("replicate", 0))
        self.step_days = int(a.get("step_days", 1))
        self.start = pd.Timestamp(a["start_date"])
        self.end = pd.Timestamp(a["end_date"])
        self.tipsim_version = a.get("tipsim_version")
        self.countries = _h5.strings(f["countries"])
        self.departments = _h5.strings(f["departments"])

    def __repr__(self):
        return (f"RunFile({self.path!r}: {self.scenario_name}, seed {self.seed}, "
                f"{self.start.date()} .. {self.end.date()})")

    # --- what made the file ---------------------------------------------------------------

    @property
    def provenance(self) -> dict:
        p = self._f["provenance"]
        out = _h5.attrs(p)
        out["scenario_text"] = _h5.strings(p["scenario_text"])[0]
        if "extends_files" in p:  # the scenario's bases, as read (not in version-3 files)
            out["extends"] = dict(zip(_h5.strings(p["extends_files"]),
                                      _h5.strings(p["extends_texts"])))
        return out

    @property
    def scenario(self) -> dict:
        """The resolved scenario (every default filled in, every override applied)."""
        return yaml.safe_load(_h5.strings(self._f["provenance/resolved_scenario"])[0])

    # --- the network ----------------------------------------------------------------------

    def places(self) -> pd.DataFrame:
        g = self._f["places"]
        df = pd.DataFrame({k: _h5.strings(g[k]) for k in ("name", "kind", "country",
                                                          "department")})
        df["site_index"] = g["site_index"][()]
        df.index.name = "place"
        return df

    @property
    def sites(self) -> list[str]:
        names = _h5.strings(self._f["places/name"])
        return [names[i] for i in self._f["places/site_place"][()]]

    def routes(self) -> pd.DataFrame:
        """One row per route of the scenario, in declaration order: its ends (place names),
        expected days and cost, and the women who travelled it over the run (either way of
        a two-way route) and, of them, those intercepted at its end (`/routes`)."""
        if "routes" not in self._f:
            raise KeyError(f"{self.path}: no /routes in this run file (schema version "
                           f"{self.schema_version}; runs record the women moved along each "
                           "route from schema version 4): rerun its scenario")
        g = self._f["routes"]
        names = np.asarray(_h5.strings(self._f["places/name"]), dtype=object)
        return pd.DataFrame({
            "from": names[g["from"][()]], "to": names[g["to"][()]],
            "days_mean": g["days_mean"][()], "cost_fcfa": g["cost_fcfa"][()],
            "women_moved": g["women_moved"][()],
            "women_intercepted": g["women_intercepted"][()],
        })

    # --- daily series ---------------------------------------------------------------------

    def _dates(self, group="timeseries"):
        return _h5.dates(self._f[group]["date"][()])

    def series(self, by_site: bool = False) -> pd.DataFrame:
        """Daily totals indexed by date, one column per series of `/timeseries`; with
        `by_site=True`, the per-site series with columns (series, site)."""
        ts = self._f["timeseries"]
        index = self._dates()
        index.name = "date"
        if not by_site:
            names = [k for k in ts if k != "date" and not hasattr(ts[k], "keys")]
            return pd.DataFrame({k: ts[k][()] for k in names}, index=index)
        g = ts["by_site"]
        sites = self.sites
        frames = {k: pd.DataFrame(g[k][()], index=index, columns=sites) for k in g}
        df = pd.concat(frames, axis=1, names=["series", "site"])
        return df

    def units(self) -> dict:
        """Unit of each series of `/timeseries`."""
        ts = self._f["timeseries"]
        return {k: _h5.attr_str(ts[k].attrs.get("unit", "")) for k in ts
                if not hasattr(ts[k], "keys")}

    # --- events, observations, snapshots --------------------------------------------------

    def events(self) -> pd.DataFrame:
        """The event ledger with dates, event type names and place names decoded."""
        g = self._f["events"]
        ledger = g["ledger"][()]
        types = _h5.strings(g["type_names"])
        places = _h5.strings(self._f["places/name"])
        place = ledger["place"].astype(int)
        return pd.DataFrame({
            "date": _h5.dates(ledger["day"]),
            "type": pd.Categorical.from_codes(ledger["type"].astype(int), categories=types),
            "person": ledger["person"],
            "place": pd.Categorical.from_codes(place, categories=places),
            "other": ledger["other"],
            "value_fcfa": ledger["value_fcfa"],
        })

    def observations(self) -> pd.DataFrame:
        """One row per observation date and department: women aged 18-30 in commercial sex,
        of them trafficked (ground truth), and the true share."""
        o = self._f["observations"]
        days = o["date"][()]
        wecs, trafficked = o["wecs_18_30"][()], o["trafficked_18_30"][()]
        rows = []
        for i, day in enumerate(days):
            for d, name in enumerate(self.departments):
                rows.append((_h5.dates([day])[0], name, int(wecs[i, d]), int(trafficked[i, d])))
        df = pd.DataFrame(rows, columns=["date", "department", "wecs_18_30", "trafficked_18_30"])
        df["trafficked_share_true"] = df.trafficked_18_30 / df.wecs_18_30.where(
            df.wecs_18_30 > 0)
        return df

    def victims(self, by: str = "country") -> pd.DataFrame:
        """Victims at the sites (any age) on each observation date by nationality
        (`by="country"`) or age band (`by="age"`), one row per date."""
        o = self._f["observations"]
        index = _h5.dates(o["date"][()])
        index.name = "date"
        if by == "country":
            return pd.DataFrame(o["victims_by_country"][()], index=index, columns=self.countries)
        if by == "age":
            return pd.DataFrame(o["victims_by_age"][()], index=index,
                                columns=_h5.strings(o["age_bands"]))
        raise ValueError(f"victims(by={by!r}): expected 'country' or 'age'")

    def snapshot_dates(self) -> list[pd.Timestamp]:
        g = self._f["snapshots"]
        return [pd.Timestamp(k) for k in g if k[:1].isdigit()]

    def snapshot(self, date) -> pd.DataFrame:
        """Every listed person on a snapshot date, roles, statuses and places decoded."""
        g = self._f["snapshots"]
        key = str(pd.Timestamp(date).date())
        if key not in g:
            raise KeyError(f"{self.path}: no snapshot on {key}; there are "
                           f"{', '.join(str(d.date()) for d in self.snapshot_dates()) or 'none'}")
        s = g[key]
        places = _h5.strings(self._f["places/name"])
        return pd.DataFrame({
            "person": s["person"][()],
            "role": pd.Categorical.from_codes(s["role"][()].astype(int),
                                              categories=_h5.strings(g["role_names"])),
            "status": pd.Categorical.from_codes(s["status"][()].astype(int),
                                                categories=_h5.strings(g["status_names"])),
            "nationality": pd.Categorical.from_codes(s["nationality"][()].astype(int),
                                                     categories=self.countries),
            "place": pd.Categorical.from_codes(s["place"][()].astype(int), categories=places),
            "home": pd.Categorical.from_codes(s["home"][()].astype(int), categories=places),
            "age_years": s["age_years"][()],
            "house": s["house"][()],
            "debt_fcfa": s["debt_fcfa"][()],
        })

    # --- interventions --------------------------------------------------------------------

    def interventions(self) -> pd.DataFrame:
        """The interventions as declared: name, type, dates and costs."""
        g = self._f["interventions"]
        df = pd.DataFrame({k: _h5.strings(g[k]) for k in ("name", "type", "start_date",
                                                          "end_date")})
        for k in ("fixed_per_year_fcfa", "per_unit_fcfa", "budget_per_year_fcfa"):
            df[k] = g[k][()]
        for k in ("start_date", "end_date"):
            df[k] = pd.to_datetime(df[k])
        return df

    def intervention_series(self) -> pd.DataFrame:
        """Per step and intervention: columns (quantity, intervention name)."""
        g = self._f["interventions"]
        names = _h5.strings(g["name"])
        index = self._dates()
        index.name = "date"
        quantities = ("active", "reached", "secondary_reached", "identified", "removed",
                      "arrests", "units", "spend_fcfa")
        frames = {q: pd.DataFrame(g[q][()], index=index, columns=names) for q in quantities}
        return pd.concat(frames, axis=1, names=["quantity", "intervention"])

    # --- surveys --------------------------------------------------------------------------

    @property
    def survey_names(self) -> list[str]:
        if "surveys" not in self._f:
            return []
        return _h5.strings(self._f["surveys/names"])

    def survey(self, name: str) -> "Survey":
        if name not in self.survey_names:
            raise KeyError(f"{self.path}: no survey {name!r}; there are "
                           f"{', '.join(self.survey_names) or 'none'}")
        return Survey(self, name)

    def surveys(self) -> list["Survey"]:
        return [Survey(self, n) for n in self.survey_names]

    def tables(self) -> dict:
        """Every table of the file by name, for export (`python3 -m tipsim export`)."""
        t = {"series": self.series().reset_index(),
             "series_by_site": self.series(by_site=True).stack("site").reset_index(),
             "observations": self.observations(),
             "victims_by_country": self.victims("country").reset_index(),
             "victims_by_age": self.victims("age").reset_index(),
             "places": self.places().reset_index(),
             **({"routes": self.routes()} if "routes" in self._f else {}),
             "interventions": self.interventions(),
             "intervention_series": self.intervention_series().stack("intervention")
                                        .reset_index(),
             "events": self.events()}
        for survey in self.surveys():
            t[f"survey_{survey.name}_respondents"] = survey.respondents()
            t[f"survey_{survey.name}_estimates"] = survey.estimates()
        for date in self.snapshot_dates():
            t[f"snapshot_{date.date()}"] = self.snapshot(date)
        return t

    # --- the summary ----------------------------------------------------------------------

    def window_rows(self, start=None, end=None) -> np.ndarray:
        """Rows of the series whose dates lie in [start, end] (inclusive; default the run)."""
        start = self.start if start is None else pd.Timestamp(start)
        end = self.end if end is None else pd.Timestamp(end)
        if start > end:
            raise ValueError(f"window: from {start.date()} is after to {end.date()}")
        for bound, label in ((start, "from"), (end, "to")):
            if bound < self.start or bound > self.end:
                raise ValueError(f"window: {label} {bound.date()} lies outside the run "
                                 f"{self.start.date()} .. {self.end.date()}")
        days = self._f["timeseries/date"][()]
        rows = np.flatnonzero((days >= _h5.day_number(start)) & (days <= _h5.day_number(end)))
        if rows.size == 0:
            raise ValueError(f"window {start.date()} .. {end.date()} holds no recorded step")
        return rows

    def totals(self, start=None, end=None) -> dict:
        """Sums over the window, as `totals` of `tipsim summary --json`."""
        rows = self.window_rows(start, end)
        ts = self._f["timeseries"]

        def total(name):
            return int(ts[name][()][rows].sum())

        t = {"steps": int(rows.size)}
        for k in TOTAL_FLOWS:
            t[k] = total(k)
        t["exits"] = {k: total("exit_" + k) for k in EXIT_FLOWS}
        e = t["exits"]
        t["victims_removed"] = e["identified"] + e["intercepted_in_transit"] + e["escaped_assisted"]
        t["rescued_identified"] = e["identified"] + e["intercepted_in_transit"]
        for k in LATER_FLOWS:
            t[k] = total(k)
        t["repatriated_or_reintegrated"] = t["repatriated"] + t["reintegrated"]
        for k in LAST_FLOWS:
            t[k] = total(k)
        t["spend_fcfa"] = int(self._f["interventions/spend_fcfa"][()][rows].sum())
        return t

    def summary(self, start=None, end=None) -> dict:
        """The document `tipsim summary RUN.h5 --json [--from START --to END]` prints."""
        rows = self.window_rows(start, end)
        days = self._f["timeseries/date"][()]
        last = rows[np.argmax(days[rows])]
        ts = self._f["timeseries"]
        at_end = {"date": _h5.iso(days[last])}
        for k in END_STOCKS:
            at_end[k] = int(ts[k][last])
        g = self._f["interventions"]
        sums = {q: g[q][()][rows].sum(axis=0) for q in ("reached", "removed", "arrests",
                                                         "spend_fcfa")}
        interventions = [
            {"name": n, "type": t, "reached": int(sums["reached"][i]),
             "victims_removed": int(sums["removed"][i]), "arrests": int(sums["arrests"][i]),
             "spend_fcfa": int(sums["spend_fcfa"][i])}
            for i, (n, t) in enumerate(zip(_h5.strings(g["name"]), _h5.strings(g["type"])))]
        return {
            "scenario": self.scenario_name, "seed": self.seed, "replicate": self.replicate,
            "step_days": self.step_days, "start": str(self.start.date()),
            "end": str(self.end.date()),
            "from": _h5.iso(_h5.day_number(self.start if start is None else start)),
            "to": _h5.iso(_h5.day_number(self.end if end is None else end)),
            "observations": self._observation_summaries(),
            "totals": self.totals(start, end),
            "at_end": at_end,
            "interventions": interventions,
            "surveys": [s.summary() for s in self.surveys()],
        }

    def _observation_summaries(self) -> list[dict]:
        o = self._f["observations"]
        wecs, trafficked = o["wecs_18_30"][()], o["trafficked_18_30"][()]
        by_country, by_age = o["victims_by_country"][()], o["victims_by_age"][()]
        slots = [NATIONALITY_KEYS.index(_nationality_key(c)) for c in self.countries]
        out = []
        for i, day in enumerate(o["date"][()]):
            departments = {}
            for d, name in enumerate(self.departments):
                w, t = int(wecs[i, d]), int(trafficked[i, d])
                departments[name] = {"wecs_18_30": w, "trafficked_18_30": t,
                                     "trafficked_share_true": _share(t, w)}
            nationality = [0] * len(NATIONALITY_KEYS)
            for c, slot in enumerate(slots):
                nationality[slot] += int(by_country[i, c])
            victims = sum(nationality)
            ages = [int(v) for v in by_age[i]]
            w, t = int(wecs[i].sum()), int(trafficked[i].sum())
            out.append({
                "date": _h5.iso(day), "wecs_18_30": w, "trafficked_18_30": t,
                "trafficked_share_true": _share(t, w), "by_department": departments,
                "victims": victims,
                "victims_by_nationality": dict(zip(NATIONALITY_KEYS, nationality)),
                "victim_nationality_share": {k: _share(v, victims)
                                             for k, v in zip(NATIONALITY_KEYS, nationality)},
                "victims_by_age": dict(zip(AGE_BAND_KEYS, ages)),
                "victim_age_share": {k: _share(v, sum(ages)) for k, v in zip(AGE_BAND_KEYS, ages)},
            })
        return out


class Survey:
    """One virtual survey of a run: its respondents, estimates and truth."""

    def __init__(self, run: RunFile, name: str):
        self._run = run
        self._g = run._f["surveys"][name]
        self.name = name
        a = _h5.attrs(self._g)
        self.design = a["design"]
        self.start = pd.Timestamp(a["start_date"])
        self.end = pd.Timestamp(a["end_date"])
        self.population_size = int(a["population_size"])
        self.truth = _h5.none_if_nan(a["truth"])
        self.complete = bool(a["complete"])

    def __repr__(self):
        return f"Survey({self.name!r}, {self.design}, {len(self.respondents())} respondents)"

    def truth_by_department(self) -> pd.Series:
        return pd.Series(self._g["truth_by_department"][()], index=self._run.departments,
                         name="truth")

    def respondents(self) -> pd.DataFrame:
        """One row per respondent in interview order; indicators as one column each
        (`reported.<name>`, `true.<name>`), codes decoded to names."""
        if "respondents" not in self._g:
            return pd.DataFrame()
        r = self._g["respondents"]
        run = self._run
        indicators = _h5.strings(run._f["surveys/indicator_names"])
        df = pd.DataFrame({
            "person": r["person"][()], "date": _h5.dates(r["day"][()]), "wave": r["wave"][()],
            "recruiter": r["recruiter"][()], "recruiter_person": r["recruiter_person"][()],
            "cluster": r["cluster"][()],
            "site": pd.Categorical.from_codes(r["site"][()].astype(int), categories=run.sites),
            "department": pd.Categorical.from_codes(r["department"][()].astype(int),
                                                    categories=run.departments),
            "age_years": r["age_years"][()],
            "nationality": pd.Categorical.from_codes(r["nationality"][()].astype(int),
                                                     categories=run.countries),
            "true_degree": r["true_degree"][()], "reported_degree": r["reported_degree"][()],
            "classified_trafficked": r["classified_trafficked"][()].astype(bool),
            "trafficked": r["trafficked"][()].astype(bool),
        })
        reported, true = r["reported_indicators"][()], r["true_indicators"][()]
        for j, name in enumerate(indicators):
            df["reported." + name] = reported[:, j].astype(bool)
        for j, name in enumerate(indicators):
            df["true." + name] = true[:, j].astype(bool)
        return df

    def estimates(self) -> pd.DataFrame:
        """One row per estimator and scope (`department` empty for the whole population):
        value, interval and design effect."""
        e = self._g["estimates"]
        df = pd.DataFrame({"estimator": _h5.strings(e["estimator"]),
                           "department": _h5.strings(e["department"])})
        for k in ("value", "ci_low", "ci_high", "design_effect"):
            df[k] = e[k][()]
        return df

    def summary(self) -> dict:
        """This survey's entry of `surveys` in `tipsim summary --json`."""
        run = self._run
        file_estimators = set(self.estimates().estimator) if "estimates" in self._g else set()
        used = [k for k in ESTIMATORS
                if self.design == "rds" or k == "sample" or k in file_estimators]

        def empty_scope():
            return {k: ({"value": None, "ci": [None, None], "design_effect": None}
                        if k in used else None) for k in ESTIMATORS}

        whole = empty_scope()
        by_department = {d: empty_scope() for d in run.departments}
        if "estimates" in self._g:
            for row in self.estimates().itertuples():
                if row.estimator not in ESTIMATORS:
                    continue
                scope = by_department[row.department] if row.department else whole
                scope[row.estimator] = {
                    "value": _h5.none_if_nan(row.value),
                    "ci": [_h5.none_if_nan(row.ci_low), _h5.none_if_nan(row.ci_high)],
                    "design_effect": _h5.none_if_nan(row.design_effect)}
        truth = self.truth_by_department()
        for d in run.departments:
            by_department[d]["truth"] = _h5.none_if_nan(truth[d]) if self.complete else None
        if not self.complete:
            whole, by_department = empty_scope(), {
                d: {**empty_scope(), "truth": None} for d in run.departments}

        r = self.respondents()
        n_by_department = {d: 0 for d in run.departments}
        profile = {"count": 0, "nationality": {k: None for k in NATIONALITY_KEYS},
                   "age_band": {"18-24": None, "25-30": None}, "false_job_offer": None,
                   "debt_bondage": None}
        if len(r):
            for d, count in r.department.value_counts().items():
                n_by_department[d] = int(count)
            c = r[r.classified_trafficked]
            count = len(c)
            keys = c.nationality.astype(str).map(_nationality_key)
            years = np.floor(c.age_years.astype(float))
            profile = {
                "count": count,
                "nationality": {k: _share(int((keys == k).sum()), count)
                                for k in NATIONALITY_KEYS},
                "age_band": {"18-24": _share(int(((years >= 18) & (years <= 24)).sum()), count),
                             "25-30": _share(int(((years >= 25) & (years <= 30)).sum()), count)},
                "false_job_offer": _share(int(c["reported.deceptive_recruitment"].sum()), count),
                "debt_bondage": _share(int(c["reported.debt_bondage"].sum()), count),
            }
        return {
            "name": self.name, "design": self.design, "start": str(self.start.date()),
            "end": str(self.end.date()), "n": len(r), "n_by_department": n_by_department,
            "population_size": self.population_size, "estimates": whole,
            "truth": self.truth if self.complete else None, "by_department": by_department,
            "among_classified_trafficked": profile,
        }
