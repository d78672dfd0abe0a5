"""Fixtures for the Python interop test: protobuf classes generated with protoc from
Shared/Proto at test time, and the three real daemons started from POSTERN_BIN_DIR."""
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
from secret_files import write_secret

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "Fixtures"))

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "Shared" / "Proto"
DAEMONS = ("password", "history", "policy")


@pytest.fixture(scope="session")
def pb():
    """The generated modules: pb.wire (postern.wire.v1), pb.health (postern.health.v1),
    pb.diagnostics (postern.diagnostics.v1), pb.users (postern.password.v1 users), …,
    pb.ldap_sources, pb.kerberos_sources, pb.history (postern.history.v1), pb.policies, pb.flows, pb.bindings, pb.evaluation and
    pb.policy_common (postern.policy.v1), pb.blueprint (postern.blueprint.v1)."""
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
        from postern.diagnostics.v1 import diagnostics_pb2
        from postern.password.v1 import users_pb2
        from postern.password.v1 import passwords_pb2
        from postern.password.v1 import stages_pb2
        from postern.password.v1 import authenticate_pb2
        from postern.password.v1 import app_passwords_pb2
        from postern.password.v1 import ldap_sources_pb2
        from postern.password.v1 import kerberos_sources_pb2
        from postern.history.v1 import history_pb2
        from postern.policy.v1 import common_pb2, policies_pb2, flows_pb2, bindings_pb2, evaluation_pb2
        from postern.blueprint.v1 import blueprint_pb2

        class Modules:
            wire = wire_pb2
            health = health_pb2
            diagnostics = diagnostics_pb2
            users = users_pb2
            passwords = passwords_pb2
            stages = stages_pb2
            auth = authenticate_pb2
            app_passwords = app_passwords_pb2
            ldap_sources = ldap_sources_pb2
            kerberos_sources = kerberos_sources_pb2
            history = history_pb2
            policy_common = common_pb2
            policies = policies_pb2
            flows = flows_pb2
            bindings = bindings_pb2
            evaluation = evaluation_pb2
            blueprint = blueprint_pb2

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


class Daemon:
    """One real daemon process: its socket, its log, stopped by PID."""

    def __init__(self, name, workdir, env=None, socket_name=None, open_files=None):
        self.name = name
        self.socket = str(workdir / (socket_name or f"{name}.sock"))
        # scripts/test collects every daemon's log in one place, to grep them all for the test
        # passwords at the end (Tests/Scripts/secrets-in-logs.sh).
        logs = pathlib.Path(os.environ.get("POSTERN_TEST_LOG_DIR") or workdir)
        self.log_path = logs / f"py-{pathlib.Path(self.socket).stem}-{uuid.uuid4().hex[:8]}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith(f"POSTERN_{name.upper()}_")}
        # The diagnostic Sleep method, for slow calls; a test-only option.
        environment[f"POSTERN_{name.upper()}_DIAGNOSTICS"] = "true"
        # Its database beside its socket, never the system's /var/lib/postern.
        self.state_directory = workdir / f"state-{pathlib.Path(self.socket).stem}"
        environment[f"POSTERN_{name.upper()}_STATE_DIRECTORY"] = str(self.state_directory)
        # No blueprints from the host's /etc/postern/blueprints: a test that wants some gives a
        # directory of its own.
        if name in ("password", "policy"):
            environment[f"POSTERN_{name.upper()}_BLUEPRINTS_DIRECTORY"] = "off"
        # postern-history does not start without a pepper: each gets one beside its state.
        if name == "history":
            pepper = workdir / "history-pepper.key"
            if not pepper.exists():
                write_secret(pepper)
            environment["POSTERN_HISTORY_PEPPER_FILE"] = str(pepper)
        environment.update(env or {})
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(_bin_dir() / f"postern-{name}"), "--socket", self.socket],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                # (soft, hard) open-file limit the daemon starts under, as systemd's LimitNOFILE=.
                preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, open_files)) if open_files else None,
            )
        _wait_for_socket(self.socket, self.process, self.log_path)

    @property
    def log(self):
        return self.log_path.read_text()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def start_daemon():
    """start_daemon(name, env={...}) -> Daemon: a daemon of the test's own, killed afterwards."""
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="postern-py-"))
    workdir.chmod(0o755)  # tests that call as another uid must reach the socket
    started = []

    def start(name, env=None, socket_name=None, open_files=None):
        daemon = Daemon(name, workdir, env, socket_name, open_files)
        started.append(daemon)
        return daemon

    try:
        yield start
    finally:
        for daemon in started:
            daemon.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def daemons():
    """{name: socket path} for the three daemons (diagnostics on), each stopped by its PID
    afterwards; each must exit 0 on SIGTERM."""
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="postern-py-"))
    started = []
    try:
        for name in DAEMONS:
            started.append(Daemon(name, workdir))
        yield {daemon.name: daemon.socket for daemon in started}
        for daemon in started:
            daemon.process.terminate()
            assert daemon.process.wait(timeout=20) == 0, f"postern-{daemon.name} did not exit 0 on SIGTERM"
    finally:
        for daemon in started:
            daemon.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def slapd():
    """A real slapd (Tests/Fixtures/slapd.py) shared by a test module, stopped by its PID."""
    from slapd import Slapd

    server = Slapd()
    try:
        yield server
    finally:
        server.close()


def _servers(make):
    """A factory fixture's body: start(**options) makes a server, and every one made is closed
    (stopped by its PID) when the test ends, pass or fail."""
    started = []

    def start(**options):
        server = make(**options)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.close()


@pytest.fixture
def new_slapd():
    """new_slapd(**options) -> Slapd: a slapd of the test's own (to stop, pause or give a
    password policy)."""
    from slapd import Slapd

    yield from _servers(Slapd)


@pytest.fixture
def new_kdc():
    """new_kdc(**options) -> KDC: a real MIT krb5kdc of the test's own (Tests/Fixtures/kdc.py)."""
    from kdc import KDC

    yield from _servers(KDC)
