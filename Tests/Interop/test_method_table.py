"""docs/wire.md's table of methods says what the .proto files say: every method, its access
classes (the `postern.v1.access` option), its messages and its daemon — no more, no fewer."""
import pathlib
import re
import subprocess

from conftest import PROTO_ROOT, ROOT

CLASSES = {1: "open", 2: "read", 3: "verify", 4: "admin", 5: "peer"}
SERVED_BY = {
    "postern.health.v1": "all three daemons",
    "postern.diagnostics.v1": "any daemon configured with `diagnostics = true` (tests only)",
    "postern.password.v1": "postern-password",
    "postern.history.v1": "postern-history",
    "postern.policy.v1": "postern-policy",
    "postern.blueprint.v1": "postern-password and postern-policy (each its own models)",
}


def schema_rows(pb, tmp_path):
    from google.protobuf import descriptor_pb2
    from postern.v1 import options_pb2

    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    out = tmp_path / "schema.pb"
    subprocess.run(["protoc", f"--proto_path={PROTO_ROOT}", f"--descriptor_set_out={out}", *protos], check=True)
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    rows = []
    for file in files:
        for service in file.service:
            for method in service.method:
                options = descriptor_pb2.MethodOptions.FromString(method.options.SerializeToString())
                classes = " or ".join(f"`{CLASSES[c]}`" for c in options.Extensions[options_pb2.access])
                rows.append(
                    f"| `/{file.package}.{service.name}/{method.name}` | {classes} | "
                    f"`{method.input_type.split('.')[-1]}` → `{method.output_type.split('.')[-1]}` | "
                    f"{SERVED_BY[file.package]} |")
    return rows


def documented_rows():
    text = (ROOT / "docs" / "wire.md").read_text()
    table = text.split("| method | class | request → response | served by |", 1)[1].split("\n\n", 1)[0]
    return [line for line in table.strip().splitlines()[1:] if line.startswith("|")]


def test_the_method_table_is_the_schema(pb, tmp_path):
    rows = schema_rows(pb, tmp_path)
    assert len(rows) >= 31 and all("``" not in row for row in rows), "every method names its classes"
    assert sorted(documented_rows()) == sorted(rows)
