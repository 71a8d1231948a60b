"""Every shipped scenario validates, and its resolved form satisfies `tipsim schema`."""
import json
import os
import subprocess
import unittest

import jsonschema
import yaml

BIN = os.environ["TIPSIM_BIN"]
SOURCE = os.environ["TIPSIM_SOURCE_DIR"]
SCENARIOS = os.path.join(SOURCE, "scenarios")


class PlainLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay the strings the schema describes."""


PlainLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def tipsim(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


def shipped_scenarios():
    for root, _, files in os.walk(SCENARIOS):
        # Targets and priors files are not scenarios (the calibration tests read them).
        if os.path.basename(root) in ("targets", "calibration"):
            continue
        for name in sorted(files):
            if name.endswith(".yaml"):
                yield os.path.join(root, name)


class SchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        r = tipsim("schema")
        assert r.returncode == 0, r.stderr
        cls.validator = jsonschema.Draft202012Validator(json.loads(r.stdout))

    def resolved(self, path):
        r = tipsim("validate", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return yaml.load(r.stdout, Loader=PlainLoader)

    def test_every_shipped_scenario_resolves_to_a_document_the_schema_accepts(self):
        paths = list(shipped_scenarios())
        self.assertGreaterEqual(len(paths), 11)
        for path in paths:
            with self.subTest(scenario=os.path.relpath(path, SOURCE)):
                errors = [e.message for e in self.validator.iter_errors(self.resolved(path))]
                self.assertEqual(errors, [])

    def test_the_programme_and_whatifs_declare_their_interventions(self):
        names = [i["name"] for i in self.resolved(os.path.join(SCENARIOS, "kedougou.yaml"))
                 ["interventions"]]
        self.assertIn("vigilance_committees", names)
        self.assertEqual(self.resolved(os.path.join(SCENARIOS, "whatif", "no_programme.yaml"))
                         ["interventions"], [])
        extended = self.resolved(os.path.join(SCENARIOS, "whatif", "origin_prevention.yaml"))
        self.assertEqual([i["name"] for i in extended["interventions"]],
                         names + ["empowerment_nigeria"])
        widened = next(i for i in extended["interventions"] if i["name"] == "awareness_nigeria")
        self.assertEqual(len(widened["target"]["origins"]), 7)

    def test_schema_rejects_a_key_of_another_intervention_type(self):
        document = self.resolved(os.path.join(SCENARIOS, "kedougou.yaml"))
        shelter = next(i for i in document["interventions"] if i["type"] == "shelter_care")
        self.assertEqual(list(self.validator.iter_errors(document)), [])
        shelter["raids_per_year"] = 2
        self.assertFalse(self.validator.is_valid(document))
        del shelter["raids_per_year"]
        shelter["type"] = "demand_reduction"  # its own keys (beds, care_days) are now foreign
        self.assertFalse(self.validator.is_valid(document))
        shelter["type"] = "shelter_care"
        shelter["trigger"]["indicator"] = "not_a_series"
        self.assertFalse(self.validator.is_valid(document))


if __name__ == "__main__":
    unittest.main()
