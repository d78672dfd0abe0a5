"""A whole password change through Postern, as an IdP drives authentik's default password-change
flow (spec §15.2) with the seed's uniqueness policy added: three real daemons. The prompt's
validation (rules, uniqueness) in postern-policy, the change in postern-password, the record in
postern-history — and a weak or reused password refused with authentik's messages."""
import time

from policy_api import PolicyAPI, validate_prompt
from wire_client import WireClient
from wire_client import call as wire_call

P = "/postern.password.v1."
RULES = "Password needs to be 8 characters or longer."
REUSED = "This password has been used previously. Please choose a different one."


def test_the_default_password_change_flow_with_uniqueness(pb, start_daemon):
    history = start_daemon("history")
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket})
    policy = start_daemon("policy", env={"POSTERN_POLICY_HISTORY_SOCKET": history.socket,
                                         "POSTERN_POLICY_PASSWORD_SOCKET": password.socket,
                                         "POSTERN_POLICY_HISTORY_RETRY_INTERVAL": "200ms"})
    s, u, pw, f, p = pb.stages, pb.users, pb.passwords, pb.flows, pb.policies
    with WireClient(password.socket, pb) as client:
        wire_call(client, P + "Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="default-authentication-password", backends=[s.BACKEND_INTERNAL])), s.PasswordStage)
        wire_call(client, P + "Users/Create", u.CreateUserRequest(id="u1", username="alice"), u.User)
        wire_call(client, P + "Passwords/Set", pw.SetPasswordRequest(user_id="u1", password="Initial pass 0", must_change=True),
                  pw.SetPasswordResponse)

    with PolicyAPI(policy.socket, pb) as api:
        # spec §15.2: the prompt, its password policy (zxcvbn is not built: left out), and the
        # seed's uniqueness policy appended to its validation policies.
        api.flow("default-password-change", designation=f.DESIGNATION_STAGE_CONFIGURATION)
        api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(
            name="default-password-change-prompt", fields=[
                f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
                f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                              required=True)])), f.PromptStage)
        api.stage_binding("default-password-change", "default-password-change-prompt", 0, kind=f.STAGE_KIND_PROMPT)
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="default-password-change-password-policy", type=p.POLICY_TYPE_PASSWORD,
            password=p.PasswordSettings(length_min=8, error_message=RULES))), p.Policy)
        unique = p.PasswordUniquenessSettings()
        unique.num_historical_passwords.value = 3
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="unique", type=p.POLICY_TYPE_PASSWORD_UNIQUENESS, password_uniqueness=unique)), p.Policy)
        target = api.target("prompt_stage", "default-password-change-prompt")
        api.bind(target, 0, policy="default-password-change-password-policy")
        api.bind(target, 1, policy="unique")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with WireClient(history.socket, pb) as client:
                if wire_call(client, "/postern.history.v1.History/Stats", pb.history.StatsRequest(),
                             pb.history.StatsResponse).retention == 3:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("retention 3 not set")

        def login(secret, session):
            with WireClient(password.socket, pb) as client:
                return wire_call(client, P + "Authentication/Authenticate", pb.auth.AuthenticateRequest(
                    stage="default-authentication-password", flow_session=session, username="alice", secret=secret,
                    client_address="192.0.2.7"), pb.auth.AuthenticateResponse)

        def change(current, new):
            """The IdP's change flow: validate the prompt, then change with the validated value."""
            answer = validate_prompt(api, "default-password-change-prompt", {"password": new, "password_repeat": new},
                                     {"pending_user": {"id": "u1", "username": "alice"}})
            if not answer.valid:
                assert not answer.history_reservations, "only a valid submission's password is about to be set"
                return list(answer.non_field_errors)
            import json
            validated = json.loads(answer.prompt_data_json)["password"]
            # The uniqueness check's digest, reserved: the change's history record costs no hash.
            (reservation,) = answer.history_reservations
            assert reservation.field_key == "password"
            with WireClient(password.socket, pb) as client:
                wire_call(client, P + "Passwords/Change", pw.ChangePasswordRequest(
                    user_id="u1", current_password=current, new_password=validated,
                    history_reservation=reservation.reservation), pw.ChangePasswordResponse)
            return []

        # The admin's reset: the login works and says the password must change.
        assert login("Initial pass 0", "s1").must_change
        assert change("Initial pass 0", "short") == [RULES]
        assert change("Initial pass 0", "Second pass 1") == []
        assert not login("Second pass 1", "s2").must_change, "the change cleared it"
        # Recorded in postern-history: the same password is now refused, with authentik's message.
        assert change("Second pass 1", "Second pass 1") == [REUSED]
        assert change("Second pass 1", "Third pass 2") == []
        assert change("Third pass 2", "Second pass 1") == [REUSED], "still among the last 3"
        assert change("Third pass 2", "Fourth pass 3") == []
        assert change("Fourth pass 3", "Fifth pass 4") == []
        assert change("Fifth pass 4", "Second pass 1") == [], "older than the last 3"
        assert login("Second pass 1", "s3").outcome == pb.auth.AuthenticateResponse.AUTHENTICATED
    # Five changes, each recorded with the digest its check had reserved.
    recorded = [line for line in history.log.splitlines() if "history_pending" in line]
    assert len(recorded) == 5 and all("reservation_used=true" in line for line in recorded), recorded
    for daemon in (history, password, policy):
        assert "pass 1" not in daemon.log and "Initial pass" not in daemon.log
