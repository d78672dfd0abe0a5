"""Blueprints/Apply on the real postern-policy (docs/blueprints.md "Applying"): the entries of a
blueprint created, a second apply all unchanged, a change reported with its fields, a dry run
that changes nothing, and a refused blueprint that changes nothing and names every problem."""
from wire_client import WireClient, call

B = "/postern.blueprint.v1.Blueprints/"
OK, INVALID_ARGUMENT, FAILED_PRECONDITION = 0, 3, 9

CHANGE_FLOW = """\
version: 1
metadata: {name: Default password change}
entries:
  - model: postern.binding
    identifiers: {target: !KeyOf prompt, policy: !KeyOf rules, order: 0}
  - model: postern.stage_binding
    identifiers: {flow: !KeyOf flow, stage: !KeyOf prompt, order: 0}
  - id: flow
    model: postern.flow
    identifiers: {slug: default-password-change}
    attrs: {name: Change Password, designation: stage_configuration}
  - id: prompt
    model: postern.prompt_stage
    identifiers: {name: default-password-change-prompt}
    attrs:
      fields:
        - {field_key: password, label: Password, type: password, required: true}
        - {field_key: password_repeat, label: Password (repeat), type: password, required: true}
  - id: rules
    model: postern.policy.password
    identifiers: {name: default-password-change-password-policy}
    attrs: {length_min: 8, error_message: "Password needs to be 8 characters or longer."}
"""
OUTCOME = {1: "created", 2: "updated", 3: "unchanged", 4: "deleted", 5: "already_absent"}


def apply(pb, daemon, text, dry_run=False, locations=()):
    with WireClient(daemon.socket, pb) as client:
        return call(client, B + "Apply", pb.blueprint.ApplyRequest(
            blueprint_yaml=text, dry_run=dry_run, entry_locations=list(locations)))


def report(pb, answer):
    assert answer.status_code == OK, answer.status_message
    parsed = pb.blueprint.ApplyResponse()
    parsed.ParseFromString(answer.payload)
    return [(r.model, OUTCOME[r.outcome], list(r.changed_fields)) for r in parsed.results]


def state(pb, daemon):
    """Everything postern-policy holds, as its List RPCs give it."""
    f, p, b = pb.flows, pb.policies, pb.bindings
    with WireClient(daemon.socket, pb) as client:
        return (
            call(client, "/postern.policy.v1.Flows/List", f.ListFlowsRequest(), f.ListFlowsResponse),
            call(client, "/postern.policy.v1.PromptStages/List", f.ListPromptStagesRequest(), f.ListPromptStagesResponse),
            call(client, "/postern.policy.v1.StageBindings/List", f.ListStageBindingsRequest(), f.ListStageBindingsResponse),
            call(client, "/postern.policy.v1.Policies/List", p.ListPoliciesRequest(), p.ListPoliciesResponse),
            call(client, "/postern.policy.v1.Bindings/List", b.ListBindingsRequest(), b.ListBindingsResponse),
        )


def test_apply_creates_then_reports_unchanged_then_updates(pb, start_daemon):
    policy = start_daemon("policy")
    empty = state(pb, policy)
    dry = report(pb, apply(pb, policy, CHANGE_FLOW, dry_run=True))
    assert [outcome for _, outcome, _ in dry] == ["created"] * 5
    assert state(pb, policy) == empty, "a dry run changes nothing"

    first = report(pb, apply(pb, policy, CHANGE_FLOW))
    # File order, each entry after those it refers to.
    assert [model for model, _, _ in first] == [
        "postern.flow", "postern.prompt_stage", "postern.stage_binding", "postern.policy.password", "postern.binding"]
    assert all(outcome == "created" for _, outcome, _ in first), first
    after = state(pb, policy)
    (stage_binding,) = after[2].stage_bindings
    assert stage_binding.stage_kind == pb.flows.STAGE_KIND_PROMPT, "a prompt stage's binding, inferred"
    (binding,) = after[4].bindings
    assert binding.target.kind == pb.bindings.TARGET_KIND_PROMPT_STAGE and binding.policy == "default-password-change-password-policy"

    again = report(pb, apply(pb, policy, CHANGE_FLOW))
    assert all(outcome == "unchanged" for _, outcome, _ in again), again
    assert state(pb, policy) == after, "a second apply changes nothing"

    changed = CHANGE_FLOW.replace("length_min: 8", "length_min: 10").replace("name: Change Password", "name: Change it")
    result = report(pb, apply(pb, policy, changed))
    assert ("postern.policy.password", "updated", ["length_min"]) in result
    assert ("postern.flow", "updated", ["name"]) in result
    assert sum(outcome == "unchanged" for _, outcome, _ in result) == 3

    gone = report(pb, apply(pb, policy, """\
version: 1
metadata: {name: cleanup}
entries:
  - {model: postern.flow, state: absent, identifiers: {slug: default-password-change}}
  - {model: postern.flow, state: absent, identifiers: {slug: never-was}}
"""))
    assert [outcome for _, outcome, _ in gone] == ["deleted", "already_absent"]
    assert not state(pb, policy)[2].stage_bindings, "the flow's stage bindings went with it"


def test_a_refused_blueprint_changes_nothing_and_names_every_problem(pb, start_daemon):
    policy = start_daemon("policy")
    report(pb, apply(pb, policy, CHANGE_FLOW))
    before = state(pb, policy)
    broken = """\
version: 1
metadata: {name: broken}
entries:
  - model: postern.flow
    identifiers: {slug: another}
    attrs: {designation: authentication}
  - model: postern.policy.expression
    identifiers: {name: bad-expression}
    attrs: {expression: "1 +"}
  - model: postern.binding
    identifiers: {target: "flow:nowhere", policy: default-password-change-password-policy, order: 0}
  - model: postern.policy.password
    identifiers: {name: default-password-change-password-policy}
    attrs: {check_static_rules: true, length_min: 8, length_max: 4}
"""
    answer = apply(pb, policy, broken, locations=["ops.yaml:4:5", "ops.yaml:7:5", "ops.yaml:10:5", "ops.yaml:12:5"])
    assert answer.status_code != OK
    lines = answer.status_message.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("ops.yaml:7:5: ") and "does not parse" in lines[0]
    assert lines[1].startswith("ops.yaml:10:5: ") and "no flow" in lines[1]
    assert lines[2].startswith("ops.yaml:12:5: ") and "length" in lines[2]
    assert state(pb, policy) == before, "nothing of it was kept, not even the good flow"

    foreign = apply(pb, policy, "version: 1\nmetadata: {name: x}\nentries:\n  - {model: postern.password_stage, identifiers: {name: p}}\n")
    assert foreign.status_code == INVALID_ARGUMENT and "postern-password's" in foreign.status_message
    env = apply(pb, policy, "version: 1\nmetadata: {name: x}\nentries:\n"
                            "  - {model: postern.policy.expression, identifiers: {name: e}, attrs: {expression: !Env HOME}}\n")
    assert env.status_code == INVALID_ARGUMENT and "resolved by the client" in env.status_message


def comparable(pb, daemon):
    """postern-policy's state with the ids a daemon makes replaced by what they name."""
    flows, prompts, stage_bindings, policies, bindings = state(pb, daemon)
    by_id = {sb.id: (sb.flow, sb.stage, sb.order) for sb in stage_bindings.stage_bindings}

    def without_id(message):
        copy = type(message)()
        copy.CopyFrom(message)
        copy.id = ""
        return copy.SerializeToString(deterministic=True)

    def binding_key(binding):
        target = (binding.target.kind, by_id.get(binding.target.name, binding.target.name))
        copy = type(binding)()
        copy.CopyFrom(binding)
        copy.id = ""
        copy.target.name = ""
        return (target, copy.SerializeToString(deterministic=True))

    return (
        flows.SerializeToString(deterministic=True), prompts.SerializeToString(deterministic=True),
        sorted(without_id(sb) for sb in stage_bindings.stage_bindings), policies.SerializeToString(deterministic=True),
        sorted(binding_key(b) for b in bindings.bindings),
    )


def test_an_export_applied_to_an_empty_daemon_reproduces_the_state(pb, start_daemon):
    source = start_daemon("policy")
    report(pb, apply(pb, source, CHANGE_FLOW + """\
  - id: sb
    model: postern.stage_binding
    identifiers: {flow: !KeyOf flow, stage: default-authentication-password, order: 20}
    attrs: {stage_kind: password, evaluate_on_plan: true, engine_mode: all}
  - model: postern.binding
    identifiers: {target: !KeyOf sb, policy: !KeyOf skip, order: 10}
    attrs: {failure_result: true, timeout: 5, negate: true}
  - id: skip
    model: postern.policy.expression
    identifiers: {name: "skip \\"quoted\\" \\u00e9"}
    attrs: {expression: "flow_plan == null || pending_user == null || !has(pending_user.backend)", execution_logging: true}
  - model: postern.binding
    identifiers: {target: "flow:default-password-change", group: staff, order: 1}
"""))
    with WireClient(source.socket, pb) as client:
        exported = call(client, B + "Export", pb.blueprint.ExportRequest(), pb.blueprint.ExportResponse).blueprint_yaml
        only = call(client, B + "Export", pb.blueprint.ExportRequest(models=["postern.flow"]), pb.blueprint.ExportResponse)
        unknown = call(client, B + "Export", pb.blueprint.ExportRequest(models=["postern.flw"]))
    assert "!KeyOf" in exported and only.blueprint_yaml.count("- model:") == 1
    assert unknown.status_code == INVALID_ARGUMENT
    assert all(outcome == "unchanged" for _, outcome, _ in report(pb, apply(pb, source, exported))), "the export is the state"
    target = start_daemon("policy", socket_name="copy.sock")
    assert all(outcome == "created" for _, outcome, _ in report(pb, apply(pb, target, exported)))
    assert comparable(pb, target) == comparable(pb, source)
