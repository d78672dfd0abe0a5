"""The seed's passwordless login end to end, through the three real daemons, as an IdP drives
them (docs/expressions.md "Logins without a password"): postern-policy decides, when the Password
stage is reached, whether it runs (EvaluateStage); when it does, postern-password verifies the
password (Authenticate). The seed's "Dynamically skip a Password stage" (WebAuthn and Duo), and
authentik's default authentication flow (spec §15.1) with the WebAuthn policy added in engine
mode all and any."""
import pytest

from policy_api import PolicyAPI
from wire_client import WireClient

OK = 0
STAGE = "default-authentication-password"
PASSWORD = "Corr3ct horse ✓"

# The seed's expressions (docs/expressions.md shows the Python originals beside them).
WEBAUTHN = ('!has(request.context.pending_user) || !has(request.context.pending_user.devices) || '
            '!request.context.pending_user.devices.exists(d, d.type == "webauthn" && d.confirmed)')
DUO = ('!has(request.context.pending_user) || !has(request.context.pending_user.devices) || '
       '!request.context.pending_user.devices.exists(d, d.type == "duo" && d.confirmed)')
# default-authentication-flow-password-stage (spec §15.1): no flow plan → the stage runs;
# otherwise it runs only while nothing has authenticated the pending user yet.
DEFAULT_PASSWORD_STAGE = "flow_plan == null || pending_user == null || !has(pending_user.backend)"


class IdP:
    """What an identity provider does at the Password stage of a login."""

    def __init__(self, pb, daemons):
        self.pb = pb
        self.policy = PolicyAPI(daemons["policy"], pb)
        self.password = WireClient(daemons["password"], pb)
        self.call_id = 0

    def close(self):
        self.policy.client.close()
        self.password.close()

    def password_call(self, method, request, response_class):
        self.call_id += 1
        self.password.send(self.call_id, method, request.SerializeToString())
        answer = self.password.read()
        assert answer is not None and answer.call_id == self.call_id
        assert answer.status_code == OK, answer.status_message
        response = response_class()
        response.ParseFromString(answer.payload)
        return response

    def provision_password_stage(self):
        s, u, p = self.pb.stages, self.pb.users, self.pb.passwords
        self.password_call("/postern.password.v1.Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name=STAGE, backends=[s.BACKEND_INTERNAL])), s.PasswordStage)
        for user_id, username in (("u-alice", "alice"), ("u-bob", "bob"), ("u-carol", "carol")):
            self.password_call("/postern.password.v1.Users/Create",
                               u.CreateUserRequest(id=user_id, username=username), u.User)
            self.password_call("/postern.password.v1.Passwords/Set",
                               p.SetPasswordRequest(user_id=user_id, password=PASSWORD), p.SetPasswordResponse)

    def login(self, flow, stage_binding, context, secret=None, session="flow-1"):
        """The Password stage of one login: 'skipped' when the policies say it does not run,
        else Authenticate's outcome for `secret` (the user's password unless given)."""
        if not self.policy.evaluate_stage(flow, stage_binding, context).run:
            return "skipped"
        pending = context.get("pending_user") or {}
        request = self.pb.auth.AuthenticateRequest(
            stage=STAGE, flow_session=session, secret=PASSWORD if secret is None else secret,
            client_address="192.0.2.7", username=pending.get("username", "nobody"))
        answer = self.password_call("/postern.password.v1.Authentication/Authenticate", request,
                                    self.pb.auth.AuthenticateResponse)
        return self.pb.auth.AuthenticateResponse.Outcome.Name(answer.outcome)


@pytest.fixture
def idp(pb, daemons):
    idp = IdP(pb, daemons)
    try:
        yield idp
    finally:
        idp.close()


def user(user_id, username, devices=None, backend=None):
    member = {"id": user_id, "username": username}
    if devices is not None:
        member["devices"] = devices
    if backend is not None:
        member["backend"] = backend
    return member


def expression(api, name, source):
    p = api.pb.policies
    return api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_EXPRESSION, expression=p.ExpressionSettings(expression=source))), p.Policy)


_flows = iter(range(1_000_000))


def login_flow(idp, mode=0):
    """A flow with the Password stage at order 20, its binding re-evaluated when the stage is
    run and not on plan, as the seed says; returns (slug, stage binding)."""
    slug = f"login-{next(_flows)}"
    idp.policy.flow(slug)
    return slug, idp.policy.stage_binding(slug, STAGE, 20, re_evaluate=True, evaluate_on_plan=False, mode=mode)


@pytest.fixture(scope="module")
def provisioned(pb, daemons):
    idp = IdP(pb, daemons)
    try:
        idp.provision_password_stage()
    finally:
        idp.close()


@pytest.mark.parametrize("kind, source", [("webauthn", WEBAUTHN), ("duo", DUO)])
def test_dynamically_skip_the_password_stage(idp, provisioned, kind, source):
    slug, stage = login_flow(idp)
    expression(idp.policy, f"skip-password-{kind}", source)
    idp.policy.bind(idp.policy.target("stage_binding", stage.id), 0, policy=f"skip-password-{kind}")

    alice = user("u-alice", "alice", devices=[{"type": kind, "confirmed": True, "name": "key"}])
    bob = user("u-bob", "bob", devices=[{"type": kind, "confirmed": False}, {"type": "totp", "confirmed": True}])
    carol = user("u-carol", "carol")
    # A user with a confirmed device logs in without the Password stage.
    assert idp.login(slug, stage.id, {"pending_user": alice}) == "skipped"
    # One without (an unconfirmed device of the kind, or another kind, or none) gets the stage
    # and logs in through postern-password — and only with the right password.
    assert idp.login(slug, stage.id, {"pending_user": bob}, secret="wrong", session=f"{kind}-bob") == "INVALID"
    assert idp.login(slug, stage.id, {"pending_user": bob}, session=f"{kind}-bob") == "AUTHENTICATED"
    assert idp.login(slug, stage.id, {"pending_user": carol}, session=f"{kind}-carol") == "AUTHENTICATED"
    # No pending user yet: the stage runs (and Authenticate refuses an unknown user alike).
    assert idp.login(slug, stage.id, {}, session=f"{kind}-anonymous") == "INVALID"


def default_authentication_flow(idp, mode=0, with_webauthn=False):
    """spec §15.1's flow: the built-in policy on the Password stage binding at order 10 with
    failure_result true; optionally the seed's WebAuthn policy beside it at order 20."""
    slug, stage = login_flow(idp, mode=mode)
    name = f"{slug}-password-stage"
    expression(idp.policy, name, DEFAULT_PASSWORD_STAGE)
    target = idp.policy.target("stage_binding", stage.id)
    idp.policy.bind(target, 10, policy=name, failure_result=True)
    if with_webauthn:
        expression(idp.policy, f"{slug}-webauthn", WEBAUTHN)
        idp.policy.bind(target, 20, policy=f"{slug}-webauthn")
    return slug, stage


PLAN = {"flow_slug": "default-authentication-flow"}
PASSKEY = [{"type": "webauthn", "confirmed": True}]


def test_the_default_flow_skips_the_password_stage_once_another_backend_authenticated_the_user(idp, provisioned):
    slug, stage = default_authentication_flow(idp)
    # Identified only: the password is asked for.
    assert idp.login(slug, stage.id, {"flow_plan": PLAN, "pending_user": user("u-alice", "alice")}) == "AUTHENTICATED"
    # Already authenticated by a passkey in the identification stage: skipped.
    assert idp.login(slug, stage.id, {"flow_plan": PLAN,
                                      "pending_user": user("u-alice", "alice", backend="passkey")}) == "skipped"
    # No flow plan (not a flow's request): the stage runs, as authentik's policy says.
    assert idp.login(slug, stage.id, {"pending_user": user("u-alice", "alice", backend="passkey")}) == "AUTHENTICATED"


@pytest.mark.parametrize("mode, webauthn_user_gets_the_password_stage", [("all", False), ("any", True)])
def test_the_default_flow_with_the_webauthn_policy_added(idp, provisioned, mode, webauthn_user_gets_the_password_stage):
    """The seed: with both policies on the binding, `all` runs the Password stage only when both
    pass (so a WebAuthn user skips it); `any` runs it when either passes (so the built-in
    policy alone keeps it for a WebAuthn user who has not yet authenticated)."""
    common = idp.pb.policy_common
    engine_mode = {"all": common.ENGINE_MODE_ALL, "any": common.ENGINE_MODE_ANY}[mode]
    slug, stage = default_authentication_flow(idp, mode=engine_mode, with_webauthn=True)
    password_user = user("u-bob", "bob")
    webauthn_user = user("u-alice", "alice", devices=PASSKEY)
    authenticated = user("u-carol", "carol", backend="passkey")

    assert idp.login(slug, stage.id, {"flow_plan": PLAN, "pending_user": password_user}) == "AUTHENTICATED"
    expected = "AUTHENTICATED" if webauthn_user_gets_the_password_stage else "skipped"
    assert idp.login(slug, stage.id, {"flow_plan": PLAN, "pending_user": webauthn_user}) == expected
    # Authenticated already, no WebAuthn device: the built-in policy fails, the WebAuthn one passes.
    expected = "AUTHENTICATED" if mode == "any" else "skipped"
    assert idp.login(slug, stage.id, {"flow_plan": PLAN, "pending_user": authenticated}) == expected
    # Both say skip: skipped in either mode.
    both = user("u-alice", "alice", devices=PASSKEY, backend="passkey")
    assert idp.login(slug, stage.id, {"flow_plan": PLAN, "pending_user": both}) == "skipped"


def test_the_stage_decision_is_taken_when_the_stage_runs_not_on_plan(idp, provisioned):
    """The seed's binding: evaluate when run, not on plan. Planned before the user is known,
    the stage is in the plan; at the stage, the pending user's device decides."""
    slug, stage = login_flow(idp)
    expression(idp.policy, f"{slug}-webauthn", WEBAUTHN)
    idp.policy.bind(idp.policy.target("stage_binding", stage.id), 0, policy=f"{slug}-webauthn")
    plan = idp.policy.plan(slug, {})
    assert [s.stage_binding_id for s in plan.stages] == [stage.id]
    alice = user("u-alice", "alice", devices=PASSKEY)
    assert idp.policy.plan(slug, {"pending_user": alice}).stages[0].stage_binding_id == stage.id, "not judged on plan"
    assert idp.login(slug, stage.id, {"pending_user": alice}) == "skipped"
