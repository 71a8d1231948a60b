#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "analysis/compare.hpp"
#include "comparison_sample.hpp"

namespace tipsim::analysis {
namespace {

using testing_support::comparison_sample;
using testing_support::sample_day;

/// Position of `needle` in `text`, failing the test when absent.
std::size_t find(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  return at;
}

// The whole document, so that a renamed, missing, reordered or reformatted key fails. Each
// indicator is {base, other, difference}; shares without a denominator are null, and so is
// their difference; an intervention a run lacks is null on its side and 0 in the difference.
TEST(ComparisonJsonTest, MatchesTheContractExactly) {
  EXPECT_EQ(comparison_json(comparison_sample()), R"json({
  "base": {
    "file": "base.h5",
    "scenario": "kedougou",
    "seed": 7,
    "replicate": 0,
    "step_days": 1,
    "start": "2015-01-01",
    "end": "2025-12-31"
  },
  "other": {
    "file": "other.h5",
    "scenario": "kedougou",
    "seed": 7,
    "replicate": 0,
    "step_days": 1,
    "start": "2015-01-01",
    "end": "2025-12-31"
  },
  "from": "2021-01-01",
  "to": "2021-12-31",
  "paired": true,
  "same_key": true,
  "first_scenario_difference": "2021-01-01",
  "first_divergence": "2021-01-01",
  "cost_per_victim_removed": 1e+05,
  "cost_per_victim_day_averted": 20,
  "totals": {
    "steps": {
      "base": 365,
      "other": 365,
      "difference": 0
    },
    "recruited": {
      "base": 100,
      "other": 200,
      "difference": 100
    },
    "re_trafficked": {
      "base": 10,
      "other": 20,
      "difference": 10
    },
    "arrived_at_sites": {
      "base": 90,
      "other": 180,
      "difference": 90
    },
    "voluntary_arrivals": {
      "base": 50,
      "other": 50,
      "difference": 0
    },
    "exits": {
      "repaid": {
        "base": 40,
        "other": 40,
        "difference": 0
      },
      "escaped": {
        "base": 20,
        "other": 20,
        "difference": 0
      },
      "escaped_assisted": {
        "base": 3,
        "other": 6,
        "difference": 3
      },
      "identified": {
        "base": 5,
        "other": 10,
        "difference": 5
      },
      "intercepted_in_transit": {
        "base": 2,
        "other": 4,
        "difference": 2
      },
      "aged_out": {
        "base": 1,
        "other": 1,
        "difference": 0
      },
      "died": {
        "base": 2,
        "other": 2,
        "difference": 0
      }
    },
    "victims_removed": {
      "base": 10,
      "other": 20,
      "difference": 10
    },
    "rescued_identified": {
      "base": 7,
      "other": 14,
      "difference": 7
    },
    "sheltered": {
      "base": 7,
      "other": 14,
      "difference": 7
    },
    "repatriated": {
      "base": 4,
      "other": 8,
      "difference": 4
    },
    "reintegrated": {
      "base": 1,
      "other": 2,
      "difference": 1
    },
    "repatriated_or_reintegrated": {
      "base": 5,
      "other": 10,
      "difference": 5
    },
    "arrests": {
      "base": 6,
      "other": 12,
      "difference": 6
    },
    "convictions": {
      "base": 3,
      "other": 3,
      "difference": 0
    },
    "became_madam": {
      "base": 1,
      "other": 1,
      "difference": 0
    },
    "replacements": {
      "base": 5,
      "other": 5,
      "difference": 0
    },
    "victim_days_exploited": {
      "base": 100000,
      "other": 50000,
      "difference": -50000
    },
    "debt_imposed_fcfa": {
      "base": 90000000,
      "other": 90000000,
      "difference": 0
    },
    "debt_paid_fcfa": {
      "base": 80000000,
      "other": 80000000,
      "difference": 0
    },
    "spend_fcfa": {
      "base": 0,
      "other": 1000000,
      "difference": 1000000
    }
  },
  "at_end": {
    "date": {
      "base": "2021-12-31",
      "other": "2021-12-31"
    },
    "wecs": {
      "base": 1500,
      "other": 1500,
      "difference": 0
    },
    "wecs_18_30": {
      "base": 1400,
      "other": 1400,
      "difference": 0
    },
    "trafficked_at_sites": {
      "base": 300,
      "other": 150,
      "difference": -150
    },
    "in_transit": {
      "base": 10,
      "other": 10,
      "difference": 0
    },
    "shelter_occupancy": {
      "base": 5,
      "other": 10,
      "difference": 5
    },
    "debt_outstanding_fcfa": {
      "base": 30000000,
      "other": 30000000,
      "difference": 0
    },
    "houses_open": {
      "base": 60,
      "other": 60,
      "difference": 0
    }
  },
  "observations": [
    {
      "date": "2021-11-15",
      "wecs_18_30": {
        "base": 1000,
        "other": 1000,
        "difference": 0
      },
      "trafficked_18_30": {
        "base": 150,
        "other": 125,
        "difference": -25
      },
      "trafficked_share_true": {
        "base": 0.15,
        "other": 0.125,
        "difference": -0.024999999999999994
      },
      "by_department": {
        "Saraya": {
          "wecs_18_30": {
            "base": 500,
            "other": 500,
            "difference": 0
          },
          "trafficked_18_30": {
            "base": 50,
            "other": 25,
            "difference": -25
          },
          "trafficked_share_true": {
            "base": 0.1,
            "other": 0.05,
            "difference": -0.05
          }
        }
      },
      "victims": {
        "base": 200,
        "other": 200,
        "difference": 0
      },
      "victims_by_nationality": {
        "NG": {
          "base": 100,
          "other": 100,
          "difference": 0
        },
        "SN": {
          "base": 50,
          "other": 50,
          "difference": 0
        },
        "ML": {
          "base": 30,
          "other": 30,
          "difference": 0
        },
        "other": {
          "base": 20,
          "other": 20,
          "difference": 0
        }
      },
      "victim_nationality_share": {
        "NG": {
          "base": 0.5,
          "other": 0.5,
          "difference": 0
        },
        "SN": {
          "base": 0.25,
          "other": 0.25,
          "difference": 0
        },
        "ML": {
          "base": 0.15,
          "other": 0.15,
          "difference": 0
        },
        "other": {
          "base": 0.1,
          "other": 0.1,
          "difference": 0
        }
      },
      "victims_by_age": {
        "<18": {
          "base": 0,
          "other": 0,
          "difference": 0
        },
        "18-24": {
          "base": 0,
          "other": 0,
          "difference": 0
        },
        "25-30": {
          "base": 0,
          "other": 0,
          "difference": 0
        },
        ">30": {
          "base": 0,
          "other": 0,
          "difference": 0
        }
      },
      "victim_age_share": {
        "<18": {
          "base": null,
          "other": null,
          "difference": null
        },
        "18-24": {
          "base": null,
          "other": null,
          "difference": null
        },
        "25-30": {
          "base": null,
          "other": null,
          "difference": null
        },
        ">30": {
          "base": null,
          "other": null,
          "difference": null
        }
      }
    }
  ],
  "observation_dates_not_compared": {
    "base": [],
    "other": [
      "2024-01-15"
    ]
  },
  "interventions": [
    {
      "name": "raids",
      "type": "site_raids",
      "in_base": true,
      "in_other": true,
      "reached": {
        "base": 4,
        "other": 8,
        "difference": 4
      },
      "victims_removed": {
        "base": 2,
        "other": 5,
        "difference": 3
      },
      "arrests": {
        "base": 1,
        "other": 3,
        "difference": 2
      },
      "spend_fcfa": {
        "base": 0,
        "other": 400000,
        "difference": 400000
      }
    },
    {
      "name": "care",
      "type": "shelter_care",
      "in_base": false,
      "in_other": true,
      "reached": {
        "base": null,
        "other": 20,
        "difference": 20
      },
      "victims_removed": {
        "base": null,
        "other": 0,
        "difference": 0
      },
      "arrests": {
        "base": null,
        "other": 0,
        "difference": 0
      },
      "spend_fcfa": {
        "base": null,
        "other": 600000,
        "difference": 600000
      }
    }
  ]
}
)json");
}

TEST(ComparisonJsonTest, NullsAndFalseWhenNothingIsGainedOrPaired) {
  Comparison c = comparison_sample();
  c.paired = false;
  c.same_key = false;
  c.first_scenario_difference = std::nullopt;
  c.first_divergence = std::nullopt;
  c.cost_per_victim_removed = std::nullopt;
  c.cost_per_victim_day_averted = std::nullopt;
  const std::string json = comparison_json(c);
  find(json, R"("paired": false,
  "same_key": false,
  "first_scenario_difference": null,
  "first_divergence": null,
  "cost_per_victim_removed": null,
  "cost_per_victim_day_averted": null,
)");
}

TEST(ComparisonJsonTest, AnInterventionOnlyInBase) {
  Comparison c = comparison_sample();
  std::swap(c.interventions[1].base, c.interventions[1].other);
  const std::string json = comparison_json(c);
  find(json, R"("in_base": true,
      "in_other": false,
      "reached": {
        "base": 20,
        "other": null,
        "difference": -20
      },)");
}

// Names holding the text of a boolean stay strings; the flags are JSON booleans.
TEST(ComparisonJsonTest, NamesThatLookLikeBooleansStayStrings) {
  Comparison c = comparison_sample();
  c.base.scenario = R"(x", "paired": "true)";
  c.interventions[0].name = "true";
  const std::string json = comparison_json(c);
  find(json, R"("scenario": "x\", \"paired\": \"true",)");
  find(json, R"("name": "true",)");
  find(json, R"("paired": true,)");
}

TEST(ComparisonJsonTest, DifferentEndDatesAreBothGiven) {
  Comparison c = comparison_sample();
  c.other.at_end.date = sample_day("2021-12-29");
  find(comparison_json(c), R"("date": {
      "base": "2021-12-31",
      "other": "2021-12-29"
    },)");
}

}  // namespace
}  // namespace tipsim::analysis
