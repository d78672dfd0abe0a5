"""Blueprint files (docs/blueprints.md) from the command line: `postern blueprint validate` lists
every problem with FILE:LINE:COLUMN and exits 64, no daemon asked; and the JSON Schema in
docs/blueprints.schema.json, checked with an independent validator (jsonschema over PyYAML),
accepts what the parser accepts and refuses what it refuses."""
import json
import pathlib

import jsonschema
import yaml

from test_cli_conventions import postern

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOOD = """\
version: 1
metadata: {name: login}
entries:
  - model: postern.stage_binding
    identifiers: {flow: !KeyOf flow, stage: default-authentication-password, order: 20}
    attrs: {stage_kind: password, re_evaluate_policies: true}
  - id: flow
    model: postern.flow
    identifiers: {slug: default-authentication-flow}
    attrs: {designation: authentication}
  - model: postern.binding
    identifiers: {target: !Find [postern.flow, [slug, default-authentication-flow]], policy: skip, order: 10}
    attrs: {failure_result: true}
  - model: postern.policy.expression
    identifiers: {name: skip}
    attrs: {expression: "flow_plan == null || pending_user == null || !has(pending_user.backend)"}
"""
BROKEN = """\
version: 1
metadata: {name: broken}
entries:
  - model: postern.flow
    identifiers: {slug: x}
    attrs: {designation: authentication, colour: blue}
  - model: postern.policy.password_expiry
    identifiers: {name: old}
    attrs: {days: ninety}
"""


class Tags(yaml.SafeLoader):
    """PyYAML reading Postern's tags as plain values, as a schema-aware editor sees them."""


for tag in ("!KeyOf", "!Find", "!Env", "!File"):
    Tags.add_constructor(tag, lambda loader, node: loader.construct_scalar(node)
                         if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node, deep=True))


def schema():
    return json.loads((ROOT / "docs" / "blueprints.schema.json").read_text())


def test_validate_reads_a_good_file_and_names_every_problem_of_a_bad_one(tmp_path):
    good, broken = tmp_path / "good.yaml", tmp_path / "broken.yaml"
    good.write_text(GOOD)
    broken.write_text(BROKEN)
    ok = postern("blueprint", "validate", str(good))
    assert ok.returncode == 0 and f"{good}: login, 4 entries" in ok.stdout, ok
    bad = postern("blueprint", "validate", str(good), str(broken))
    assert bad.returncode == 64, bad
    lines = bad.stderr.strip().splitlines()
    assert lines[0].startswith(f"{broken}:6:42: unknown field colour in postern.flow attrs"), lines
    assert lines[1].startswith(f"{broken}:9:19: attrs.days must be an integer"), lines
    assert len(lines) == 2 and "2 problems" in bad.stdout
    shown = json.loads(postern("blueprint", "validate", str(broken), "--json").stdout)
    assert shown["valid"] is False and shown["files"] == []
    assert [(p["line"], p["column"]) for p in shown["problems"]] == [(6, 42), (9, 19)]
    missing = postern("blueprint", "validate", str(tmp_path / "none.yaml"))
    assert missing.returncode == 64 and "cannot read the blueprint file" in missing.stderr


def test_the_schema_is_the_parsers(tmp_path):
    printed = postern("blueprint", "schema")
    assert printed.returncode == 0 and json.loads(printed.stdout) == schema()
    validator = jsonschema.Draft202012Validator(schema())
    assert not list(validator.iter_errors(yaml.load(GOOD, Loader=Tags)))
    errors = sorted(e.message for e in validator.iter_errors(yaml.load(BROKEN, Loader=Tags)))
    assert errors, "the schema refuses the broken file too"
