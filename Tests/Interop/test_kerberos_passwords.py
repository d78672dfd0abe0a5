"""Keeping Postern and a Kerberos realm in step (a real MIT KDC and kadmind):
update_internal_password on (the internal hash set) and off (nothing written); write-back with
kpasswd's set-password as an admin principal from a keytab — checked with kinit — and a realm
policy's refusal failing the change with both passwords as they were."""
import uuid

import kdc as fixture
from kerberos_api import kdc_source
from ldap_api import authenticate, stage, user
from test_ldap_passwords import store_rows
from wire_client import WireClient, call

AUTHENTICATED, INVALID = 1, 2
SET = "/postern.password.v1.Passwords/Set"
CHANGE = "/postern.password.v1.Passwords/Change"


def uid():
    return "u" + uuid.uuid4().hex[:10]


def principal_user(pb, client, username, principal):
    return call(client, "/postern.password.v1.Users/Create", pb.users.CreateUserRequest(
        username=username, kerberos_principal=principal), pb.users.User)


def test_update_internal_password_on_and_off(pb, start_daemon, new_kdc, tmp_path):
    server = new_kdc()
    keytab = server.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    off, on = uid(), uid()
    server.add_principal(off, "Realm only pw")
    server.add_principal(on, "Realm pw to copy")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab, name="a-off")
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        stage(pb, client, [pb.stages.BACKEND_INTERNAL], name="internal-only")
        user(pb, client, off)
        before = store_rows(daemon)
        assert authenticate(pb, client, off, "Realm only pw", "a").source == "a-off"
        assert store_rows(daemon) == before, "update_internal_password off: an accepted login writes nothing"
        assert authenticate(pb, client, off, "Realm only pw", "b", stage="internal-only").outcome == INVALID

        # Another daemon's source with it on (one source per realm and store here keeps it simple).
        call(client, "/postern.password.v1.KerberosSources/Delete", pb.kerberos_sources.DeleteKerberosSourceRequest(name="a-off"))
        kdc_source(pb, client, server, keytab, name="b-on", update_internal_password=True)
        user(pb, client, on)
        assert authenticate(pb, client, on, "Realm pw to copy", "c").source == "b-on"
        assert authenticate(pb, client, on, "Realm pw to copy", "d", stage="internal-only").backend == "internal"
        before = store_rows(daemon)
        assert authenticate(pb, client, on, "Realm pw to copy", "e").source == "b-on"
        assert store_rows(daemon) == before, "a password that verifies already is not set again"
    assert daemon.log.count("by=kerberos") == 1 and "Realm pw" not in daemon.log


def writeback_realm(new_kdc, tmp_path):
    server = new_kdc(kadmind=True)
    keytab = server.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    server.add_principal(fixture.ADMIN, "admin pw unused")
    admin_keytab = server.keytab(fixture.ADMIN, tmp_path / "admin.keytab")
    return server, keytab, admin_keytab


def test_writeback_sets_the_principals_password(pb, start_daemon, new_kdc, tmp_path):
    server, keytab, admin_keytab = writeback_realm(new_kdc, tmp_path)
    name = uid()
    principal = server.add_principal(name, "First realm pw")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab, password_writeback=True, admin_principal=f"{fixture.ADMIN}@{server.realm}",
                   admin_keytab=admin_keytab, kpasswd_server=f"127.0.0.1:{server.kpasswd_port}")
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        created = principal_user(pb, client, name, principal)
        call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="Set by admin pw"),
             pb.passwords.SetPasswordResponse)
        assert server.kinit(principal, "Set by admin pw") and not server.kinit(principal, "First realm pw")
        call(client, CHANGE, pb.passwords.ChangePasswordRequest(
            user_id=created.id, current_password="Set by admin pw", new_password="Changed by user pw"),
            pb.passwords.ChangePasswordResponse)
        assert server.kinit(principal, "Changed by user pw") and not server.kinit(principal, "Set by admin pw")
        assert authenticate(pb, client, name, "Changed by user pw", "a").source == "realm"
    assert "Changed by user pw" not in daemon.log


def test_a_realm_policy_refusal_fails_the_change_and_changes_nothing(pb, start_daemon, new_kdc, tmp_path):
    server, keytab, admin_keytab = writeback_realm(new_kdc, tmp_path)
    server.kadmin("addpol -minlength 14 strict")
    name = uid()
    principal = server.add_principal(name, "A long enough realm pw")
    server.kadmin(f"modprinc -policy strict {name}")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab, password_writeback=True, admin_principal=f"{fixture.ADMIN}@{server.realm}",
                   admin_keytab=admin_keytab, kpasswd_server=f"127.0.0.1:{server.kpasswd_port}")
        stage(pb, client, [pb.stages.BACKEND_INTERNAL], name="internal-only")
        created = principal_user(pb, client, name, principal)
        call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="Another long realm pw"),
             pb.passwords.SetPasswordResponse)
        before = store_rows(daemon)
        refused = call(client, CHANGE, pb.passwords.ChangePasswordRequest(
            user_id=created.id, current_password="Another long realm pw", new_password="short1"))
        assert refused.status_code == 9, refused.status_message
        assert "refused the new password" in refused.status_message and "nothing was changed" in refused.status_message
        assert "short1" not in refused.status_message
        assert store_rows(daemon) == before
        assert server.kinit(principal, "Another long realm pw") and not server.kinit(principal, "short1")
        assert authenticate(pb, client, name, "Another long realm pw", "a", stage="internal-only").outcome == AUTHENTICATED
    assert "short1" not in daemon.log and "kerberos_writeback_failed" in daemon.log
