#!/usr/bin/env python3
"""Summarises one tipsim_benchmark JSON output: rates per benchmark and argument, the
speedup of 2 threads over 1, and the table of performance goals (benchmarks/README.md).

Usage: python3 benchmarks/ratios.py bench.json

Repeated runs are summarised by their median aggregate when the file has one, otherwise by
the mean of the repetitions, so a file without aggregates works too.
The fastest repetition is shown beside it and gives a second speedup.
Python 3 standard library only.
"""
import json
import re
import statistics
import sys
from collections import defaultdict

FIELDS = ("real_time", "steps_per_s", "agent_days_per_s", "persons", "population",
          "active_persons", "peak_rss_mib", "run_peak_mib", "bytes_per_agent",
          "bytes_per_agent_after_ties", "ties", "population_per_s", "runs_per_s",
          "output_share", "output_wait_ms", "writer_ms", "record_mib")
TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def key_of(run_name):
    """(family, argument) from a run name such as BM_KedougouFullRun/threads:2/iterations:1:
    the first name:value pair after the family that is not the iteration count."""
    parts = run_name.split("/")
    for part in parts[1:]:
        match = re.fullmatch(r"([a-z_]+):(\d+)", part)
        if match and match.group(1) not in ("iterations", "repeats"):
            return parts[0], int(match.group(2))
    return parts[0], None


def summarise(entries):
    by_run = defaultdict(lambda: {"median": None, "runs": []})
    for e in entries:
        slot = by_run[e.get("run_name", e["name"])]
        if e.get("run_type") == "aggregate":
            if e.get("aggregate_name") == "median":
                slot["median"] = e
        else:
            slot["runs"].append(e)
    table = {}
    for run_name, slot in by_run.items():
        chosen = [slot["median"]] if slot["median"] else slot["runs"]
        if not chosen:
            continue
        row = {}
        for field in FIELDS:
            values = [c[field] for c in chosen if field in c]
            if not values:
                continue
            value = statistics.mean(values)
            if field == "real_time":
                value *= TO_MS[chosen[0].get("time_unit", "ns")]
            row[field] = value
        row["source"] = "median" if slot["median"] else f"mean of {len(chosen)}"
        if slot["runs"]:
            # Background load only ever slows a run down, so the fastest repetition is the
            # steadiest figure on a shared machine.
            unit = TO_MS[slot["runs"][0].get("time_unit", "ns")]
            row["best_time"] = min(r["real_time"] for r in slot["runs"]) * unit
        table[key_of(run_name)] = row
    return table


def fmt(value, digits=1):
    if value is None:
        return "-"
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.{digits + 1}f}{suffix}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def goals(table):
    """(measure, figure, goal, met) for each goal the file has the benchmarks of."""
    get = lambda family, arg, field: table.get((family, arg), {}).get(field)  # noqa: E731
    rows = []
    for threads in (1, 2):
        runs = get("BM_Ensemble", threads, "runs_per_s")
        if runs is not None:
            rows.append((f"default scenario in an ensemble, {threads} thread(s): runs/s",
                         f"{runs:.2f}", ">= 20 at 2 threads" if threads == 2 else "",
                         runs >= 20 if threads == 2 else None))
    time_ratio = ratio(get("BM_IdlePopulation", 10, "real_time"),
                       get("BM_IdlePopulation", 1, "real_time"))
    memory_ratio = ratio(get("BM_IdlePopulation", 10, "peak_rss_mib"),
                         get("BM_IdlePopulation", 1, "peak_rss_mib"))
    if time_ratio is not None:
        rows.append(("at-risk women x10 (no surveys): time ratio", f"{time_ratio:.2f}x",
                     "<= 1.3x", time_ratio <= 1.3))
    if memory_ratio is not None:
        rows.append(("at-risk women x10 (no surveys): peak memory ratio",
                     f"{memory_ratio:.2f}x ({get('BM_IdlePopulation', 10, 'peak_rss_mib'):.0f} vs "
                     f"{get('BM_IdlePopulation', 1, 'peak_rss_mib'):.0f} MiB)", "<= 1.3x",
                     memory_ratio <= 1.3))
    memory = lambda field: get("BM_National1mMemory", None, field)  # noqa: E731
    peak = memory("peak_rss_mib")
    if peak is not None:
        rows.append(("national_1m peak memory (benchmark process, build and steps)",
                     f"{peak:.0f} MiB", "<= 60 MiB", peak <= 60))
        per_agent = memory("bytes_per_agent_after_ties")
        rows.append(("national_1m: the run's peak less its series, ledger and snapshots "
                     f"({memory('record_mib'):.1f} MiB) and 8 bytes/tie, per agent with a row",
                     f"{per_agent:.0f} bytes ({fmt(memory('persons'))} rows, "
                     f"{fmt(memory('ties'))} ties; {memory('bytes_per_agent'):.0f} with them)",
                     "<= 64 bytes", per_agent <= 64))
    one = get("BM_Regional100xSteps", 1, "steps_per_s")
    two = get("BM_Regional100xSteps", 2, "steps_per_s")
    if one is not None and two is not None:
        rows.append(("regional_100x steps/s, 1 -> 2 threads",
                     f"{one:.0f} -> {two:.0f} = {two / one:.2f}x", ">= 1.8x", two / one >= 1.8))
    share = get("BM_OutputShare", None, "output_share")
    if share is not None:
        writer = get("BM_OutputShare", None, "writer_ms")
        rows.append(("run file: share of a default run its thread spends on it",
                     f"{100 * share:.1f}% (writer thread {writer:.0f} ms)", "<= 2%",
                     share <= 0.02))
    for family in ("BM_Regional100xSteps", "BM_National1mSteps", "BM_KedougouFullRun"):
        rate = get(family, 1, "agent_days_per_s")
        if rate is not None:
            rows.append((f"{family}, 1 thread: agent-days/s of agents with a row", fmt(rate),
                         "", None))
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    table = summarise(data.get("benchmarks", []))
    context = data.get("context", {})
    print(f"# {context.get('date', '?')} on {context.get('host_name', '?')}, "
          f"{context.get('num_cpus', '?')} CPUs, load {context.get('load_avg', '?')}")
    print(f"{'benchmark':<28}{'arg':>6}{'time ms':>10}{'best ms':>10}{'steps/s':>10}"
          f"{'agent-days/s':>14}{'rows':>10}{'summary':>12}")
    for (family, arg), row in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        best = f"{row['best_time']:.1f}" if "best_time" in row else "-"
        print(f"{family:<28}{arg if arg is not None else '-':>6}{row['real_time']:>10.1f}{best:>10}"
              f"{fmt(row.get('steps_per_s')):>10}{fmt(row.get('agent_days_per_s')):>14}"
              f"{fmt(row.get('persons')):>10}{row['source']:>12}")
    for family in sorted({family for family, _ in table}):
        one, two = table.get((family, 1)), table.get((family, 2))
        if one and two and ("steps_per_s" in one or "runs_per_s" in one):
            line = f"speedup {family} 2 threads / 1 thread: {one['real_time'] / two['real_time']:.2f}x"
            if "best_time" in one and "best_time" in two:
                line += f" ({one['best_time'] / two['best_time']:.2f}x fastest to fastest)"
            print(line)
    rows = goals(table)
    if rows:
        print()
        print("| measure | figure | goal | met |")
        print("|---|---|---|---|")
        for measure, figure, goal, met in rows:
            mark = "" if met is None else ("yes" if met else "no")
            print(f"| {measure} | {figure} | {goal} | {mark} |")


if __name__ == "__main__":
    main()
