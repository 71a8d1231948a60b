#!/usr/bin/env python3
"""Summarises one tipsim_benchmark JSON output: rates per benchmark and thread count, and the
speedup of 2 threads over 1.

Usage: python3 benchmarks/ratios.py bench.json

Repeated runs are summarised by their median aggregate when the file has one, otherwise by
the mean of the repetitions, so a file without aggregates works too.
The fastest repetition is shown beside it and gives a second speedup.
"""
import json
import re
import statistics
import sys
from collections import defaultdict

FIELDS = ("real_time", "steps_per_s", "agent_days_per_s", "persons", "active_persons",
          "peak_rss_mib", "bytes_per_agent", "resident_bytes_per_agent", "persons_per_s")
TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def key_of(run_name):
    """(family, threads) from a run name such as BM_KedougouFullRun/threads:2/iterations:1."""
    family = run_name.split("/")[0]
    match = re.search(r"/threads:(\d+)", run_name)
    return family, int(match.group(1)) if match else None


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


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    table = summarise(data.get("benchmarks", []))
    context = data.get("context", {})
    print(f"# {context.get('date', '?')} on {context.get('host_name', '?')}, "
          f"{context.get('num_cpus', '?')} CPUs, load {context.get('load_avg', '?')}")
    print(f"{'benchmark':<28}{'threads':>8}{'time ms':>10}{'best ms':>10}{'steps/s':>10}"
          f"{'agent-days/s':>14}{'persons':>10}{'summary':>12}")
    for (family, threads), row in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        best = f"{row['best_time']:.1f}" if "best_time" in row else "-"
        print(f"{family:<28}{threads if threads else '-':>8}{row['real_time']:>10.1f}{best:>10}"
              f"{fmt(row.get('steps_per_s')):>10}{fmt(row.get('agent_days_per_s')):>14}"
              f"{fmt(row.get('persons')):>10}{row['source']:>12}")
    for (family, threads), row in sorted(table.items(), key=lambda kv: kv[0][0]):
        if "peak_rss_mib" in row:
            print(f"{family} threads:{threads}: peak RSS {row['peak_rss_mib']:.0f} MiB, "
                  f"{row['bytes_per_agent']:.0f} bytes/agent at peak, "
                  f"{row.get('resident_bytes_per_agent', 0):.0f} bytes/agent resident after")
        if "persons_per_s" in row:
            print(f"{family}: {row['real_time']:.0f} ms for {fmt(row.get('persons'))} persons "
                  f"({fmt(row['persons_per_s'])} persons/s)")
    families = sorted({family for family, _ in table})
    for family in families:
        one, two = table.get((family, 1)), table.get((family, 2))
        if one and two:
            line = f"speedup {family} 2 threads / 1 thread: {one['real_time'] / two['real_time']:.2f}x"
            if "best_time" in one and "best_time" in two:
                line += f" ({one['best_time'] / two['best_time']:.2f}x fastest to fastest)"
            print(line)


if __name__ == "__main__":
    main()
