"""A real OpenLDAP slapd for tests and benchmarks, in a temp dir on loopback: ldap://, ldaps://
(a certificate from a CA made here) and ldapi://, the mdb backend, optionally the ppolicy
overlay. Stopped by its PID. Usable as a module (Slapd) or from the shell:
    python3 Tests/Fixtures/slapd.py DIR     # starts, prints JSON, stays until stdin closes
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
import urllib.parse

SUFFIX = "dc=example,dc=com"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
SERVICE_DN = f"cn=postern,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"
PEOPLE = f"ou=people,{SUFFIX}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_ca(directory, name):
    """A CA (NAME-ca.pem/.key) and a server certificate it signs for localhost and 127.0.0.1
    (NAME-server.pem/.key)."""
    d = pathlib.Path(directory)
    run = lambda *a: subprocess.run(a, check=True, capture_output=True, timeout=60)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN=Postern test CA {name}", "-keyout", d / f"{name}-ca.key", "-out", d / f"{name}-ca.pem",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", d / f"{name}-server.key", "-out", d / f"{name}-server.csr")
    ext = d / f"{name}-ext.cnf"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", d / f"{name}-server.csr", "-CA", d / f"{name}-ca.pem",
        "-CAkey", d / f"{name}-ca.key", "-CAcreateserial", "-days", "2", "-extfile", ext,
        "-out", d / f"{name}-server.pem")
    return d / f"{name}-ca.pem", d / f"{name}-server.pem", d / f"{name}-server.key"


class Slapd:
    def __init__(self, directory=None, ppolicy_min_length=None, server_ca="test"):
        self.dir = pathlib.Path(directory or tempfile.mkdtemp(prefix="postern-slapd-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "db").mkdir(exist_ok=True)
        self.ca, cert, key = make_ca(self.dir, server_ca)
        self.port = free_port()
        self.tls_port = free_port()
        self.socket_path = self.dir / "ldapi"
        self.ldap_uri = f"ldap://127.0.0.1:{self.port}"
        self.ldaps_uri = f"ldaps://127.0.0.1:{self.tls_port}"
        self.ldapi_uri = "ldapi://" + urllib.parse.quote(str(self.socket_path), safe="")
        self.ppolicy_min_length = ppolicy_min_length
        ppolicy = ""
        if ppolicy_min_length is not None:
            ppolicy = f'overlay ppolicy\nppolicy_default "cn=default,ou=policies,{SUFFIX}"\nppolicy_hash_cleartext\n'
        (self.dir / "slapd.conf").write_text(f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
{"moduleload ppolicy" if ppolicy else ""}
pidfile {self.dir}/slapd.pid
TLSCACertificateFile {self.ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
maxsize 104857600
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {self.dir}/db
{ppolicy}
access to attrs=userPassword
    by dn.exact="{SERVICE_DN}" write
    by self write
    by anonymous auth
    by * none
access to *
    by * read
""")
        self.process = None
        self.start()
        self.add(f"""
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,{SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: postern
userPassword: {SERVICE_PASSWORD}
""")
        if ppolicy:
            self.add(f"""
dn: ou=policies,{SUFFIX}
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,{SUFFIX}
objectClass: pwdPolicy
objectClass: person
cn: default
sn: default
pwdAttribute: userPassword
pwdMinLength: {ppolicy_min_length}
pwdCheckQuality: 2
""")

    def start(self):
        log = open(self.dir / "slapd.log", "ab")
        self.process = subprocess.Popen(
            ["/usr/sbin/slapd", "-f", str(self.dir / "slapd.conf"), "-d", "0",
             "-h", f"{self.ldap_uri}/ {self.ldaps_uri}/ {self.ldapi_uri}/"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {(self.dir / 'slapd.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    pass
                if self.socket_path.exists():
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("slapd did not start listening within 15 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self):
        if self.process and self.process.poll() is None:
            try:
                os.kill(self.process.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def ldap(self, tool, *args, input=None, check=True):
        return subprocess.run(
            [tool, "-x", "-H", self.ldapi_uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD, *args],
            input=input, capture_output=True, text=True, timeout=30, check=check)

    def add(self, ldif):
        self.ldap("ldapadd", input=ldif)

    def add_person(self, uid, password, cn=None, under=PEOPLE):
        dn = f"uid={uid},{under}"
        self.add(f"""
dn: {dn}
objectClass: inetOrgPerson
uid: {uid}
cn: {cn or uid}
sn: {uid}
userPassword: {password}
""")
        return dn

    def delete(self, dn):
        self.ldap("ldapdelete", dn)

    def modify(self, ldif):
        self.ldap("ldapmodify", input=ldif)

    def whoami(self, dn, password):
        """Whether `dn` binds with `password` (ldapwhoami, independent of Postern)."""
        r = subprocess.run(["ldapwhoami", "-x", "-H", self.ldap_uri, "-D", dn, "-w", password],
                           capture_output=True, text=True, timeout=30)
        return r.returncode == 0


if __name__ == "__main__":
    # Killed (SIGTERM) by whoever started it: stop slapd on the way out, as when stdin closes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = Slapd(sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        print(json.dumps({"ldap": server.ldap_uri, "ldaps": server.ldaps_uri, "ldapi": server.ldapi_uri,
                          "ca": str(server.ca), "pid": server.process.pid, "dir": str(server.dir)}), flush=True)
        sys.stdin.read()
    finally:
        server.close()
