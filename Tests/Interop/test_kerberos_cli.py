"""`postern source kerberos …` and `user … --kerberos-principal` against a real KDC: a source set
up from the command line, refused without a keytab unless told, shown with its counters, updated,
deleted; a user's principal set and cleared."""
import json

import kdc as fixture
from ldap_api import authenticate, stage
from test_cli_conventions import postern
from wire_client import WireClient


def test_the_cli_sets_up_a_kerberos_source(pb, start_daemon, new_kdc, tmp_path):
    server = new_kdc()
    keytab = server.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    server.add_principal("d.jones", "Dana's realm pw")
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    kdc = f"127.0.0.1:{server.port}"
    refused = postern("source", "kerberos", "set", "corp", "--realm", server.realm, "--kdc", kdc, env=env)
    assert refused.returncode == 1 and "needs a keytab" in refused.stderr and "allow_unverified" in refused.stderr
    made = postern("source", "kerberos", "set", "corp", "--realm", server.realm, "--kdc", kdc, "--keytab", keytab,
                   "--service-principal", f"{fixture.SERVICE}@{server.realm}", "--json", env=env)
    assert made.returncode == 0, made
    shown = json.loads(made.stdout)
    assert (shown["realm"], shown["kdcs"], shown["keytab"], shown["timeout_ms"]) == (server.realm, [kdc], keytab, 5000)
    assert shown["counters"]["accepted"] == 0 and shown["allow_unverified"] is False

    dana = postern("user", "add", "dana", "--kerberos-principal", f"d.jones@{server.realm}", "--json", env=env)
    assert dana.returncode == 0 and json.loads(dana.stdout)["kerberos_principal"] == f"d.jones@{server.realm}"
    with WireClient(daemon.socket, pb) as client:
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        assert authenticate(pb, client, "dana", "Dana's realm pw", "a").source == "corp"
        cleared = postern("user", "update", "dana", "--kerberos-principal", "", "--json", env=env)
        assert cleared.returncode == 0 and json.loads(cleared.stdout)["kerberos_principal"] is None
        assert authenticate(pb, client, "dana", "Dana's realm pw", "b").outcome == 2, "dana@REALM is not d.jones"

    human = postern("source", "kerberos", "show", "corp", env=env)
    assert human.returncode == 0 and "1 accepted, 1 refused" in human.stdout, human.stdout
    listed = postern("source", "kerberos", "list", env=env)
    assert "corp" in listed.stdout and "1 source" in listed.stdout
    updated = postern("source", "kerberos", "update", "corp", "--timeout-ms", "2500", "--json", env=env)
    assert updated.returncode == 0 and json.loads(updated.stdout)["timeout_ms"] == 2500
    assert json.loads(updated.stdout)["keytab"] == keytab, "update keeps what it is not given"
    system = postern("source", "kerberos", "update", "corp", "--system-kdcs", "--json", env=env)
    assert system.returncode == 0 and json.loads(system.stdout)["kdcs"] == []
    both = postern("source", "kerberos", "update", "corp", "--system-kdcs", "--kdc", kdc, env=env)
    assert both.returncode == 64
    gone = postern("source", "kerberos", "delete", "corp", "--yes", env=env)
    assert gone.returncode == 0 and "deleted Kerberos source corp" in gone.stdout
