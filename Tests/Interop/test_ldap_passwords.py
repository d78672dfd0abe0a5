"""Keeping Postern and the directory in step (a real slapd): update_internal_password on
(the internal hash set, history recorded) and off (nothing written), and password write-back
with RFC 3062 Password Modify — checked with ldapwhoami — refused by slapd's ppolicy overlay
without changing either password."""
import sqlite3
import uuid

import slapd as fixture
from ldap_api import authenticate, service_password_file, source, stage, user
from wire_client import WireClient, call

AUTHENTICATED, INVALID = 1, 2
SET = "/postern.password.v1.Passwords/Set"
CHANGE = "/postern.password.v1.Passwords/Change"
HISTORY_CHECK = "/postern.history.v1.History/Check"


def uid():
    return "u" + uuid.uuid4().hex[:10]


def store_rows(daemon):
    """Every row of every table of postern-password's store but the failed-attempt counters."""
    db = sqlite3.connect(f"file:{daemon.state_directory}/password.sqlite3?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'failed_attempt'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        db.close()


def test_update_internal_password_off_writes_nothing(pb, start_daemon, slapd):
    name = uid()
    dn = slapd.add_person(name, "Directory only")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldap_uri])
        stage(pb, client, [pb.stages.BACKEND_LDAP, pb.stages.BACKEND_INTERNAL])
        user(pb, client, name, ldap_dn=dn, password="Old internal")
        before = store_rows(daemon)
        assert authenticate(pb, client, name, "Directory only", "a").source == "corp"
        assert store_rows(daemon) == before, "an LDAP login with update_internal_password off writes nothing"
        # authentik #9518: the old internal password must not have been replaced, nor a new one set.
        assert authenticate(pb, client, name, "Old internal", "b").backend == "internal"


def test_update_internal_password_on_sets_the_hash_once_and_records_history(pb, start_daemon, slapd):
    name = uid()
    dn = slapd.add_person(name, "From the directory")
    history = start_daemon("history")
    with WireClient(history.socket, pb) as client:
        call(client, "/postern.history.v1.History/SetRetention", pb.history.SetRetentionRequest(count=5),
             pb.history.SetRetentionResponse)
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket})
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldap_uri], update_internal_password=True)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        stage(pb, client, [pb.stages.BACKEND_INTERNAL], name="internal-only")
        created = user(pb, client, name, ldap_dn=dn)
        assert authenticate(pb, client, name, "From the directory", "internal-before", stage="internal-only").outcome == INVALID
        assert authenticate(pb, client, name, "From the directory", "a").source == "corp"
        internal = authenticate(pb, client, name, "From the directory", "b", stage="internal-only")
        assert (internal.outcome, internal.backend) == (AUTHENTICATED, "internal")
        before = store_rows(daemon)
        assert authenticate(pb, client, name, "From the directory", "c").source == "corp"
        assert store_rows(daemon) == before, "a password that verifies already is not set again"
    with WireClient(history.socket, pb) as client:
        checked = call(client, HISTORY_CHECK, pb.history.CheckRequest(
            user_id=created.id, password="From the directory", count=5), pb.history.CheckResponse)
        assert checked.reused, "the password set from the directory is in the user's history"
    assert daemon.log.count('by=ldap') == 1, "set once"
    assert "From the directory" not in daemon.log


def writeback_source(pb, client, server, tmp_path, **fields):
    return source(pb, client, uris=[server.ldap_uri], bind_dn=fixture.SERVICE_DN,
                  bind_password_file=service_password_file(tmp_path), password_writeback=True, **fields)


def test_writeback_changes_the_directory_password(pb, start_daemon, slapd, tmp_path):
    name = uid()
    dn = slapd.add_person(name, "First directory pw")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        writeback_source(pb, client, slapd, tmp_path)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        created = user(pb, client, name, ldap_dn=dn)
        call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="Set by admin 1"),
             pb.passwords.SetPasswordResponse)
        assert slapd.whoami(dn, "Set by admin 1") and not slapd.whoami(dn, "First directory pw")
        call(client, CHANGE, pb.passwords.ChangePasswordRequest(
            user_id=created.id, current_password="Set by admin 1", new_password="Changed by user 2"),
            pb.passwords.ChangePasswordResponse)
        assert slapd.whoami(dn, "Changed by user 2") and not slapd.whoami(dn, "Set by admin 1")
        assert authenticate(pb, client, name, "Changed by user 2", "a").source == "corp"
        # A user without a DN is Postern's alone.
        local = user(pb, client, "local-" + name)
        call(client, SET, pb.passwords.SetPasswordRequest(user_id=local.id, password="Only here"),
             pb.passwords.SetPasswordResponse)
    assert "Changed by user 2" not in daemon.log and fixture.SERVICE_PASSWORD not in daemon.log


def test_a_ppolicy_refusal_fails_the_change_and_changes_nothing(pb, start_daemon, new_slapd, tmp_path):
    server = new_slapd(ppolicy_min_length=12)
    name = uid()
    dn = server.add_person(name, "Long enough password")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        writeback_source(pb, client, server, tmp_path)
        stage(pb, client, [pb.stages.BACKEND_INTERNAL], name="internal-only")
        created = user(pb, client, name, ldap_dn=dn)
        call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="Long enough password"),
             pb.passwords.SetPasswordResponse)
        before = store_rows(daemon)
        refused = call(client, CHANGE, pb.passwords.ChangePasswordRequest(
            user_id=created.id, current_password="Long enough password", new_password="short1"))
        assert refused.status_code == 9, refused.status_message  # FAILED_PRECONDITION
        assert "refused the new password" in refused.status_message and "nothing was changed" in refused.status_message
        assert "short" in refused.status_message.lower(), "slapd's own reason is passed on"
        assert "short1" not in refused.status_message
        assert store_rows(daemon) == before
        assert server.whoami(dn, "Long enough password") and not server.whoami(dn, "short1")
        assert authenticate(pb, client, name, "Long enough password", "a", stage="internal-only").outcome == AUTHENTICATED
        set_refused = call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="short2"))
        assert set_refused.status_code == 9 and store_rows(daemon) == before
    assert "short1" not in daemon.log and "ldap_writeback_failed" in daemon.log


def test_writeback_to_a_directory_that_is_down_fails_unavailable(pb, start_daemon, new_slapd, tmp_path):
    server = new_slapd()
    name = uid()
    dn = server.add_person(name, "Before")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        writeback_source(pb, client, server, tmp_path, timeout_ms=500, connect_timeout_ms=500)
        created = user(pb, client, name, ldap_dn=dn)
        before = store_rows(daemon)
        server.stop()
        answer = call(client, SET, pb.passwords.SetPasswordRequest(user_id=created.id, password="While down"))
        assert answer.status_code == 14 and "could not be reached" in answer.status_message, answer.status_message
        assert store_rows(daemon) == before
