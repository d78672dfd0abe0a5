"""The blueprints Postern ships (deploy/blueprints/, docs/blueprints.md): each applies cleanly to
a fresh installation and a second apply reports everything unchanged; the flows they make then
behave as authentik's do — the default authentication flow's Password stage skipped once the
user is authenticated, and with the seed's WebAuthn example its users skip it; the default
password change refuses a short or reused password with authentik's messages."""
import json
import pathlib
import time

from policy_api import PolicyAPI, validate_prompt
from test_cli_conventions import postern
from wire_client import WireClient, call

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "blueprints"
DEFAULTS = [str(SHIPPED / "default-authentication-flow.yaml"), str(SHIPPED / "default-password-change.yaml")]
PLAN = {"flow_slug": "default-authentication-flow"}


def installation(start_daemon, suffix=""):
    history = start_daemon("history", socket_name=f"history{suffix}.sock")
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket},
                            socket_name=f"password{suffix}.sock")
    policy = start_daemon("policy", socket_name=f"policy{suffix}.sock", env={"POSTERN_POLICY_HISTORY_SOCKET": history.socket,
                                         "POSTERN_POLICY_PASSWORD_SOCKET": password.socket,
                                         "POSTERN_POLICY_HISTORY_RETRY_INTERVAL": "200ms"})
    return history, password, policy, {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_POLICY_SOCKET": policy.socket,
                                       "POSTERN_HISTORY_SOCKET": history.socket}


def applied(env, *files):
    result = postern("blueprint", "apply", *files, "--json", env=env)
    assert result.returncode == 0, result
    return [r["outcome"] for r in json.loads(result.stdout)["results"]]


def password_binding(pb, policy):
    f = pb.flows
    with WireClient(policy.socket, pb) as client:
        listed = call(client, "/postern.policy.v1.StageBindings/List",
                      f.ListStageBindingsRequest(flow="default-authentication-flow"), f.ListStageBindingsResponse)
    (binding,) = [b for b in listed.stage_bindings if b.stage == "default-authentication-password"]
    return binding


def runs(pb, policy, context):
    with PolicyAPI(policy.socket, pb) as api:
        return api.evaluate_stage("default-authentication-flow", password_binding(pb, policy).id, context).run


def test_every_shipped_blueprint_applies_cleanly_then_reports_unchanged(pb, start_daemon):
    files = sorted(str(p) for p in SHIPPED.rglob("*.yaml"))
    assert len(files) == 4
    assert postern("blueprint", "validate", *files).returncode == 0
    for kind in ("webauthn", "duo"):
        example = str(SHIPPED / "examples" / f"passwordless-{kind}.yaml")
        _, _, policy, env = installation(start_daemon, suffix=kind)
        first = applied(env, *DEFAULTS, example)
        assert "created" in first and set(first) <= {"created", "updated"}, first
        again = applied(env, *DEFAULTS, example)
        assert set(again) == {"unchanged"}, again
        # The seed's behaviour: a user with a confirmed device of that kind skips the stage.
        alice = {"id": "u-alice", "username": "alice"}
        assert not runs(pb, policy, {"flow_plan": PLAN, "pending_user": {**alice, "devices": [{"type": kind, "confirmed": True}]}})
        assert runs(pb, policy, {"flow_plan": PLAN, "pending_user": {**alice, "devices": [{"type": "totp", "confirmed": True}]}})


def test_the_default_flows_behave_as_authentiks(pb, start_daemon):
    history, password, policy, env = installation(start_daemon)
    applied(env, *DEFAULTS)
    stage = json.loads(postern("stage", "show", "default-authentication-password", "--json", env=env).stdout)
    assert stage["backends"] == ["internal", "kerberos", "ldap", "app_password"] and stage["configuration_flow"] == "default-password-change"
    binding = password_binding(pb, policy)
    assert binding.order == 20 and binding.re_evaluate_policies.on

    alice = {"id": "u-alice", "username": "alice"}
    assert runs(pb, policy, {}), "no flow plan: the stage runs"
    assert runs(pb, policy, {"flow_plan": PLAN, "pending_user": alice})
    assert not runs(pb, policy, {"flow_plan": PLAN, "pending_user": {**alice, "backend": "passkey"}}), "already authenticated"

    # The seed's example: WebAuthn users skip the Password stage (engine mode all).
    applied(env, str(SHIPPED / "examples" / "passwordless-webauthn.yaml"))
    passkey = {**alice, "devices": [{"type": "webauthn", "confirmed": True}]}
    assert not runs(pb, policy, {"flow_plan": PLAN, "pending_user": passkey})
    assert runs(pb, policy, {"flow_plan": PLAN, "pending_user": {**alice, "devices": [{"type": "webauthn", "confirmed": False}]}})
    assert runs(pb, policy, {"flow_plan": PLAN, "pending_user": alice})

    # The default password change: history is on (the uniqueness policy's N=1).
    deadline = time.monotonic() + 10
    while json.loads(postern("history", "retention", "--json", env=env).stdout)["retention"] != 1:
        assert time.monotonic() < deadline, "retention not set"
        time.sleep(0.05)
    assert postern("user", "add", "alice", env=env).returncode == 0
    with PolicyAPI(policy.socket, pb) as api:
        short = validate_prompt(api, "default-password-change-prompt", {"password": "short", "password_repeat": "short"},
                                {"pending_user": alice})
        assert list(short.non_field_errors) == ["Password needs to be 8 characters or longer."]
    assert postern("password", "set", "alice", "--flow", "default-password-change", env=env,
                   input="Long enough 1\n").returncode == 0
    reused = postern("password", "set", "alice", "--flow", "default-password-change", env=env, input="Long enough 1\n")
    assert reused.returncode == 2 and "This password has been used previously" in reused.stdout
