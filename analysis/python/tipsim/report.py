"""One self-contained HTML report of tipsim files: inline SVG charts and inline CSS, no
scripts, fonts or images from anywhere, readable offline and printable to A4.

    python3 -m tipsim report results/programme.h5 --out results/report.html

What it holds follows the files given: a what-if set (an ensemble of several scenarios)
gets the headline, the ranked table and the charts of its paired comparisons; a run its
summary and charts; a calibration its posterior (and, given an ensemble over its posterior
and the targets, the fit); a sensitivity analysis its ranking. Paired statistics and the
bootstrap intervals of cost ratios come from `tipsim compare --json`, so the report says what
the command says."""
from __future__ import annotations

import datetime
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile

import matplotlib
import numpy as np

from . import open as open_file, plots
from ._h5 import FileError

MAX_POINTS = 600  # days drawn per series: a weekly line over a decade, light to embed
FEW_REPLICATES = 10  # below this, intervals over replicates are rough, and the report says so
CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;margin:0 auto;
  max-width:60rem;padding:1rem;line-height:1.45;font-size:15px}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin-top:2rem;
  border-bottom:2px solid #0072B2;padding-bottom:.2rem}h3{font-size:1.05rem}
.meta{color:#555;font-size:.9rem}.headline{font-size:1.1rem;background:#eef5fb;
  border-left:4px solid #0072B2;padding:.6rem .9rem}
.caution{background:#fff4e5;border-left:4px solid #E69F00;padding:.5rem .9rem}
figure{margin:1rem 0;break-inside:avoid}figure svg{width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
summary{cursor:pointer;color:#0072B2}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
td.text,th.text{text-align:left}code{font-size:.85em}
@media (max-width:40rem){body{font-size:14px;padding:.5rem}table{font-size:.75rem}}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:10.5pt}h2{break-after:avoid}
  .table-wrap{overflow:visible}table{width:100%;table-layout:fixed;font-size:7.5pt}
  th,td{overflow-wrap:anywhere;padding:.15rem .25rem}}
"""


# --- helpers ----------------------------------------------------------------------------


def find_executable(explicit: str | None = None) -> str | None:
    """The tipsim executable: given, in TIPSIM_EXE, on PATH, or the build beside this
    package (build/bin/tipsim of the source tree)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (explicit, os.environ.get("TIPSIM_EXE"), shutil.which("tipsim"),
                      os.path.join(here, "..", "..", "..", "build", "bin", "tipsim")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    return None


def _run_json(exe, *args) -> dict:
    r = subprocess.run([exe, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"tipsim {' '.join(args)}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def esc(x) -> str:
    return html.escape(str(x))


def num(x, digits: int = 0) -> str:
    """A number as people read it: thousands separated, `-` for none."""
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "-"
    return f"{x:,.{digits}f}"


def signed(x, digits: int = 0) -> str:
    return "-" if x is None else ("+" if x > 0 else "") + num(x, digits)


def interval(lo, hi, digits: int = 0, sign: bool = False) -> str:
    if lo is None or hi is None:
        return "-"
    f = signed if sign else num
    return f"{f(lo, digits)} to {f(hi, digits)}"


def fcfa_millions(x) -> str:
    return "-" if x is None else num(x / 1e6, 1)


def svg(fig, description: str) -> str:
    """A figure as inline SVG: text kept as text, no dates or ids that change between runs."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "tipsim"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # Matplotlib's RDF metadata names vocabularies by URL; the report has no use for it.
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return text.replace("<svg ", f'<svg role="img" aria-label="{esc(description)}" ', 1)


def figure(fig, caption: str) -> str:
    return f"<figure>{svg(fig, caption)}<figcaption>{esc(caption)}</figcaption></figure>"


def table(headers, rows, text_columns=(0,), caption: str | None = None) -> str:
    head = "".join(f'<th class="{"text" if i in text_columns else ""}">{esc(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(
        f'<td class="{"text" if i in text_columns else ""}">{esc(c)}</td>'
        for i, c in enumerate(r)) + "</tr>" for r in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table></div>"


def para(text: str, cls: str | None = None) -> str:
    return f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


# --- sections ---------------------------------------------------------------------------


def _window_of(e, window):
    if window is not None:
        return window
    return e.windows[0] if len(e.windows) == 1 else None


def what_if_section(e, exe, base=None, window=None) -> str:
    """A what-if set: headline, ranked table, charts, surveys against the truth."""
    window = _window_of(e, window)
    base = base or ("no_programme" if "no_programme" in e.cells else e.cells[0])
    others = [c for c in e.cells if c != base]
    lead = others[0]
    span = window.replace(":", " to ") if window else "the whole run"
    out = [f"<h2>What-ifs against {esc(base)}</h2>"]
    doc = None
    if exe:
        args = ["compare", e.path, "--base", base, "--json"]
        if window:
            args += ["--from", window.split(":")[0], "--to", window.split(":")[1]]
        doc = _run_json(exe, *args)
    comparisons = {c["scenario"]: c for c in doc["comparisons"]} if doc else {}
    diffs = {c: e.paired_differences(base, c, window) for c in others}
    n = int(diffs[lead].loc["totals.victims_removed", "n"])
    paired = all(c.get("paired", True) for c in comparisons.values())

    removed = diffs[lead].loc["totals.victims_removed"]
    days = diffs[lead].loc["totals.victim_days_exploited"]
    cost = comparisons.get(lead, {}).get("cost_per_victim_removed") or {}
    headline = (f"Over {span}, {lead} removed {num(removed['mean'])} more victims than {base} "
                "on average (95% confidence interval "
                f"{interval(removed.mean_ci_low, removed.mean_ci_high)}; "
                f"more in {removed.share_positive:.0%} of {n} paired replicates) and "
                f"{'averted' if days['mean'] < 0 else 'added'} {num(abs(days['mean']))} "
                f"victim-days (95% CI {interval(-days.mean_ci_high, -days.mean_ci_low)} averted)")
    if cost.get("value") is not None:
        headline += (f", at {fcfa_millions(cost['value'])} million FCFA per extra victim "
                     f"removed (bootstrap 95% interval {fcfa_millions(cost.get('ci_low'))} to "
                     f"{fcfa_millions(cost.get('ci_high'))} million).")
    else:
        headline += "."
    out.append(para(headline, "headline"))
    cautions = []
    if n < FEW_REPLICATES:
        cautions.append(f"These figures rest on only {n} replicates per scenario: the "
                        "intervals are rough and can move a lot with more replicates.")
    if not paired:
        cautions.append("Some comparisons are not paired (different random keys), so chance "
                        "differences between the runs are counted as effects: their intervals "
                        "are wider and less reliable.")
    if not exe:
        cautions.append("The tipsim executable was not found: cost ratios have no bootstrap "
                        "interval in this report.")
    if len(e.posterior_draws()):
        out.append(para(f"Each replicate is a draw from a calibration's posterior "
                        f"({len(e.posterior_draws().columns)} parameters): the intervals carry "
                        "both chance and the parameters' uncertainty."))
    out += [para(c, "caution") for c in cautions]

    # The ranked table.
    ce = {r.scenario: r for r in e.cost_effectiveness(base, window).itertuples()}
    rows = []
    for c in sorted(others, key=lambda c: -diffs[c].loc["totals.victims_removed", "mean"]):
        d = diffs[c]
        r, v = d.loc["totals.victims_removed"], d.loc["totals.victim_days_exploited"]
        cc = comparisons.get(c, {}).get("cost_per_victim_removed") or {}
        rows.append([c, num(ce[c].victims_removed), signed(r["mean"]),
                     interval(r.mean_ci_low, r.mean_ci_high, sign=True), signed(-v["mean"]),
                     interval(-v.mean_ci_high, -v.mean_ci_low, sign=True),
                     fcfa_millions(ce[c].spend_fcfa), fcfa_millions(cc.get("value")),
                     interval(cc.get("ci_low") and cc["ci_low"] / 1e6,
                              cc.get("ci_high") and cc["ci_high"] / 1e6, 1),
                     ce[c].by_victims_removed.replace("_", " ")])
    rows.append([f"{base} (base)", num(ce[base].victims_removed), "", "", "", "",
                 fcfa_millions(ce[base].spend_fcfa), "", "",
                 ce[base].by_victims_removed.replace("_", " ")])
    out.append("<h3>Scenarios ranked by victims removed</h3>")
    out.append(table(["scenario", "victims removed", f"vs {base}", "95% CI",
                      "victim-days averted", "95% CI", "spend, M FCFA",
                      "M FCFA per extra victim removed", "95% interval", "dominance"],
                     rows, text_columns=(0, 9),
                     caption=f"Means over {n} paired replicates, {span}; differences "
                             "replicate by replicate."))
    out.append(para("Dominance ranks spend against victims removed: a dominated scenario "
                    "costs more and removes no more than another; an extendedly dominated one "
                    "is beaten by a mix of two others; the rest form the efficient frontier."))
    cells = [base, *others]
    if "trafficked_at_sites" in e.series_names:
        out.append(figure(plots.over_time(e, "trafficked_at_sites", cells=cells[:4],
                                          max_points=MAX_POINTS),
                          "Trafficked women at the sites: median and 50%/90% bands over the "
                          "replicates; grey: when interventions act."))
    if "victims_removed" in e.series_names:
        first = window.split(":")[0] if window else None
        last = window.split(":")[1] if window else None
        out.append(figure(plots.over_time(e, "victims_removed", cells=cells[:4], start=first,
                                          end=last, max_points=MAX_POINTS, cumulative=True),
                          f"Victims removed, running total over {span}: median and 50%/90% "
                          "bands over the replicates."))
    out.append(figure(plots.differences(e, base, "totals.victims_removed", window),
                      f"Victims removed, each scenario minus {base}, {span}."))
    out.append(figure(plots.differences(e, base, "totals.victim_days_exploited", window),
                      f"Victim-days exploited, each scenario minus {base}, {span} "
                      "(negative: averted)."))
    out.append(figure(plots.cost_effectiveness_plane(e, base, window),
                      "Spend against victims removed; the line joins the efficient frontier."))
    try:
        out.append("<h3>What the surveys would see</h3>")
        out.append(figure(plots.survey_estimates_over_runs(e, cells=cells[:4]),
                          "Each survey's RDS-II estimate of the trafficked share against the "
                          "truth in its population: the survey sees the truth through sampling "
                          "and an imperfect instrument."))
    except ValueError:
        out.pop()
    return "\n".join(out)


def ensemble_section(e) -> str:
    """Replicates of one scenario, or a sweep: indicators over the runs."""
    s = e.summary()
    kind = "Sweep" if e.kind == "sweep" else "Replicates"
    out = [f"<h2>{kind}: {esc(os.path.basename(e.path))}</h2>"]
    if e.replicates < FEW_REPLICATES:
        out.append(para(f"Only {e.replicates} replicates per cell: ranges are rough.",
                        "caution"))
    keys = ["totals.victims_removed", "totals.recruited", "totals.victim_days_exploited",
            "totals.spend_fcfa"]
    rows = []
    for c in s["cells"]:
        for k in keys:
            v = c["indicators"].get(k)
            if v and v["n"]:
                rows.append([c["name"], k, num(v["median"]), interval(v["q10"], v["q90"])])
    out.append(table(["cell", "indicator", "median", "10% to 90% of replicates"], rows,
                     text_columns=(0, 1)))
    if e.kind != "sweep" and "trafficked_at_sites" in e.series_names:
        out.append(figure(plots.over_time(e, "trafficked_at_sites", cells=e.cells[:4],
                                          max_points=MAX_POINTS),
                          "Trafficked women at the sites: median and 50%/90% bands."))
    return "\n".join(out)


def run_section(run) -> str:
    s = run.summary()
    t = s["totals"]
    out = [f"<h2>Run: {esc(run.scenario_name)} (seed {run.seed})</h2>",
           para(f"{s['start']} to {s['end']}; one run is one draw of chance: compare "
                "scenarios over replicates (tipsim ensemble) before drawing conclusions.",
                "caution")]
    rows = [["recruited", num(t["recruited"])], ["victims removed", num(t["victims_removed"])],
            ["victim-days exploited", num(t["victim_days_exploited"])],
            ["arrests", num(t["arrests"])], ["convictions", num(t["convictions"])],
            ["intervention spend, M FCFA", fcfa_millions(t["spend_fcfa"])]]
    out.append(table(["total over the run", "value"], rows))
    obs = [[o["date"], num(o["wecs_18_30"]), num(o["trafficked_18_30"]),
            "-" if o["trafficked_share_true"] is None else f"{o['trafficked_share_true']:.1%}"]
           for o in s["observations"]]
    if obs:
        out.append(table(["observation", "women 18-30 in commercial sex", "of them trafficked",
                          "share"], obs))
    out.append(figure(plots.over_time(run, "trafficked_at_sites", max_points=MAX_POINTS),
                      "Trafficked women at the sites, day by day."))
    if any(sv.complete for sv in run.surveys()):
        out.append(figure(plots.survey_estimates(run),
                          "Survey estimates with their intervals beside the truth."))
    try:
        out.append(figure(plots.corridor_map(run), "The corridor: routes sized by the women "
                          "moved along them."))
    except Exception:  # noqa: BLE001 - a map needs coordinates and routes the file may lack
        pass
    return "\n".join(out)


def calibration_section(cal, exe=None, fit_ensemble=None, targets=None) -> str:
    out = [f"<h2>Calibration: {esc(os.path.basename(cal.path))}</h2>"]
    s = cal.summary()
    out.append(para(f"ABC-SMC, {cal.population} particles, {len(s['generations'])} "
                    f"generations, {num(s['simulations'])} simulations"
                    + (f", stopped by {s['stopped']}." if s["stopped"] else ", not finished.")))
    rows = []
    for p in s["parameters"]:
        q = p["posterior"] or {}
        rows.append([p["path"], f"{p['prior']}({p['a']:g}, {p['b']:g})",
                     "-" if not q else f"{q['median']:.4g}",
                     "-" if not q else f"{q['interval_50'][0]:.4g} to {q['interval_50'][1]:.4g}",
                     "-" if not q else f"{q['interval_90'][0]:.4g} to {q['interval_90'][1]:.4g}"])
    out.append(table(["parameter", "prior", "posterior median", "50% interval",
                      "90% interval"], rows, text_columns=(0, 1)))
    if cal.generation_numbers():
        out.append(figure(plots.calibration_marginals(cal),
                          "Each parameter's weighted particles by generation."))
        if len(cal.paths) <= 6:
            out.append(figure(plots.calibration_pairs(cal),
                              "The last generation's particles, two parameters at a time."))
    if exe and fit_ensemble is not None and targets:
        fit = _run_json(exe, "fit", fit_ensemble.path, targets, "--json")
        cell = "kedougou" if any(c["cell"] == "kedougou" for c in fit["cells"]) else None
        out.append(figure(plots.target_fit(fit, cell),
                          "Each target's reported value against the runs over the posterior."))
    return "\n".join(out)


def sensitivity_section(sa) -> str:
    out = [f"<h2>Sensitivity ({esc(sa.method)}): which assumptions matter</h2>"]
    key = "mu_star" if sa.method == "morris" else "total"
    for output in sa.outputs:
        ix = sa.indices(output).sort_values(key, ascending=False)
        chance = sa.chance_share(output)
        rows = [[r.path, f"{getattr(r, key):.4g}",
                 interval(getattr(r, key + "_low"), getattr(r, key + "_high"), 3)]
                for r in ix.itertuples()]
        out.append(f"<h3>{esc(output)}</h3>")
        if chance is not None:
            out.append(para(f"Chance (between replicates) holds {chance:.1%} of this output's "
                            "variance."))
        out.append(table(["parameter", "mu*" if key == "mu_star" else "total index (ST)",
                          "95% interval"], rows))
        draw = plots.morris if sa.method == "morris" else plots.sobol
        out.append(figure(draw(sa, output), f"{sa.method.title()} indices of {output}."))
    return "\n".join(out)


def provenance_section(readers) -> str:
    rows = []
    for r in readers:
        p = getattr(r, "provenance", None)
        p = p if isinstance(p, dict) else {}
        scenarios = getattr(r, "scenarios", None) or [getattr(r, "scenario_name", "")]
        replicates = getattr(r, "replicates", "") or ""
        rows.append([os.path.basename(r.path), r.kind, ", ".join(s for s in scenarios if s),
                     str(getattr(r, "seed", "")), str(replicates),
                     str(p.get("tipsim_version", getattr(r, "tipsim_version", "") or "")),
                     str(p.get("git_commit", ""))[:12], str(p.get("command_line", ""))])
    return "<h2>Provenance</h2>" + table(
        ["file", "kind", "scenarios", "seed", "replicates", "tipsim", "commit", "command"],
        rows, text_columns=(0, 1, 2, 7))


def _assumption_parameters(exe) -> list[tuple[str, str]]:
    """(key path, meaning) of every scenario value the schema marks as an assumption."""
    schema = _run_json(exe, "schema")
    out = []

    def walk(node, path):
        if "properties" in node:
            for key, child in node["properties"].items():
                walk(child, path + [key])
        elif "Source: assumption" in node.get("description", ""):
            out.append((".".join(path), node["description"].split(". Unit:")[0]))

    walk(schema, [])
    return out


def _scenario_of(readers) -> dict | None:
    """The resolved scenario of the first run or ensemble given (its first scenario)."""
    for r in readers:
        if r.kind == "run":
            return r.scenario
        if r.kind in ("ensemble", "sweep"):
            import yaml
            return yaml.safe_load(r.provenance["scenario_text"][r.scenarios[0]])
    return None


def _value_at(scenario: dict, path: str):
    node = scenario
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def assumptions_section(readers, exe=None) -> str:
    """What the results rest on: the values the sources do not give, with the scenario's
    value, marked where a calibration given here estimated them and ranked where a
    sensitivity analysis given here measured them."""
    out = ["<h2>Assumptions behind these results</h2>"]
    text = ("Most of the model's behavioural rates and the strengths of the interventions are "
            "assumptions, not measurements (docs/PARAMETERS.md gives each value's source). ")
    sensitivity = next((r for r in readers if r.kind == "sensitivity"), None)
    calibration = next((r for r in readers if r.kind == "calibration"), None)
    if sensitivity is None:
        text += ("Give this report a sensitivity analysis (tipsim sensitivity) to rank the "
                 "assumptions by what they move.")
    if calibration is not None:
        text += (" The calibration above estimated some of them from the survey data "
                 "(marked below); the rest stay as assumed.")
    out.append(para(text))
    scenario = _scenario_of(readers)
    if exe is None or scenario is None:
        return "\n".join(out)
    rank = {}
    if sensitivity is not None:
        key = "mu_star" if sensitivity.method == "morris" else "total"
        ix = sensitivity.indices(sensitivity.outputs[0]).sort_values(key, ascending=False)
        rank = {path: i + 1 for i, path in enumerate(ix.path)}
    calibrated = set(calibration.paths) if calibration is not None else set()
    rows = []
    for path, meaning in sorted(_assumption_parameters(exe),
                                key=lambda x: (rank.get(x[0], 10**6), x[0])):
        value = _value_at(scenario, path)
        if value is None or isinstance(value, (list, dict)):
            continue
        rows.append([path, f"{value:g}" if isinstance(value, float) else str(value), meaning,
                     "calibrated" if path in calibrated else "assumed",
                     str(rank.get(path, ""))])
    headers = ["parameter", "value", "meaning", "status"]
    if rank:
        headers.append(f"sensitivity rank ({sensitivity.outputs[0]})")
    else:
        rows = [r[:4] for r in rows]
    out.append(f"<details open><summary>{len(rows)} values of the scenario "
               f"({esc(scenario.get('name', ''))}) are assumptions in the model's sources: the "
               "list</summary>" + table(headers, rows, text_columns=(0, 2, 3)) + "</details>")
    return "\n".join(out)


# --- the document -----------------------------------------------------------------------


def build(paths, base=None, window=None, targets=None, title=None, exe=None) -> str:
    """The report of the files at `paths` as one HTML document."""
    matplotlib.use("Agg", force=False)
    exe = find_executable(exe)
    readers = [open_file(p) for p in paths]
    try:
        sections = []
        posterior_ensemble = next((r for r in readers if r.kind == "ensemble"
                                   and len(r.posterior_draws())), None)
        for r in readers:
            if r.kind == "ensemble" and len(r.cells) >= 2:
                sections.append(what_if_section(r, exe, base, window))
            elif r.kind in ("ensemble", "sweep"):
                sections.append(ensemble_section(r))
            elif r.kind == "run":
                sections.append(run_section(r))
            elif r.kind == "calibration":
                sections.append(calibration_section(r, exe, posterior_ensemble, targets))
            elif r.kind == "sensitivity":
                sections.append(sensitivity_section(r))
        sections.append(assumptions_section(readers, exe))
        sections.append(provenance_section(readers))
        title = title or "tipsim report: " + ", ".join(os.path.basename(p) for p in paths)
        generated = datetime.date.today().isoformat()
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
                f"<h1>{esc(title)}</h1><p class=\"meta\">Written {generated} by tipsim from "
                f"{esc(', '.join(paths))}. Simulated results: they show what the model and "
                "its assumptions imply, not measurements.</p>"
                + "\n".join(sections) + "</body></html>\n")
    finally:
        for r in readers:
            r.close()


def write(paths, out, **options) -> str:
    """Writes the report to `out` whole or not at all (a temporary file renamed), and
    returns its path."""
    if not paths:
        raise ValueError("report: no file given")
    for p in paths:
        if not os.path.isfile(p):
            raise FileError(f"{p}: no such file")
        if os.path.exists(out) and os.path.samefile(p, out):
            raise ValueError(f"--out {out} is one of the files to report on; it would be "
                             "replaced by the report")
    if os.path.isdir(out):
        raise ValueError(f"--out {out} is a folder; name the HTML file to write")
    if os.path.exists(out) and not os.path.isfile(out):
        raise ValueError(f"--out {out} exists and is not a regular file")
    document = build(paths, **options)
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(out) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(document)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    return out
