"""`postern blueprint apply|diff|export` against the real postern-password and postern-policy
(docs/blueprints.md "Applying"): a blueprint spanning both daemons applied in one step, a second
apply all unchanged, a diff that changes nothing, a refusal by either daemon that changes
nothing anywhere, and an export that reproduces the state on an empty installation."""
import json
import re
import subprocess
import time

from test_cli_conventions import BIN, NO_SOCKETS, postern
from wire_client import WireClient, call

LOGIN = """\
version: 1
metadata: {name: Default authentication flow}
entries:
  - id: flow
    model: postern.flow
    identifiers: {slug: default-authentication-flow}
    attrs: {name: Welcome, designation: authentication}
  - id: password
    model: postern.password_stage
    identifiers: {name: default-authentication-password}
    attrs: {backends: [internal, app_password], configuration_flow: !KeyOf change}
  - id: change
    model: postern.flow
    identifiers: {slug: default-password-change}
    attrs: {designation: stage_configuration}
  - id: binding
    model: postern.stage_binding
    identifiers: {flow: !KeyOf flow, stage: !KeyOf password, order: 20}
    attrs: {re_evaluate_policies: true}
  - model: postern.binding
    identifiers: {target: !KeyOf binding, policy: !KeyOf skip, order: 10}
    attrs: {failure_result: true}
  - id: skip
    model: postern.policy.expression
    identifiers: {name: default-authentication-flow-password-stage}
    attrs: {expression: "flow_plan == null || pending_user == null || !has(pending_user.backend)"}
"""


def both(start_daemon, suffix=""):
    password = start_daemon("password", socket_name=f"password{suffix}.sock")
    policy = start_daemon("policy", socket_name=f"policy{suffix}.sock")
    return password, policy, {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_POLICY_SOCKET": policy.socket}


def outcomes(result):
    assert result.returncode == 0, result
    return [(r["model"], r["outcome"], r["changed_fields"]) for r in json.loads(result.stdout)["results"]]


def exported(env):
    result = postern("blueprint", "export", env=env)
    assert result.returncode == 0, result
    return result.stdout


def test_apply_across_both_daemons_then_unchanged_then_diff(start_daemon, tmp_path):
    password, policy, env = both(start_daemon)
    login = tmp_path / "login.yaml"
    login.write_text(LOGIN)
    empty = exported(env)

    diff = outcomes(postern("blueprint", "diff", str(login), "--json", env=env))
    assert [o for _, o, _ in diff] == ["created"] * 6
    assert exported(env) == empty, "a diff changes nothing"

    applied = postern("blueprint", "apply", str(login), env=env)
    assert applied.returncode == 0, applied
    assert "6 created" in applied.stdout and f"[{login}:8:5]" in applied.stdout
    stage = postern("stage", "show", "default-authentication-password", "--json", env=env)
    shown = json.loads(stage.stdout)
    assert shown["configuration_flow"] == "default-password-change", "the !KeyOf to the other daemon's flow"
    assert shown["backends"] == ["internal", "app_password"]

    again = outcomes(postern("blueprint", "apply", str(login), "--json", env=env))
    assert all(o == "unchanged" for _, o, _ in again), again

    login.write_text(LOGIN.replace("backends: [internal, app_password]", "backends: [internal]")
                     .replace("name: Welcome", "name: Welcome back"))
    changed = outcomes(postern("blueprint", "apply", str(login), "--json", env=env))
    assert ("postern.password_stage", "updated", ["backends"]) in changed
    assert ("postern.flow", "updated", ["name"]) in changed


def test_a_refusal_by_either_daemon_changes_nothing_anywhere(start_daemon, tmp_path):
    password, policy, env = both(start_daemon)
    ok = tmp_path / "ok.yaml"
    ok.write_text(LOGIN)
    assert postern("blueprint", "apply", str(ok), env=env).returncode == 0
    before = exported(env)
    bad = tmp_path / "bad.yaml"
    bad.write_text(LOGIN.replace("backends: [internal, app_password]", "backends: [internal, internal]")
                   .replace("!has(pending_user.backend)\"", "!has(pending_user.backend) +\"")
                   .replace("name: Welcome", "name: Changed"))
    refused = postern("blueprint", "apply", str(bad), env=env)
    assert refused.returncode == 1, refused
    assert "postern-password refused its part" in refused.stderr and f"{bad}:8:5: " in refused.stderr
    assert "backends names one backend twice" in refused.stderr
    assert "postern-policy refused its part" in refused.stderr and f"{bad}:23:5: " in refused.stderr
    assert f"{bad}:20:5: policy: !KeyOf F1/skip names an entry that was not applied" in refused.stderr
    assert "nothing was applied" in refused.stderr
    assert exported(env) == before, "the good entries of both parts were not applied either"

    broken = tmp_path / "broken.yaml"
    broken.write_text(LOGIN.replace("order: 20", "order: twenty"))
    result = postern("blueprint", "apply", str(broken), env=env)
    assert result.returncode == 64 and f"{broken}:18:69:" in result.stderr

    # postern-policy stopped: postern-password's part is not applied either (every part is
    # checked before any is applied).
    ok.write_text(LOGIN.replace("backends: [internal, app_password]", "backends: [internal]"))
    policy.kill()
    down = postern("blueprint", "apply", str(ok), env=env)
    assert down.returncode == 69 and "postern-policy is not running" in down.stderr
    stage = json.loads(postern("stage", "show", "default-authentication-password", "--json", env=env).stdout)
    assert stage["backends"] == ["internal", "app_password"]


def test_an_export_reproduces_the_state_on_an_empty_installation(start_daemon, tmp_path):
    _, _, env = both(start_daemon)
    login = tmp_path / "login.yaml"
    login.write_text(LOGIN)
    assert postern("blueprint", "apply", str(login), env=env).returncode == 0
    dump = tmp_path / "export.yaml"
    dump.write_text(exported(env))
    assert postern("blueprint", "validate", str(dump)).returncode == 0
    _, _, fresh = both(start_daemon, suffix="-2")
    assert all(o == "created" for _, o, _ in outcomes(postern("blueprint", "apply", str(dump), "--json", env=fresh)))
    assert without_ids(exported(fresh)) == without_ids(exported(env))
    again = outcomes(postern("blueprint", "apply", str(dump), "--json", env=env))
    assert all(o == "unchanged" for _, o, _ in again), "the export is the state it came from"


def without_ids(text):
    """An export with each stage binding's id (made by the daemon) replaced by its position."""
    ids = {}
    return re.sub(r"stage-binding-[0-9a-f]{32}", lambda m: ids.setdefault(m.group(0), f"stage-binding-{len(ids)}"), text)


def test_a_daemon_stopped_between_the_parts_then_the_same_apply_converges(start_daemon, tmp_path):
    """postern-password's part applied, postern-policy stopped before its own: the command says
    what was applied and exits 69; once postern-policy is back, the same apply finishes the job."""
    password, policy, env = both(start_daemon)
    login = tmp_path / "login.yaml"
    login.write_text(LOGIN)
    running = subprocess.Popen(
        [str(BIN / "postern"), "blueprint", "apply", str(login)], env={**NO_SOCKETS, **env, "POSTERN_TEST_PAUSE_BETWEEN_PARTS": "5"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while postern("stage", "show", "default-authentication-password", env=env).returncode != 0:
            assert time.monotonic() < deadline and running.poll() is None, "postern-password's part was not applied"
            time.sleep(0.05)
        policy.kill()
        out, err = running.communicate(timeout=30)
    finally:
        if running.poll() is None:
            running.kill()
    assert running.returncode == 69, (out, err)
    assert "postern-policy is not running" in err and "applied before it: postern-password's part" in err
    assert "created  postern.password_stage default-authentication-password" in out
    back = start_daemon("policy", socket_name="policy-back.sock",
                        env={"POSTERN_POLICY_STATE_DIRECTORY": str(policy.state_directory)})
    env = {**env, "POSTERN_POLICY_SOCKET": back.socket}
    again = outcomes(postern("blueprint", "apply", str(login), "--json", env=env))
    assert [o for m, o, _ in again if m == "postern.password_stage"] == ["unchanged"]
    assert {o for m, o, _ in again if m != "postern.password_stage"} == {"created"}
    assert {o for _, o, _ in outcomes(postern("blueprint", "apply", str(login), "--json", env=env))} == {"unchanged"}

