"""The Password Uniqueness policy (seed 004, spec §14; docs/password-uniqueness.md) through the
three real daemons: postern-policy asks postern-history, keeps its retention equal to what the
bound policies need, history starts with the first change after the policy is in use, and a
history that cannot be asked fails the check closed."""
import json
import pathlib
import subprocess
import time

import pytest

from policy_api import PolicyAPI, Refused, validate_prompt
from wire_client import WireClient
from wire_client import call as wire_call

FAILED_PRECONDITION = 9
H, P = "/postern.history.v1.History/", "/postern.password.v1."
REUSED = "This password has been used previously. Please choose a different one."
UNAVAILABLE = "The password history cannot be checked now, so the password cannot be accepted. Try again later."


def start_all(pb, start_daemon):
    history = start_daemon("history")
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket,
                                             "POSTERN_PASSWORD_HISTORY_TIMEOUT": "1s"})
    policy = start_daemon("policy", env={"POSTERN_POLICY_HISTORY_SOCKET": history.socket,
                                         "POSTERN_POLICY_HISTORY_TIMEOUT": "1s",
                                         "POSTERN_POLICY_HISTORY_RETRY_INTERVAL": "200ms"})
    with WireClient(password.socket, pb) as client:
        wire_call(client, P + "Users/Create", pb.users.CreateUserRequest(id="u1", username="alice"), pb.users.User)
    return history, password, policy


def set_password(pb, password, secret):
    with WireClient(password.socket, pb) as client:
        wire_call(client, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=secret),
                  pb.passwords.SetPasswordResponse)


def stats(pb, history):
    with WireClient(history.socket, pb) as client:
        return wire_call(client, H + "Stats", pb.history.StatsRequest(), pb.history.StatsResponse)


def wait_for(condition, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s: {what}")


def uniqueness(api, name, count=None, field=""):
    p = api.pb.policies
    settings = p.PasswordUniquenessSettings(password_field=field)
    if count is not None:
        settings.num_historical_passwords.value = count
    return api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_PASSWORD_UNIQUENESS, password_uniqueness=settings)), p.Policy)


def change_prompt(api):
    f = api.pb.flows
    api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(name="change", fields=[
        f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
        f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                      required=True)])), f.PromptStage)


ALICE = {"pending_user": {"id": "u1", "username": "alice"}}


def validate(api, secret):
    return validate_prompt(api, "change", {"password": secret, "password_repeat": secret}, ALICE)


def test_a_password_change_with_the_seeds_policy(pb, start_daemon):
    history, password, policy = start_all(pb, start_daemon)
    set_password(pb, password, "Uniq-first 0")  # before any policy: history is off
    with PolicyAPI(policy.socket, pb) as api:
        change_prompt(api)
        created = uniqueness(api, "unique", count=3)
        assert created.password_uniqueness.num_historical_passwords.value == 3
        time.sleep(0.5)
        assert stats(pb, history).retention == 0, "a policy bound nowhere is not in use"

        binding = api.bind(api.target("prompt_stage", "change"), 0, policy="unique")
        wait_for(lambda: stats(pb, history).retention == 3, "retention follows the bound policy")
        # The seed's "Password History Start": nothing before the policy was in use.
        assert validate(api, "Uniq-first 0").valid

        set_password(pb, password, "Uniq-second 1")
        reused = validate(api, "Uniq-second 1")
        assert not reused.valid and list(reused.non_field_errors) == [REUSED]
        assert {f.field_key: list(f.messages) for f in reused.fields} == {"password": [REUSED]}
        for index in range(2, 5):
            set_password(pb, password, f"Uniq-next {index}")
        assert validate(api, "Uniq-second 1").valid, "older than the last 3"
        assert not validate(api, "Uniq-next 2").valid

        # A second policy with a larger N: the retention is the largest bound N.
        uniqueness(api, "unique-5", count=5)
        second = api.bind(api.target("prompt_stage", "change"), 1, policy="unique-5")
        wait_for(lambda: stats(pb, history).retention == 5, "the largest N")
        # Unbound (deleted, disabled): back to 3, then 0 — history off and purged.
        b = pb.bindings
        api.call("Bindings", "Delete", b.DeleteBindingRequest(id=second.id), b.DeleteBindingResponse)
        wait_for(lambda: stats(pb, history).retention == 3, "back to 3")
        binding.enabled.on = False
        api.call("Bindings", "Update", b.UpdateBindingRequest(binding=binding), b.Binding)
        wait_for(lambda: stats(pb, history).retention == 0 and stats(pb, history).entries == 0, "purged")
    assert "Uniq-" not in policy.log and "Uniq-" not in history.log and "Uniq-" not in password.log


def test_a_retention_changed_by_hand_is_set_back(pb, start_daemon):
    history, _, policy = start_all(pb, start_daemon)
    with PolicyAPI(policy.socket, pb) as api:
        change_prompt(api)
        uniqueness(api, "unique", count=2)
        api.bind(api.target("prompt_stage", "change"), 0, policy="unique")
        wait_for(lambda: stats(pb, history).retention == 2, "set")
        with WireClient(history.socket, pb) as client:
            wire_call(client, H + "SetRetention", pb.history.SetRetentionRequest(count=7), pb.history.SetRetentionResponse)
        wait_for(lambda: stats(pb, history).retention == 2, "set back within history.retry_interval")
    assert "history_retention_set" in policy.log


@pytest.mark.parametrize("failure_result", [False, True])
def test_history_unreachable_fails_closed(pb, start_daemon, failure_result):
    history, password, policy = start_all(pb, start_daemon)
    with PolicyAPI(policy.socket, pb) as api:
        change_prompt(api)
        uniqueness(api, "unique")
        api.bind(api.target("prompt_stage", "change"), 0, policy="unique", failure_result=failure_result)
        wait_for(lambda: stats(pb, history).retention == 1, "set")
        history.kill()
        answer = validate(api, "Uniq-any 1")
        assert not answer.valid and list(answer.non_field_errors) == [UNAVAILABLE]
    assert "password_history_unavailable" in policy.log and "Uniq-any" not in policy.log


def test_the_policy_level_tests(pb, start_daemon):
    """spec §14.6's policy tests, N=1, through Policies/Test with postern-history behind."""
    history, password, policy = start_all(pb, start_daemon)
    p = pb.policies
    with PolicyAPI(policy.socket, pb) as api:
        uniqueness(api, "unique")  # N absent: 1
        api.flow("f")
        api.bind(api.target("flow", "f"), 0, policy="unique")
        wait_for(lambda: stats(pb, history).retention == 1, "set")

        def run(context):
            result = api.call("Policies", "Test", p.TestPolicyRequest(name="unique", context_json=json.dumps(context)),
                              p.TestPolicyResponse)
            return result.passing, list(result.messages)

        assert run({"user": {"id": "u1"}}) == (False, ["Password not set in context"])
        assert run({"user": {"id": "u1"}, "prompt_data": {"password": "hunter2"}}) == (True, []), "no history"
        set_password(pb, password, "hunter1")
        assert run({"user": {"id": "u1"}, "prompt_data": {"password": "hunter2"}}) == (True, [])
        assert run({"user": {"id": "u1"}, "prompt_data": {"password": "hunter1"}}) == (False, [REUSED])
        assert run({"user": {"id": "u1"}, "password": "hunter1"}) == (False, [REUSED]), "context[password_field]"
        assert run({"prompt_data": {"password": "hunter1"}}) == (True, []), "no user, no history"
        uniqueness(api, "none", count=0)
        assert api.call("Policies", "Test", p.TestPolicyRequest(name="none", context_json=json.dumps(
            {"user": {"id": "u1"}, "prompt_data": {"password": "hunter1"}})), p.TestPolicyResponse).passing


def test_without_history_socket_it_is_refused_and_a_stored_one_stops_the_start(pb, start_daemon):
    history, _, policy = start_all(pb, start_daemon)
    with PolicyAPI(policy.socket, pb) as api:
        uniqueness(api, "unique", count=2)
    policy.kill()
    # The same state directory without history.socket: the daemon says why it cannot start.
    import os
    binary = pathlib.Path(os.environ.get("POSTERN_BIN_DIR") or pathlib.Path(__file__).resolve().parents[2] / ".build" / "release")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTERN_POLICY_")}
    env["POSTERN_POLICY_STATE_DIRECTORY"] = str(policy.state_directory)
    result = subprocess.run([str(binary / "postern-policy"), "--socket", str(policy.state_directory / "again.sock")],
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode != 0
    assert "policy unique is a password_uniqueness policy, which needs history.socket" in result.stdout + result.stderr
    # And a daemon without it refuses to create one.
    lone = start_daemon("policy", socket_name="lone.sock")
    with PolicyAPI(lone.socket, pb) as api:
        with pytest.raises(Refused) as refused:
            uniqueness(api, "unique")
        assert refused.value.code == FAILED_PRECONDITION and "history.socket" in refused.value.message


def test_from_the_command_line(pb, start_daemon):
    from test_cli_conventions import postern
    history, _, policy = start_all(pb, start_daemon)
    env = {"POSTERN_POLICY_SOCKET": policy.socket}
    created = postern("policy", "create", "unique", "--type", "password_uniqueness", "--num-historical-passwords", "3",
                      "--json", env=env)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["settings"] == {"password_field": "password", "num_historical_passwords": 3}
    shown = postern("policy", "show", "unique", env=env)
    assert "field password: not one of the last 3" in shown.stdout
    refused = postern("policy", "update", "unique", "--length-min", "3", env=env)
    assert refused.returncode != 0 and "password settings" in refused.stderr
    lone = start_daemon("policy", socket_name="lone.sock")
    refused = postern("policy", "create", "u", "--type", "password_uniqueness", env={"POSTERN_POLICY_SOCKET": lone.socket})
    assert refused.returncode == 1 and "set history.socket in postern-policy's configuration" in refused.stderr
