"""scripts/bench policy's helper: sets up the measured configuration in a running postern-policy
over the Python client of Tests/Interop, and prints framed requests (hex) for the C load
generator (Tests/Bench/wire_bench.c).
  policy_helper.py setup SOCKET      -> prints the measured stage bindings' ids: 5 dummies, the
                                        seed's WebAuthn expression
  policy_helper.py evaluate ID       -> Evaluate of that stage binding, framed, hex
  policy_helper.py evaluate-login ID -> the same with a pending user with 3 devices
  policy_helper.py plan FLOW         -> Plan of that flow, framed, hex
  policy_helper.py check SOCKET HEX  -> exits non-zero unless the call answers OK
  policy_helper.py expressions N     -> ns per run of the WebAuthn check in the PyPI CEL
                                        implementation and as authentik's Python (exec)
  policy_helper.py validate-prompt    -> ValidatePrompt of the password-change prompt, framed, hex
  policy_helper.py change PASSWORD_SOCKET POLICY_SOCKET ROUNDS
                                     -> median ms of a whole password change (ValidatePrompt with rules
                                        and uniqueness N=24, then Passwords/Set, recorded in history),
                                        of one raw Argon2id hash (argon2-cffi), of one PBKDF2-SHA256
                                        (1,000,000), and of one Argon2id by the system's libargon2
  policy_helper.py blueprint POSTERN POLICY_SOCKET PASSWORD_SOCKET ENTRIES
                                     -> ms of `postern blueprint apply` of ENTRIES entries to an empty
                                        postern-policy, and of applying it again unchanged
  policy_helper.py login PASSWORD_SOCKET POLICY_SOCKET PAIRS
                                     -> median µs of a login (EvaluateStage + Authenticate), of a
                                        bare Authenticate, and of EvaluateStage alone"""
import json
import os
import pathlib
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "Shared" / "Proto"
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

# What an IdP sends at the Password stage: the identified user and the client's address.
CONTEXT = json.dumps({
    "pending_user": {"id": "7f9c2ba4e88f827d616045507605853e", "username": "alice",
                     "groups": ["staff", "engineering", "all-employees"], "is_active": True},
    "http_request": {"client_ip": "192.0.2.7"},
})

# The seed's WebAuthn check (docs/expressions.md) and a login it judges: a pending user with a
# confirmed WebAuthn device among three, so the whole list is walked.
WEBAUTHN = ('!has(request.context.pending_user) || !has(request.context.pending_user.devices) || '
            '!request.context.pending_user.devices.exists(d, d.type == "webauthn" && d.confirmed)')
LOGIN = {"pending_user": {"id": "u1", "username": "alice", "devices": [
    {"type": "totp", "confirmed": True}, {"type": "duo", "confirmed": False}, {"type": "webauthn", "confirmed": True}]}}
# The seed's Python, verbatim, as authentik's expression policy runs it.
SEED_WEBAUTHN = """from authentik.stages.authenticator_webauthn.models import WebAuthnDevice
pending_user = request.context.get("pending_user")
if not pending_user:
    return True
return not WebAuthnDevice.objects.filter(user=pending_user, confirmed=True).exists()"""


def modules():
    out = pathlib.Path(tempfile.mkdtemp(prefix="postern-bench-pb-"))
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    subprocess.run(["protoc", f"--proto_path={PROTO_ROOT}", f"--python_out={out}", *protos], check=True)
    sys.path.insert(0, str(out))
    from postern.wire.v1 import wire_pb2
    from postern.policy.v1 import policies_pb2, flows_pb2, bindings_pb2, evaluation_pb2
    from postern.password.v1 import users_pb2, passwords_pb2, stages_pb2, authenticate_pb2

    class Modules:
        wire, policies, flows, bindings, evaluation = wire_pb2, policies_pb2, flows_pb2, bindings_pb2, evaluation_pb2
        users, passwords, stages, auth = users_pb2, passwords_pb2, stages_pb2, authenticate_pb2

    return Modules, out


def measure(run, iterations):
    """ns per call of run(), the median of 5 rounds."""
    rounds = []
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            run()
        rounds.append((time.perf_counter_ns() - start) / iterations)
    return statistics.median(rounds)


def pypi_cel_ns(iterations):
    """The WebAuthn check in the PyPI CEL implementation (Rust's cel-interpreter), compiled
    once, the context converted once."""
    import cel

    program = cel.compile(WEBAUTHN)
    context = cel.Context(variables={"request": {"context": LOGIN}})
    assert program.execute(context) is False
    return measure(lambda: program.execute(context), iterations)


def authentik_exec_ns(iterations):
    """The seed's Python run as authentik's evaluator runs an expression policy: wrapped in a
    function of the context's names, compiled once, exec'd per evaluation. The device query is
    a stand-in over the context's list (no database), which only flatters Python."""

    class Devices(list):
        def exists(self):
            return bool(self)

    class Manager:
        def filter(self, user, confirmed):
            return Devices(d for d in user["devices"] if d["type"] == "webauthn" and d["confirmed"] == confirmed)

    models = types.ModuleType("authentik.stages.authenticator_webauthn.models")
    models.WebAuthnDevice = types.SimpleNamespace(objects=Manager())
    for name in ("authentik", "authentik.stages", "authentik.stages.authenticator_webauthn"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules[models.__name__] = models
    names = ["request", "context", "ak_message", "ak_is_sso_flow", "ak_client_ip"]
    body = "\n".join("    " + line for line in SEED_WEBAUTHN.splitlines())
    code = compile(f"def handler({', '.join(names)}):\n{body}\nresult = handler({', '.join(names)})", "policy", "exec")
    request = types.SimpleNamespace(context=LOGIN, user=None, http_request=None)

    def run():
        local = {"request": request, "context": LOGIN, "ak_message": print, "ak_is_sso_flow": False,
                 "ak_client_ip": "192.0.2.7"}
        exec(code, {}, local)
        return local["result"]

    assert run() is False
    return measure(run, iterations)


def password_caller(client):
    """call(method, request, response_class) on postern-password over `client`: the parsed
    answer; a refusal ends the benchmark with its status."""
    calls = iter(range(1, 1 << 30))

    def call(method, request, response_class):
        call_id = next(calls)
        client.send(call_id, method, request.SerializeToString())
        answer = client.read()
        if answer is None or answer.status_code != 0:
            sys.exit(f"bench: {method} refused: {answer and answer.status_message}")
        response = response_class()
        response.ParseFromString(answer.payload)
        return response

    return call


def change(pb, password_socket, policy_socket, rounds):
    """A password change as the IdP drives it for a logged-in user: ValidatePrompt of the
    change prompt (a password policy with static rules, a uniqueness policy with N = 24), then
    Passwords/Set of the validated password with the check's history reservation, recorded in
    postern-history without a second hash. Against one raw
    Argon2id hash with the daemons' parameters (m=19456, t=2, p=1) and one PBKDF2-SHA256 of
    1,000,000 iterations (Django's, which authentik hashes and checks history with)."""
    import ctypes
    import hashlib
    import secrets

    import argon2.low_level
    from policy_api import PolicyAPI, validate_prompt
    from wire_client import WireClient

    f, p = pb.flows, pb.policies
    with WireClient(password_socket, pb) as password, PolicyAPI(policy_socket, pb) as policy:
        call = password_caller(password)

        call("/postern.password.v1.Users/Create", pb.users.CreateUserRequest(id="u-change", username="carol"), pb.users.User)
        policy.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(name="bench-change", fields=[
            f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
            f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                          required=True)])), f.PromptStage)
        policy.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="bench-change-rules", type=p.POLICY_TYPE_PASSWORD,
            password=p.PasswordSettings(length_min=12, amount_digits=1, amount_uppercase=1, amount_lowercase=1))), p.Policy)
        unique = p.PasswordUniquenessSettings()
        unique.num_historical_passwords.value = 24
        policy.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="bench-change-unique", type=p.POLICY_TYPE_PASSWORD_UNIQUENESS, password_uniqueness=unique)), p.Policy)
        target = policy.target("prompt_stage", "bench-change")
        policy.bind(target, 0, policy="bench-change-rules")
        policy.bind(target, 1, policy="bench-change-unique")
        time.sleep(1)  # postern-policy sets postern-history's retention to 24
        context = {"pending_user": {"id": "u-change", "username": "carol"}}

        def one_change():
            new = "Bench change " + secrets.token_hex(8) + " 1A"
            start = time.perf_counter_ns()
            answer = validate_prompt(policy, "bench-change", {"password": new, "password_repeat": new}, context)
            if not answer.valid:
                sys.exit(f"bench: the change was refused: {list(answer.non_field_errors)}")
            validated = json.loads(answer.prompt_data_json)["password"]
            if [r.field_key for r in answer.history_reservations] != ["password"]:
                sys.exit(f"bench: ValidatePrompt gave no history reservation for the password: {answer.history_reservations}")
            call("/postern.password.v1.Passwords/Set", pb.passwords.SetPasswordRequest(
                user_id="u-change", password=validated, history_reservation=answer.history_reservations[0].reservation),
                pb.passwords.SetPasswordResponse)
            return (time.perf_counter_ns() - start) / 1e6

        changes = [one_change() for _ in range(rounds)]
    salt = secrets.token_bytes(16)

    def timed(fn):
        start = time.perf_counter_ns()
        fn()
        return (time.perf_counter_ns() - start) / 1e6

    # Two builds of the same libargon2 hash, alternating: argon2-cffi's (its bundled library,
    # built with the SSE-optimised implementation) and the system's libargon2.so.1, which the
    # daemons link (Debian builds the portable reference implementation).
    system = ctypes.CDLL("libargon2.so.1")
    digest = ctypes.create_string_buffer(32)
    secret = b"Bench change password"

    def system_hash():
        if system.argon2id_hash_raw(2, 19456, 1, secret, len(secret), salt, len(salt), digest, 32) != 0:
            sys.exit("bench: the system libargon2 refused to hash")

    argon, argon_system = [], []
    for _ in range(rounds):
        argon.append(timed(lambda: argon2.low_level.hash_secret_raw(
            secret, salt, time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, type=argon2.low_level.Type.ID)))
        argon_system.append(timed(system_hash))
    pbkdf2 = [timed(lambda: hashlib.pbkdf2_hmac("sha256", secret, salt, 1_000_000)) for _ in range(max(1, rounds // 4))]
    return statistics.median(changes), statistics.median(argon), statistics.median(pbkdf2), statistics.median(argon_system)


def login(pb, password_socket, policy_socket, pairs):
    """A login at the Password stage as an IdP runs it — EvaluateStage with the seed's WebAuthn
    expression (the user has no device, so the stage runs), then Authenticate — against a bare
    Authenticate, interleaved, the order alternating: medians in µs."""
    from policy_api import PolicyAPI
    from wire_client import WireClient

    with WireClient(password_socket, pb) as password, PolicyAPI(policy_socket, pb) as policy:
        call = password_caller(password)

        s, u, pw, auth = pb.stages, pb.users, pb.passwords, pb.auth
        call("/postern.password.v1.Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="bench-login", backends=[s.BACKEND_INTERNAL], failed_attempts_before_cancel=100)), s.PasswordStage)
        call("/postern.password.v1.Users/Create", u.CreateUserRequest(id="u1", username="alice"), u.User)
        call("/postern.password.v1.Passwords/Set", pw.SetPasswordRequest(user_id="u1", password="bench password"),
             pw.SetPasswordResponse)
        policy.call("Policies", "Create", pb.policies.CreatePolicyRequest(policy=pb.policies.Policy(
            name="bench-login-webauthn", type=pb.policies.POLICY_TYPE_EXPRESSION,
            expression=pb.policies.ExpressionSettings(expression=WEBAUTHN))), pb.policies.Policy)
        policy.flow("bench-login-flow")
        stage = policy.stage_binding("bench-login-flow", "bench-login", 20, re_evaluate=True)
        policy.bind(policy.target("stage_binding", stage.id), 0, policy="bench-login-webauthn")
        context = {"pending_user": {"id": "u1", "username": "alice", "devices": []}}
        sessions = iter(range(1 << 30))

        def authenticate():
            r = call("/postern.password.v1.Authentication/Authenticate", auth.AuthenticateRequest(
                stage="bench-login", flow_session=f"s{next(sessions)}", secret="bench password", username="alice"),
                auth.AuthenticateResponse)
            assert r.outcome == auth.AuthenticateResponse.AUTHENTICATED

        def evaluate_stage():
            assert policy.evaluate_stage("bench-login-flow", stage.id, context).run

        def timed(*steps):
            start = time.perf_counter_ns()
            for step in steps:
                step()
            return (time.perf_counter_ns() - start) / 1000

        authenticate()  # warm
        logins, bare, stage_alone = [], [], []
        for index in range(pairs):
            if index % 2:
                bare.append(timed(authenticate))
                logins.append(timed(evaluate_stage, authenticate))
            else:
                logins.append(timed(evaluate_stage, authenticate))
                bare.append(timed(authenticate))
            stage_alone.append(timed(evaluate_stage))
    return statistics.median(logins), statistics.median(bare), statistics.median(stage_alone)


def blueprint(postern, policy_socket, password_socket, entries):
    """A blueprint of `entries` postern-policy entries (flows, prompt stages, expression
    policies, stage bindings and bindings, a fifth each) applied with `postern blueprint apply`
    to an empty postern-policy, then applied again unchanged: the two wall-clock times in ms."""
    import subprocess
    import tempfile

    groups = entries // 5
    lines = ["version: 1", "metadata: {name: bench}", "entries:"]
    for i in range(groups):
        lines += [
            f"  - {{id: f{i}, model: postern.flow, identifiers: {{slug: bench-flow-{i}}}, attrs: {{designation: authentication}}}}",
            f"  - {{id: s{i}, model: postern.prompt_stage, identifiers: {{name: bench-prompt-{i}}}, "
            f"attrs: {{fields: [{{field_key: password, type: password, required: true}}]}}}}",
            f"  - {{id: p{i}, model: postern.policy.expression, identifiers: {{name: bench-policy-{i}}}, "
            f"attrs: {{expression: \"request.context.pending_user.username != 'user-{i}'\"}}}}",
            f"  - {{id: b{i}, model: postern.stage_binding, identifiers: {{flow: !KeyOf f{i}, stage: !KeyOf s{i}, order: 10}}}}",
            f"  - {{model: postern.binding, identifiers: {{target: !KeyOf b{i}, policy: !KeyOf p{i}, order: 0}}}}",
        ]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
        file.write("\n".join(lines) + "\n")
    env = {"POSTERN_POLICY_SOCKET": policy_socket, "POSTERN_PASSWORD_SOCKET": password_socket, "PATH": os.environ["PATH"]}
    times = []
    for _ in range(2):
        start = time.perf_counter_ns()
        result = subprocess.run([postern, "blueprint", "apply", file.name, "--json", "--timeout", "600"], env=env,
                                capture_output=True, text=True, timeout=900)
        times.append((time.perf_counter_ns() - start) / 1e6)
        if result.returncode != 0:
            sys.exit(f"bench: blueprint apply failed: {result.stderr}")
        outcomes = {r["outcome"] for r in json.loads(result.stdout)["results"]}
        if outcomes != ({"created"} if len(times) == 1 else {"unchanged"}):
            sys.exit(f"bench: blueprint apply {len(times)} reported {outcomes}")
    os.unlink(file.name)
    return times[0], times[1]


def framed(pb, method, payload):
    body = pb.wire.Envelope(call_id=1, method=method, payload=payload).SerializeToString()
    return struct.pack(">I", len(body)) + body


def main():
    pb, out = modules()
    try:
        command = sys.argv[1]
        if command == "setup":
            from policy_api import PolicyAPI
            with PolicyAPI(sys.argv[2], pb) as api:
                for index in range(5):
                    api.dummy(f"bench-{index}", True)
                # Evaluate: one stage binding with 5 policies that answer at once.
                api.flow("bench-login")
                measured = api.stage_binding("bench-login", "password", 10)
                for index in range(5):
                    api.bind(api.target("stage_binding", measured.id), index, policy=f"bench-{index}")
                # Plan: 5 stages, each with 2 plan-time bindings.
                api.flow("bench-plan")
                for stage in range(5):
                    binding = api.stage_binding("bench-plan", f"stage-{stage}", stage * 10, evaluate_on_plan=True)
                    for index in range(2):
                        api.bind(api.target("stage_binding", binding.id), index, policy=f"bench-{(stage + index) % 5}")
                # Evaluate of the seed's WebAuthn expression alone.
                api.call("Policies", "Create", pb.policies.CreatePolicyRequest(policy=pb.policies.Policy(
                    name="bench-webauthn", type=pb.policies.POLICY_TYPE_EXPRESSION,
                    expression=pb.policies.ExpressionSettings(expression=WEBAUTHN))), pb.policies.Policy)
                api.flow("bench-expression")
                expression = api.stage_binding("bench-expression", "password", 10)
                api.bind(api.target("stage_binding", expression.id), 0, policy="bench-webauthn")
                # ValidatePrompt: a password-change prompt with a password policy (static rules).
                f = pb.flows
                api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(name="bench-prompt", fields=[
                    f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
                    f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                                  required=True)])), f.PromptStage)
                api.call("Policies", "Create", pb.policies.CreatePolicyRequest(policy=pb.policies.Policy(
                    name="bench-rules", type=pb.policies.POLICY_TYPE_PASSWORD, password=pb.policies.PasswordSettings(
                        length_min=12, amount_digits=1, amount_uppercase=1, amount_lowercase=2, similar_to_user=True))),
                    pb.policies.Policy)
                api.bind(api.target("prompt_stage", "bench-prompt"), 0, policy="bench-rules")
                print(measured.id, expression.id)
        elif command == "evaluate":
            target = pb.bindings.Target(kind=pb.bindings.TARGET_KIND_STAGE_BINDING, name=sys.argv[2])
            request = pb.evaluation.EvaluateRequest(target=target, context_json=CONTEXT)
            print(framed(pb, "/postern.policy.v1.Engine/Evaluate", request.SerializeToString()).hex())
        elif command == "evaluate-login":
            target = pb.bindings.Target(kind=pb.bindings.TARGET_KIND_STAGE_BINDING, name=sys.argv[2])
            request = pb.evaluation.EvaluateRequest(target=target, context_json=json.dumps(LOGIN))
            print(framed(pb, "/postern.policy.v1.Engine/Evaluate", request.SerializeToString()).hex())
        elif command == "expressions":
            iterations = int(sys.argv[2])
            print(f"{pypi_cel_ns(iterations):.0f} {authentik_exec_ns(iterations):.0f}")
        elif command == "validate-prompt":
            context = json.dumps({"pending_user": {"id": "u1", "username": "alice"}})
            request = pb.evaluation.ValidatePromptRequest(
                prompt_stage="bench-prompt", prompt_data_json=json.dumps({"password": "Correct horse 1", "password_repeat": "Correct horse 1"}),
                context_json=context)
            print(framed(pb, "/postern.policy.v1.Engine/ValidatePrompt", request.SerializeToString()).hex())
        elif command == "change":
            print("%.1f %.1f %.1f %.1f" % change(pb, sys.argv[2], sys.argv[3], int(sys.argv[4])))
        elif command == "blueprint":
            print("%.1f %.1f" % blueprint(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
        elif command == "login":
            print("%.1f %.1f %.1f" % login(pb, sys.argv[2], sys.argv[3], int(sys.argv[4])))
        elif command == "plan":
            request = pb.evaluation.PlanRequest(flow=sys.argv[2], context_json=CONTEXT)
            print(framed(pb, "/postern.policy.v1.Engine/Plan", request.SerializeToString()).hex())
        elif command == "check":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(10)
                s.connect(sys.argv[2])
                s.sendall(bytes.fromhex(sys.argv[3]))
                data = b""
                while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
                    data += s.recv(65536)
                answer = pb.wire.Envelope.FromString(data[4:])
                if answer.status_code != 0:
                    sys.exit(f"bench: the measured call is refused: {answer.status_code} {answer.status_message}")
                if not answer.payload:
                    sys.exit("bench: the measured call answered nothing")
        else:
            sys.exit(__doc__)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
