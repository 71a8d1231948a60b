#!/usr/bin/env python3
"""Writes the synthetic scenarios of benchmarks/: the Kedougou corridor model scaled up.

- national_1m.yaml: about one million at-risk women (26 origins) and seven times the
  Kedougou sites' capacities;
- regional_100x.yaml: the Kedougou origins and sites with a hundred times the activity
  (recruiters, transporters, miners, houses, voluntary arrivals, initial women, shelters,
  courts), about 150,000 women at the sites: the high-activity scenario whose steps
  measure thread scaling.

They exist to measure how the simulator scales, not to describe the region: origins, sites
and capacities are the calibrated Kedougou values multiplied up, so the per-woman demand
and the per-house dynamics stay those of the real scenario.

Usage: python3 make_synthetic.py [directory]   (default: the directory of this script)
"""
import datetime
import os
import sys

START = datetime.date(2020, 1, 1)
END = datetime.date(2021, 12, 31)
BAND_YEARS = 15.0  # recruitable_age_max - recruitable_age_min in ../kedougou.yaml

# Origins: (name, country, at-risk women in the band at any time, recruiters,
# transporters, first hub on the way to the sites).
NATIONAL_ORIGINS = [
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

# The origins of ../kedougou.yaml, each with its first hub here.
KEDOUGOU_ORIGINS = [
    ("Edo", "NG", 12000, 10, 3, "Lagos"),
    ("Delta", "NG", 12000, 10, 3, "Lagos"),
] + [
    (state, "NG", 12000, 5, 3, "Lagos")
    for state in ("Lagos State", "Anambra", "Rivers", "Bayelsa", "Ogun")
] + [
    ("Tambacounda", "SN", 8000, 5, 2, "Kedougou town"),
    ("Kedougou villages", "SN", 6000, 4, 2, "Kedougou town"),
    ("Kayes", "ML", 8000, 5, 2, "Moussala"),
    ("Sikasso", "ML", 6000, 4, 2, "Bamako"),
    ("Labe", "GN", 6000, 4, 2, "Kedougou town"),
    ("Bobo-Dioulasso", "BF", 4000, 2, 1, "Bamako"),
]


class Profile:
    """One synthetic scenario: its name, horizon, origins (their women, recruiters and
    transporters multiplied by `origin_scale`), and the sites: each Kedougou site copied
    `copies` times with capacities multiplied by `scale / copies`, so the region holds
    `scale` times the Kedougou totals."""

    def __init__(self, name, description, origins, origin_scale, scale, copies, survey):
        self.name = name
        self.description = description
        self.origins = [(n, c, a * origin_scale, r * origin_scale, t * origin_scale, h)
                        for n, c, a, r, t, h in origins]
        self.scale = scale
        self.copies = copies
        self.survey = survey


NATIONAL = Profile("national_1m", "about 1,000,000 persons", NATIONAL_ORIGINS, 1, 7, 5, True)
REGIONAL = Profile("regional_100x", "a hundred times the Kedougou activity", KEDOUGOU_ORIGINS,
                   100, 100, 20, False)

# Travel from each origin to its first hub: (days_mean, cost_fcfa, bribe_fcfa, screening).
FIRST_LEG = {
    "NG": (1.0, 10000, 0, 0.0),
    "SN": (1.5, 7000, 0, 0.0),
    "ML": (1.0, 8000, 1000, 0.02),
    "GN": (2.0, 15000, 1500, 0.02),
    "BF": (1.5, 12000, 1500, 0.02),
}

# The twelve sites of ../kedougou.yaml: (name, department, miners, houses, voluntary
# arrivals per year, initial free WECS).
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
HUB_ROUTES = """\
  - {from: Lagos, to: Cotonou, days_mean: 1.0, cost_fcfa: 15000, bribe_fcfa: 2000, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Cotonou, to: Bamako, days_mean: 4.0, cost_fcfa: 50000, bribe_fcfa: 2000, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Cotonou, to: Ouagadougou, days_mean: 2.5, cost_fcfa: 25000, bribe_fcfa: 1500, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Ouagadougou, to: Bamako, days_mean: 2.0, cost_fcfa: 20000, bribe_fcfa: 1500, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Bamako, to: Moussala, days_mean: 2.0, cost_fcfa: 20000, bribe_fcfa: 2000, screening_probability: 0.03, bribe_effect: 0.5}
  - {from: Moussala, to: Kedougou town, days_mean: 1.0, cost_fcfa: 5000}
  - {from: Kedougou town, to: Saly-Mbour, days_mean: 2.0, cost_fcfa: 15000}
"""


def at_risk_total(profile):
    return sum(o[2] for o in profile.origins)


def expected_women(profile):
    horizon_years = (END - START).days / 365.25
    return round(at_risk_total(profile) * (horizon_years + BAND_YEARS) / BAND_YEARS)


def sites(profile):
    factor = profile.scale / profile.copies
    for copy in range(1, profile.copies + 1):
        for name, dept, miners, houses, arrivals, initial in PROFILES:
            yield (f"{name} {copy}", dept, round(miners * factor), round(houses * factor),
                   round(arrivals * factor), round(initial * factor))


def render(profile):
    site_list = list(sites(profile))
    women = expected_women(profile)
    scale = profile.scale
    out = []
    w = out.append
    w(f"# Synthetic: the Kedougou corridor model at {profile.description}, for benchmarks/.")
    w("# Written by make_synthetic.py (edit that, then rerun it); not a description of the region.")
    w(f"# {len(profile.origins)} origins with {at_risk_total(profile):,} at-risk women in the band "
      "at any time, so")
    w(f"# about {women:,} women over the two-year horizon; {len(site_list)} sites holding")
    w(f"# {scale}x the Kedougou miners, houses, arrivals and initial women, so demand per woman")
    w("# stays that of ../kedougou.yaml, whose population, organisation, demand, recruitment and")
    w("# exploitation parameters this file inherits unchanged.")
    w("extends: ../kedougou.yaml")
    w(f"name: {profile.name}")
    w("simulation:")
    w(f"  start: {START.isoformat()}")
    w(f"  end: {END.isoformat()}")
    w("observation:")
    w("  dates: [2020-11-15, 2021-11-15]")
    w("  snapshot_dates: [2021-11-15]")
    if profile.survey:
        w("# The 2021 baseline survey of the default scenario, scaled, with the default instrument;")
        w("# the endline falls after this horizon.")
        w("surveys:")
        w("  - name: baseline_2021")
        w("    start: 2021-10-01")
        w("    end: 2021-12-31")
        w("    design:")
        w("      type: rds")
        w(f"      sample_size: {561 * scale}")
        w(f"      seeds: {12 * scale}")
    else:
        w("# No survey: the steps of the model alone are what this scenario measures.")
        w("surveys: []")
    w("places:")
    for name, country, at_risk, recruiters, transporters, _ in profile.origins:
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
    for name, country, _, _, _, hub in profile.origins:
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
    # by the multiplied victims; scaled too, the justice phases keep their usual load.
    w("protection:")
    w(f"  shelter_beds: {10 * scale}")
    w(f"  repatriation_batch_max: {30 * scale}")
    w("prosecution:")
    w(f"  court_cases_per_year: {20 * scale}")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    directory = sys.argv[1] if len(sys.argv) > 1 else here
    for profile in (NATIONAL, REGIONAL):
        path = os.path.join(directory, profile.name + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(render(profile))
        print(f"wrote {path}: {len(profile.origins)} origins, "
              f"{profile.copies * len(PROFILES)} sites, about {expected_women(profile):,} women")


if __name__ == "__main__":
    main()
