"""`postern password set|change --flow/--stage` (docs/cli.md "Password changes obey the change
flow"): a change made from the command line runs the change flow's validation first, as an IdP's
does — three real daemons, the real CLI. Refused: the messages printed, exit 2, nothing changed;
accepted: set with the check's history reservation."""
import json
import time

from policy_api import PolicyAPI
from test_cli_conventions import postern
from wire_client import WireClient
from wire_client import call as wire_call

RULES = "Password needs to be 8 characters or longer."
REUSED = "This password has been used previously. Please choose a different one."
SIMILAR = "Password must not contain your username, name or email address."


def three_daemons(pb, start_daemon):
    history = start_daemon("history")
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket})
    policy = start_daemon("policy", env={"POSTERN_POLICY_HISTORY_SOCKET": history.socket,
                                         "POSTERN_POLICY_PASSWORD_SOCKET": password.socket,
                                         "POSTERN_POLICY_HISTORY_RETRY_INTERVAL": "200ms"})
    f, p = pb.flows, pb.policies
    with PolicyAPI(policy.socket, pb) as api:
        api.flow("change-password", designation=f.DESIGNATION_STAGE_CONFIGURATION)
        api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(
            name="change-prompt", fields=[
                f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
                f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                              required=True)])), f.PromptStage)
        api.stage_binding("change-password", "change-prompt", 0, kind=f.STAGE_KIND_PROMPT)
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="rules", type=p.POLICY_TYPE_PASSWORD, password=p.PasswordSettings(length_min=8, error_message=RULES))),
            p.Policy)
        unique = p.PasswordUniquenessSettings()
        unique.num_historical_passwords.value = 3
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="unique", type=p.POLICY_TYPE_PASSWORD_UNIQUENESS, password_uniqueness=unique)), p.Policy)
        target = api.target("prompt_stage", "change-prompt")
        api.bind(target, 0, policy="rules")
        api.bind(target, 1, policy="unique")
        api.flow("no-prompt", designation=f.DESIGNATION_STAGE_CONFIGURATION)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with WireClient(history.socket, pb) as client:
            if wire_call(client, "/postern.history.v1.History/Stats", pb.history.StatsRequest(),
                         pb.history.StatsResponse).retention == 3:
                break
        time.sleep(0.05)
    else:
        raise AssertionError("retention 3 not set")
    return history, password, policy


def signs_in(env, secret):
    return postern("auth", "--stage", "login", "--user", "alice", env=env, input=secret + "\n").returncode == 0


def test_set_and_change_obey_the_change_flow(pb, start_daemon):
    history, password, policy = three_daemons(pb, start_daemon)
    env = {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_POLICY_SOCKET": policy.socket}
    assert postern("stage", "set", "login", "--backends", "internal", "--configuration-flow", "change-password",
                   env=env).returncode == 0
    assert postern("user", "add", "alice", env=env).returncode == 0

    weak = postern("password", "set", "alice", "--flow", "change-password", env=env, input="short\n")
    assert weak.returncode == 2, weak
    assert "refused the new password" in weak.stdout and RULES in weak.stdout
    assert json.loads(postern("user", "show", "alice", "--json", env=env).stdout)["has_password"] is False, "nothing set"

    good = postern("password", "set", "alice", "--flow", "change-password", env=env, input="Good pass 1A\n")
    assert good.returncode == 0 and "validated by change flow change-password" in good.stdout, good
    assert signs_in(env, "Good pass 1A")

    # change, the flow found through the password stage's configuration_flow.
    reused = postern("password", "change", "alice", "--stage", "login", "--json", env=env,
                     input="Good pass 1A\nGood pass 1A\n")
    assert reused.returncode == 2, reused
    shown = json.loads(reused.stdout)
    assert shown["changed"] is False and shown["flow"] == "change-password" and shown["messages"] == [REUSED]
    assert shown["password_changed"] is None and shown["user_id"] and shown["username"] == "alice"
    changed = postern("password", "change", "alice", "--stage", "login", "--json", env=env,
                      input="Good pass 1A\nBetter pass 2B\n")
    assert changed.returncode == 0, changed
    shown = json.loads(changed.stdout)
    assert shown["changed"] is True and shown["flow"] == "change-password" and shown["messages"] == []
    assert shown["password_changed"] and shown["must_change"] is False
    assert signs_in(env, "Better pass 2B") and not signs_in(env, "Good pass 1A")

    # Each accepted change was recorded with its check's reservation: one history hash each.
    recorded = [line for line in history.log.splitlines() if "history_pending" in line]
    assert len(recorded) == 2 and all("reservation_used=true" in line for line in recorded), recorded
    # The user as the flow's pending user: similar_to_user sees the name and the email attribute.
    with PolicyAPI(policy.socket, pb) as api:
        api.call("Policies", "Create", pb.policies.CreatePolicyRequest(policy=pb.policies.Policy(
            name="not-like-me", type=pb.policies.POLICY_TYPE_PASSWORD,
            password=pb.policies.PasswordSettings(similar_to_user=True))), pb.policies.Policy)
        api.bind(api.target("prompt_stage", "change-prompt"), 2, policy="not-like-me")
    assert postern("user", "update", "alice", "--name", "Alice Liddell", "--attributes", '{"email": "wonderland@example.org"}',
                   env=env).returncode == 0
    for similar in ("Wonderland 9x", "Liddell rabbit 9"):
        refused = postern("password", "set", "alice", "--flow", "change-password", env=env, input=similar + "\n")
        assert refused.returncode == 2 and SIMILAR in refused.stdout, (similar, refused)
    assert postern("password", "set", "alice", "--flow", "change-password", env=env, input="Cheshire grin 3\n").returncode == 0
    # Without --flow/--stage nothing is validated (an admin's override), as before.
    assert postern("password", "set", "alice", env=env, input="short\n").returncode == 0
    for daemon in (history, password, policy):
        assert "Good pass" not in daemon.log and "Better pass" not in daemon.log


def test_what_cannot_validate_says_so_and_changes_nothing(pb, start_daemon, tmp_path):
    history, password, policy = three_daemons(pb, start_daemon)
    env = {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_POLICY_SOCKET": policy.socket}
    assert postern("stage", "set", "login", "--backends", "internal", env=env).returncode == 0
    assert postern("user", "add", "alice", env=env).returncode == 0

    no_flow = postern("password", "set", "alice", "--stage", "login", env=env, input="Good pass 1A\n")
    assert no_flow.returncode == 1 and "has no configuration_flow" in no_flow.stderr and "--flow" in no_flow.stderr
    empty = postern("password", "set", "alice", "--flow", "no-prompt", env=env, input="Good pass 1A\n")
    assert empty.returncode == 1 and "plans no prompt stage with a password field" in empty.stderr, empty
    unknown = postern("password", "set", "alice", "--flow", "nope", env=env, input="Good pass 1A\n")
    assert unknown.returncode == 1 and "NOT_FOUND" in unknown.stderr, unknown
    down = postern("password", "set", "alice", "--flow", "change-password", "--policy-socket", str(tmp_path / "none.sock"),
                   env=env, input="Good pass 1A\n")
    assert down.returncode == 69 and "postern-policy is not running" in down.stderr, down
    assert json.loads(postern("user", "show", "alice", "--json", env=env).stdout)["has_password"] is False

    usage = postern("password", "set", "alice", "--policy-socket", policy.socket, env=env, input="Good pass 1A\n")
    assert usage.returncode == 64 and "only with --flow or --stage" in usage.stderr
    both = postern("password", "set", "alice", "--flow", "a", "--stage", "b", env=env, input="Good pass 1A\n")
    assert both.returncode == 64
