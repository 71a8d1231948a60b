#!/usr/bin/env python3
"""Writes national_1m.yaml: the Kedougou corridor model at about one million persons.

The scenario exists to measure how the simulator scales (benchmarks/), not to describe
the corridor: origins, sites and capacities are the calibrated Kedougou values multiplied
up, so the per-woman demand and the per-house dynamics stay those of the real scenario.

Usage: python3 make_national.py [output]   (default: national_1m.yaml next to this script)
"""
import datetime
import os
import sys

START = datetime.date(2020, 1, 1)
END = datetime.date(2021, 12, 31)
BAND_YEARS = 15.0  # recruitable_age_max - recruitable_age_min in ../kedougou.yaml

# Capacities (houses, miners, arrivals, initial women, shelters, courts) grow by this
# factor over ../kedougou.yaml, about the growth of the at-risk population below.
SCALE = 7

# Origins: (name, country, at-risk women in the band at any time, recruiters,
# transporters, first hub on the way to the sites).
ORIGINS = [
    ("Edo", "NG", 48000, 40, 12, "Lagos"),
    ("Delta", "NG", 48000, 40, 12, "Lagos"),
] + [
    (state, "NG", 35000, 20, 8, "Lagos")
    for state in (
        "Lagos State", "Anambra", "Rivers", "Bayelsa", "Ogun", "Imo", "Enugu", "Abia",
        "Ondo", "Oyo", "Akwa Ibom", "Cross River", "Kogi", "Ekiti",
    )
] + [
    ("Tambacounda", "SN", 40000, 20, 6, "Kedougou town"),
    ("Kedougou villages", "SN", 24000, 15, 4, "Kedougou town"),
    ("Kolda", "SN", 30000, 15, 4, "Kedougou town"),
    ("Kaolack", "SN", 30000, 15, 4, "Kedougou town"),
    ("Kayes", "ML", 40000, 20, 6, "Moussala"),
    ("Sikasso", "ML", 30000, 15, 4, "Bamako"),
    ("Koulikoro", "ML", 30000, 15, 4, "Bamako"),
    ("Labe", "GN", 24000, 15, 4, "Kedougou town"),
    ("Kankan", "GN", 24000, 15, 4, "Bamako"),
    ("Bobo-Dioulasso", "BF", 16000, 10, 3, "Bamako"),
]

# Travel from each origin to its first hub: (days_mean, cost_fcfa, bribe_fcfa, screening).
FIRST_LEG = {
    "NG": (1.0, 10000, 0, 0.0),
    "SN": (1.5, 7000, 0, 0.0),
    "ML": (1.0, 8000, 1000, 0.02),
    "GN": (2.0, 15000, 1500, 0.02),
    "BF": (1.5, 12000, 1500, 0.02),
}

# The twelve sites of ../kedougou.yaml: (name, department, miners, houses, voluntary
# arrivals per year, initial free WECS). Each is copied COPIES times with capacities
# multiplied by SCALE / COPIES, so the region holds SCALE times the Kedougou totals.
PROFILES = [
    ("Khossanto", "Saraya", 5000, 8, 126, 256),
    ("Kharakhena", "Saraya", 4000, 6, 100, 205),
    ("Sabodala", "Saraya", 3000, 5, 75, 153),
    ("Bembou", "Saraya", 3000, 5, 75, 153),
    ("Diabougou", "Saraya", 2000, 3, 50, 102),
    ("Sekoto", "Saraya", 1500, 2, 38, 77),
    ("Kolya", "Saraya", 1500, 2, 38, 77),
    ("Mouran", "Saraya", 1500, 2, 38, 77),
    ("Bantaco", "Kedougou", 3500, 14, 66, 147),
    ("Tenkoto", "Kedougou", 2500, 10, 47, 105),
    ("Mako", "Kedougou", 2000, 8, 38, 84),
    ("Tomboronkoto", "Kedougou", 1500, 6, 28, 63),
]
COPIES = 5

HUB_ROUTES = """\
  - {from: Lagos, to: Cotonou, days_mean: 1.0, cost_fcfa: 15000, bribe_fcfa: 2000, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Cotonou, to: Bamako, days_mean: 4.0, cost_fcfa: 50000, bribe_fcfa: 2000, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Cotonou, to: Ouagadougou, days_mean: 2.5, cost_fcfa: 25000, bribe_fcfa: 1500, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Ouagadougou, to: Bamako, days_mean: 2.0, cost_fcfa: 20000, bribe_fcfa: 1500, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Bamako, to: Moussala, days_mean: 2.0, cost_fcfa: 20000, bribe_fcfa: 2000, screening_probability: 0.03, bribe_effect: 0.5}
  - {from: Moussala, to: Kedougou town, days_mean: 1.0, cost_fcfa: 5000}
  - {from: Kedougou town, to: Saly-Mbour, days_mean: 2.0, cost_fcfa: 15000}
"""


def at_risk_total():
    return sum(o[2] for o in ORIGINS)


def expected_women():
    horizon_years = (END - START).days / 365.25
    return round(at_risk_total() * (horizon_years + BAND_YEARS) / BAND_YEARS)


def sites():
    factor = SCALE / COPIES
    for copy in range(1, COPIES + 1):
        for name, dept, miners, houses, arrivals, initial in PROFILES:
            yield (f"{name} {copy}", dept, round(miners * factor), round(houses * factor),
                   round(arrivals * factor), round(initial * factor))


def render():
    site_list = list(sites())
    women = expected_women()
    out = []
    w = out.append
    w("# Synthetic: the Kedougou corridor model at about 1,000,000 persons, for benchmarks/.")
    w("# Written by make_national.py (edit that, then rerun it); not a description of the region.")
    w(f"# {len(ORIGINS)} origins with {at_risk_total():,} at-risk women in the band at any time, so")
    w(f"# about {women:,} women over the two-year horizon; {len(site_list)} sites holding")
    w(f"# {SCALE}x the Kedougou miners, houses, arrivals and initial women, so demand per woman")
    w("# stays that of ../kedougou.yaml, whose population, organisation, demand, recruitment and")
    w("# exploitation parameters this file inherits unchanged.")
    w("extends: ../kedougou.yaml")
    w("name: national_1m")
    w("simulation:")
    w(f"  start: {START.isoformat()}")
    w(f"  end: {END.isoformat()}")
    w("observation:")
    w("  dates: [2020-11-15, 2021-11-15]")
    w("  snapshot_dates: [2021-11-15]")
    w("# The 2021 baseline survey of the default scenario, scaled, with the default instrument;")
    w("# the endline falls after this horizon.")
    w("surveys:")
    w("  - name: baseline_2021")
    w("    start: 2021-10-01")
    w("    end: 2021-12-31")
    w("    design:")
    w("      type: rds")
    w(f"      sample_size: {561 * SCALE}")
    w(f"      seeds: {12 * SCALE}")
    w("places:")
    for name, country, at_risk, recruiters, transporters, _ in ORIGINS:
        w(f"  - {{name: {name}, kind: origin, country: {country}, at_risk_women: {at_risk}, "
          f"recruiters: {recruiters}, transporters: {transporters}}}")
    for hub, country, kind in (("Lagos", "NG", "transit"), ("Cotonou", "BJ", "transit"),
                               ("Ouagadougou", "BF", "transit"), ("Bamako", "ML", "transit"),
                               ("Moussala", "SN", "border"), ("Kedougou town", "SN", "transit"),
                               ("Saly-Mbour", "SN", "destination")):
        w(f"  - {{name: {hub}, kind: {kind}, country: {country}}}")
    for name, dept, miners, houses, arrivals, initial in site_list:
        w(f"  - {{name: {name}, kind: site, country: SN, department: {dept}, miners: {miners}, "
          f"houses: {houses},")
        w(f"     voluntary_arrivals_per_year: {arrivals}, initial_free_wecs: {initial},")
        w("     police_identification_rate_per_year: 0.05, ngo_identification_rate_per_year: 0.03}")
    w("routes:")
    for name, country, _, _, _, hub in ORIGINS:
        days, cost, bribe, screening = FIRST_LEG[country]
        extra = ""
        if bribe:
            extra = f", bribe_fcfa: {bribe}, screening_probability: {screening}, bribe_effect: 0.5"
        w(f"  - {{from: {name}, to: {hub}, days_mean: {days}, cost_fcfa: {cost}{extra}}}")
    out.append(HUB_ROUTES.rstrip("\n"))
    for name, dept, *_ in site_list:
        if dept == "Saraya":
            w(f"  - {{from: Moussala, to: {name}, days_mean: 0.5, cost_fcfa: 3000}}")
            w(f"  - {{from: Kedougou town, to: {name}, days_mean: 1.0, cost_fcfa: 5000}}")
        else:
            w(f"  - {{from: Kedougou town, to: {name}, days_mean: 0.5, cost_fcfa: 3000}}")
    # Shelters, repatriation batches and courts at the Kedougou defaults would be swamped
    # by seven times the victims; scaled too, the justice phases keep their usual load.
    w("protection:")
    w(f"  shelter_beds: {10 * SCALE}")
    w(f"  repatriation_batch_max: {30 * SCALE}")
    w("prosecution:")
    w(f"  court_cases_per_year: {20 * SCALE}")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "national_1m.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(render())
    print(f"wrote {path}: {len(ORIGINS)} origins, {COPIES * len(PROFILES)} sites, "
          f"about {expected_women():,} women")


if __name__ == "__main__":
    main()
