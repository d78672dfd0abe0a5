"""A real MIT Kerberos KDC (krb5kdc) for tests and benchmarks, in a temp dir on loopback, with
its own krb5.conf and kdc.conf (nothing of the host's is read or written), optionally kadmind for
password changes. Stopped by its PID. Usable as a module (KDC) or from the shell:
    python3 Tests/Fixtures/kdc.py DIR     # starts, prints JSON, stays until stdin closes
"""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REALM = "POSTERN.TEST"
SERVICE = "host/postern.test"
ADMIN = "postern/admin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KDC:
    def __init__(self, directory=None, realm=REALM, port=None, kadmind=False, clock_offset=None):
        self.dir = pathlib.Path(directory or tempfile.mkdtemp(prefix="postern-kdc-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.realm = realm
        self.port = port or free_port()
        self.kadmin_port = free_port()
        self.kpasswd_port = free_port()
        (self.dir / "kdc.conf").write_text(f"""
[kdcdefaults]
    kdc_ports = {self.port}
    kdc_tcp_ports = {self.port}
[realms]
    {realm} = {{
        database_name = {self.dir}/principal
        key_stash_file = {self.dir}/stash
        acl_file = {self.dir}/kadm5.acl
        kadmind_port = {self.kadmin_port}
        kpasswd_port = {self.kpasswd_port}
        max_life = 10h
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }}
[logging]
    kdc = FILE:{self.dir}/kdc.log
    admin_server = FILE:{self.dir}/kadmind.log
""")
        (self.dir / "krb5.conf").write_text(f"""
[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
[realms]
    {realm} = {{
        kdc = 127.0.0.1:{self.port}
        admin_server = 127.0.0.1:{self.kadmin_port}
        kpasswd_server = 127.0.0.1:{self.kpasswd_port}
    }}
""")
        (self.dir / "kadm5.acl").write_text(f"*/admin@{realm} *\n")
        self.env = {**os.environ, "KRB5_CONFIG": str(self.dir / "krb5.conf"),
                    "KRB5_KDC_PROFILE": str(self.dir / "kdc.conf"), "KRB5CCNAME": f"FILE:{self.dir}/ccache",
                    "KRB5RCACHEDIR": str(self.dir)}
        self.run("kdb5_util", "create", "-s", "-P", "master-secret", "-r", realm)
        # A KDC whose clock is off by `clock_offset` ("+2h"), through libfaketime.
        self.clock = {} if clock_offset is None else {
            "LD_PRELOAD": "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "FAKETIME": clock_offset,
            "DONT_FAKE_MONOTONIC": "1"}
        self.processes = {}
        self.start()
        if kadmind:
            self.start_kadmind()

    def run(self, *args, input=None, check=True):
        return subprocess.run(args, env=self.env, input=input, capture_output=True, text=True, timeout=30, check=check)

    def kadmin(self, query):
        result = self.run("kadmin.local", "-r", self.realm, "-q", query)
        text = (result.stdout + result.stderr).lower()
        if "error" in text or "usage:" in text:
            raise RuntimeError(f"kadmin.local {query!r}: {result.stdout}{result.stderr}")
        return result

    def add_principal(self, name, password):
        self.kadmin(f'addprinc -pw "{password}" +requires_preauth {name}')
        return f"{name}@{self.realm}"

    def keytab(self, principal, path):
        """Adds `principal` with a random key (if missing) and writes its keys to `path`."""
        listed = self.run("kadmin.local", "-r", self.realm, "-q", f"getprinc {principal}", check=False)
        if "does not exist" in listed.stderr + listed.stdout:
            self.kadmin(f"addprinc -randkey {principal}")
        self.kadmin(f"ktadd -k {path} -norandkey {principal}")
        return str(path)

    def kinit(self, principal, password):
        """Whether `principal` gets a ticket with `password` (kinit, independent of Postern)."""
        result = subprocess.run(["kinit", principal], input=password + "\n", capture_output=True, text=True, timeout=30,
                                env={**self.env, "KRB5CCNAME": "MEMORY:"})
        return result.returncode == 0

    def _spawn(self, name, args, port, env=None):
        log = open(self.dir / f"{name}.out", "ab")
        process = subprocess.Popen(args, env={**self.env, **(env or {})}, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        self.processes[name] = process
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {(self.dir / f'{name}.out').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"{name} did not listen within 15 s")

    def start(self):
        self._spawn("krb5kdc", ["krb5kdc", "-n", "-r", self.realm], self.port, env=self.clock)

    def start_kadmind(self):
        self._spawn("kadmind", ["kadmind", "-nofork", "-r", self.realm], self.kpasswd_port)

    def _stop(self, name):
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            try:
                os.kill(process.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def stop(self):
        self._stop("krb5kdc")

    def pause(self):
        os.kill(self.processes["krb5kdc"].pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.processes["krb5kdc"].pid, signal.SIGCONT)

    def close(self):
        for name in list(self.processes):
            self._stop(name)
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    kdc = KDC(sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        print(json.dumps({"realm": kdc.realm, "kdc": f"127.0.0.1:{kdc.port}", "pid": kdc.processes["krb5kdc"].pid,
                          "dir": str(kdc.dir), "krb5_config": str(kdc.dir / "krb5.conf")}), flush=True)
        sys.stdin.read()
    finally:
        kdc.close()
