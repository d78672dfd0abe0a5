"""Fixtures for the Python interop test: protobuf classes generated with protoc from
Shared/Proto at test time, and the three real daemons started from POSTERN_BIN_DIR."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "Shared" / "Proto"
DAEMONS = ("password", "history", "policy")


@pytest.fixture(scope="session")
def pb():
    """The generated modules: pb.wire (postern.wire.v1), pb.health (postern.health.v1)."""
    out = pathlib.Path(tempfile.mkdtemp(prefix="postern-pb-"))
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    subprocess.run(
        ["protoc", f"--proto_path={PROTO_ROOT}", f"--python_out={out}", *protos],
        check=True,
    )
    sys.path.insert(0, str(out))
    try:
        from postern.wire.v1 import wire_pb2
        from postern.health.v1 import health_pb2

        class Modules:
            wire = wire_pb2
            health = health_pb2

        yield Modules
    finally:
        sys.path.remove(str(out))
        shutil.rmtree(out, ignore_errors=True)


def _bin_dir():
    return pathlib.Path(os.environ.get("POSTERN_BIN_DIR") or ROOT / ".build" / "release")


def _wait_for_socket(path, process, log_path, timeout=20.0):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{path}: daemon exited {process.returncode}:\n{log_path.read_text()}")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(str(path))
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{path}: daemon did not listen within {timeout}s:\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def daemons():
    """{name: socket path} for the three daemons, each stopped by its PID afterwards."""
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="postern-py-"))
    processes = {}
    try:
        sockets = {}
        for name in DAEMONS:
            socket_path = workdir / f"{name}.sock"
            log_path = workdir / f"{name}.log"
            with open(log_path, "wb") as log:
                processes[name] = subprocess.Popen(
                    [str(_bin_dir() / f"postern-{name}"), "--socket", str(socket_path)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            _wait_for_socket(socket_path, processes[name], log_path)
            sockets[name] = str(socket_path)
        yield sockets
        for name, process in processes.items():
            process.terminate()
            assert process.wait(timeout=20) == 0, f"postern-{name} did not exit 0 on SIGTERM"
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
