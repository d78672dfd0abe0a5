"""scripts/bench policy's helper: sets up the measured configuration in a running postern-policy
over the Python client of Tests/Interop, and prints framed requests (hex) for the C load
generator (Tests/Bench/wire_bench.c).
  policy_helper.py setup SOCKET      -> prints the measured stage binding's id
  policy_helper.py evaluate ID       -> Evaluate of that stage binding, framed, hex
  policy_helper.py plan FLOW         -> Plan of that flow, framed, hex
  policy_helper.py check SOCKET HEX  -> exits non-zero unless the call answers OK"""
import json
import pathlib
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "Shared" / "Proto"
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

# What an IdP sends at the Password stage: the identified user and the client's address.
CONTEXT = json.dumps({
    "pending_user": {"id": "7f9c2ba4e88f827d616045507605853e", "username": "alice",
                     "groups": ["staff", "engineering", "all-employees"], "is_active": True},
    "http_request": {"client_ip": "192.0.2.7"},
})


def modules():
    out = pathlib.Path(tempfile.mkdtemp(prefix="postern-bench-pb-"))
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    subprocess.run(["protoc", f"--proto_path={PROTO_ROOT}", f"--python_out={out}", *protos], check=True)
    sys.path.insert(0, str(out))
    from postern.wire.v1 import wire_pb2
    from postern.policy.v1 import policies_pb2, flows_pb2, bindings_pb2, evaluation_pb2

    class Modules:
        wire, policies, flows, bindings, evaluation = wire_pb2, policies_pb2, flows_pb2, bindings_pb2, evaluation_pb2

    return Modules, out


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
                print(measured.id)
        elif command == "evaluate":
            target = pb.bindings.Target(kind=pb.bindings.TARGET_KIND_STAGE_BINDING, name=sys.argv[2])
            request = pb.evaluation.EvaluateRequest(target=target, context_json=CONTEXT)
            print(framed(pb, "/postern.policy.v1.Engine/Evaluate", request.SerializeToString()).hex())
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
