"""`postern policy|flow|stage-binding|prompt-stage|binding|plan|evaluate` against a real
postern-policy (docs/cli.md): human text, --json shapes, exit statuses."""
import json

import pytest

from test_cli_conventions import postern


@pytest.fixture
def run(start_daemon):
    daemon = start_daemon("policy")

    def run(*args, input=None):
        return postern(*args, env={"POSTERN_POLICY_SOCKET": daemon.socket}, input=input)

    run.daemon = daemon
    return run


def ok(result):
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.stdout


def test_a_flow_built_and_evaluated_from_the_command_line(run, tmp_path):
    ok(run("policy", "create", "always", "--type", "dummy", "--result", "true"))
    ok(run("policy", "create", "never", "--type", "dummy", "--result", "false"))
    flow = json.loads(ok(run("flow", "create", "login", "--designation", "authentication", "--json")))
    assert flow == {"slug": "login", "name": "login", "designation": "authentication", "engine_mode": "any"}
    stage = json.loads(ok(run("stage-binding", "create", "login", "password", "--order", "10", "--engine-mode", "all", "--json")))
    assert stage["re_evaluate_policies"] is True and stage["evaluate_on_plan"] is False and len(stage["id"]) == 32
    target = f"stage-binding:{stage['id']}"
    ok(run("binding", "create", target, "--policy", "always", "--order", "0"))
    second = json.loads(ok(run("binding", "create", target, "--policy", "never", "--order", "1", "--json")))
    assert second["target"] == target and second["timeout_seconds"] == 30 and second["enabled"] is True

    context = tmp_path / "context.json"
    context.write_text(json.dumps({"pending_user": {"id": "u-alice", "groups": ["staff"]}}))
    result = run("evaluate", target, "--context", str(context))
    assert result.returncode == 2, "a verdict that fails is the negative answer"
    assert result.stdout.startswith("verdict: fail") and "policy never" in result.stdout

    ok(run("binding", "update", second["id"], "--negate", "true"))
    # The policy's own timeout is --policy-timeout; --timeout stays the call's deadline.
    slow = json.loads(ok(run("binding", "update", second["id"], "--policy-timeout", "7", "--timeout", "9", "--json")))
    assert slow["timeout_seconds"] == 7 and slow["negate"] is True
    verdict = json.loads(ok(run("evaluate", target, "--context", "-", "--json", input=context.read_text())))
    assert verdict["passing"] is True and verdict["messages"] == ["dummy", "dummy"]
    assert [r["policy"] for r in verdict["results"]] == ["always", "never"]

    plan = json.loads(ok(run("plan", "login", "--json")))
    assert plan["applicable"] is True and [s["stage"] for s in plan["stages"]] == ["password"]
    assert "run   10  password (password)" in ok(run("plan", "login"))
    ok(run("binding", "create", "flow:login", "--group", "staff", "--order", "0"))
    result = run("plan", "login")
    assert result.returncode == 2 and "flow denied: Flow does not apply to current user." in result.stdout
    assert run("plan", "login", "--context", str(context)).returncode == 0

    listed = json.loads(ok(run("binding", "list", "--target", target, "--json")))["bindings"]
    assert [b["order"] for b in listed] == [0, 1]
    assert "2 stage binding" not in ok(run("flow", "show", "login")) and "1 stage binding" in ok(run("flow", "show", "login"))
    assert "2 policies" in ok(run("policy", "list"))


def test_test_update_and_delete(run):
    ok(run("policy", "create", "slow", "--type", "dummy", "--result", "false", "--wait-max", "1"))
    result = run("policy", "test", "slow")
    assert result.returncode == 2 and "result: fail" in result.stdout and "message: dummy" in result.stdout
    updated = json.loads(ok(run("policy", "update", "slow", "--result", "true", "--json")))
    assert updated["settings"] == {"result": True, "wait_min": 0, "wait_max": 1}
    assert run("policy", "test", "slow").returncode == 0
    result = run("policy", "delete", "slow")
    assert result.returncode == 64 and "add --yes" in result.stderr
    assert "deleted policy slow and 0 bindings" in ok(run("policy", "delete", "slow", "--yes"))
    result = run("policy", "show", "slow")
    assert result.returncode == 1 and "no policy is named slow" in result.stderr


def test_usage_errors_and_unbuilt_types(run):
    result = run("policy", "create", "x", "--type", "password_expiry", "--days", "90")
    assert result.returncode == 1 and "set password.socket in postern-policy's configuration" in result.stderr
    result = run("policy", "create", "x", "--type", "dummy", "--days", "90")
    assert result.returncode != 0 and "password_expiry settings" in result.stderr
    result = run("policy", "create", "x", "--type", "expression", "--expression", "1 +")
    assert result.returncode == 1 and "does not parse: line 1, column" in result.stderr
    created = json.loads(ok(run("policy", "create", "x", "--type", "expression", "--expression", "request.user.id == 'u'", "--json")))
    assert created["settings"] == {"expression": "request.user.id == 'u'"}
    result = run("policy", "create", "x", "--type", "nonsense")
    assert result.returncode == 64 and "dummy, expression" in result.stderr
    result = run("binding", "create", "flow:login", "--policy", "p", "--user", "u", "--order", "0")
    assert result.returncode == 64 and "exactly one of --policy, --user and --group" in result.stderr
    result = run("binding", "create", "login", "--policy", "p", "--order", "0")
    assert result.returncode == 64 and "flow:SLUG, stage-binding:ID or prompt-stage:NAME" in result.stderr
    result = run("evaluate", "flow:nowhere", "--context", "/nonexistent/context.json")
    assert result.returncode == 64 and "cannot read the context file" in result.stderr


def test_prompt_stage_fields(run):
    stage = json.loads(ok(run("prompt-stage", "create", "change-password", "--field", "password:password:required:New password",
                              "--field", "password_repeat:password:required:Repeat it", "--json")))
    assert stage["fields"][0] == {"field_key": "password", "label": "New password", "type": "password", "required": True}
    text = ok(run("prompt-stage", "show", "change-password"))
    assert "password_repeat: password, required, \"Repeat it\"" in text


def test_a_password_policy_from_the_command_line(run, tmp_path):
    created = json.loads(ok(run("policy", "create", "rules", "--type", "password", "--length-min", "8",
                                "--amount-digits", "1", "--error-message", "8 or more, one digit", "--json")))
    assert created["settings"] == {
        "password_field": "password", "check_static_rules": True, "length_min": 8, "length_max": 0, "amount_digits": 1,
        "amount_lowercase": 0, "amount_uppercase": 0, "amount_symbols": 0, "symbol_charset": None,
        "error_message": "8 or more, one digit", "similar_to_user": False}
    ok(run("policy", "update", "rules", "--similar-to-user", "true", "--length-max", "64"))
    assert "field password: length 8…64, 1 digit, not like the user" in ok(run("policy", "show", "rules"))
    context = tmp_path / "context.json"
    context.write_text(json.dumps({"prompt_data": {"password": "short1"}}))
    result = run("policy", "test", "rules", "--context", str(context))
    assert result.returncode == 2 and "8 or more, one digit" in result.stdout
    result = run("policy", "update", "rules", "--result", "true")
    assert result.returncode != 0 and "dummy settings" in result.stderr
    result = run("policy", "create", "x", "--type", "dummy", "--length-min", "3")
    assert result.returncode != 0 and "password settings" in result.stderr
