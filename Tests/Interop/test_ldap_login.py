"""The `ldap` backend against a real slapd (Tests/Fixtures/slapd.py) over ldap://, ldaps://,
StartTLS and ldapi://: binds as the user's DN, search mode with hostile usernames, certificates
from another CA refused, a dead or frozen server passed over within its timeout, fail-over
between URIs."""
import itertools
import time
import uuid

import pytest

import slapd as fixture
from ldap_api import authenticate, create_source, get_source, service_password_file, source, stage, user
from wire_client import WireClient

AUTHENTICATED, INVALID = 1, 2
sessions = (f"s{n}" for n in itertools.count())


def uid():
    return "u" + uuid.uuid4().hex[:10]


@pytest.mark.parametrize("transport", ["ldap", "ldaps", "starttls", "ldapi"])
def test_a_bind_as_the_users_dn_over_each_transport(pb, start_daemon, slapd, transport):
    name = uid()
    dn = slapd.add_person(name, "Directory pw 1")
    fields = {
        "ldap": dict(uris=[slapd.ldap_uri]),
        "ldaps": dict(uris=[slapd.ldaps_uri], ca_file=str(slapd.ca)),
        "starttls": dict(uris=[slapd.ldap_uri], start_tls=True, ca_file=str(slapd.ca)),
        "ldapi": dict(uris=[slapd.ldapi_uri]),
    }[transport]
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, **fields)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        created = user(pb, client, name, ldap_dn=dn)
        ok = authenticate(pb, client, name, "Directory pw 1", next(sessions))
        assert (ok.outcome, ok.user_id, ok.backend, ok.method, ok.source) == (AUTHENTICATED, created.id, "ldap", "ldap", "corp")
        wrong = authenticate(pb, client, name, "Directory pw 2", next(sessions))
        assert wrong.outcome == INVALID and wrong.message == "Invalid password"
        counters = get_source(pb, client).counters
        assert (counters.accepted, counters.refused) == (1, 1)
        assert counters.idle_connections >= 1, "the connection is kept for the next login"
    assert "Directory pw" not in daemon.log


def test_a_user_without_a_dn_is_not_checked_by_the_directory(pb, start_daemon, slapd):
    name = uid()
    slapd.add_person(name, "In the directory")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldap_uri])
        stage(pb, client, [pb.stages.BACKEND_LDAP, pb.stages.BACKEND_INTERNAL])
        user(pb, client, name, password="Postern's own")
        assert authenticate(pb, client, name, "In the directory", next(sessions)).outcome == INVALID
        by_internal = authenticate(pb, client, name, "Postern's own", next(sessions))
        assert (by_internal.outcome, by_internal.backend, by_internal.source) == (AUTHENTICATED, "internal", "")
        assert get_source(pb, client).counters.accepted == 0
        # Unknown to Postern: refused without asking the directory.
        assert authenticate(pb, client, "nobody-" + name, "In the directory", next(sessions)).outcome == INVALID
        assert get_source(pb, client).counters.refused == 0


def test_an_inactive_user_is_refused_without_a_bind(pb, start_daemon, slapd):
    name = uid()
    dn = slapd.add_person(name, "Still in the directory")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldap_uri])
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        created = user(pb, client, name, ldap_dn=dn)
        from wire_client import call
        call(client, "/postern.password.v1.Users/Disable", pb.users.DisableUserRequest(id=created.id), pb.users.User)
        assert authenticate(pb, client, name, "Still in the directory", next(sessions)).outcome == INVALID
        counters = get_source(pb, client).counters
        assert (counters.accepted, counters.refused) == (0, 0)


def test_search_mode_finds_the_entry_and_hostile_usernames_match_nobody(pb, start_daemon, slapd, tmp_path):
    name = uid()
    slapd.add_person(name, "Searched for")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldap_uri], user_dn=pb.ldap_sources.LDAP_USER_DN_SEARCH,
               bind_dn=fixture.SERVICE_DN, bind_password_file=service_password_file(tmp_path),
               search_base=fixture.PEOPLE, search_filter="(&(objectClass=inetOrgPerson)(uid={username}))")
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, name)
        ok = authenticate(pb, client, name, "Searched for", next(sessions))
        assert (ok.outcome, ok.source) == (AUTHENTICATED, "corp")
        # Unescaped, each would match every entry (the first one found would be bound as).
        for hostile in ["*)(uid=*", "admin)(|(uid=*", "*", name[:3] + "*"]:
            user(pb, client, hostile)
            assert authenticate(pb, client, hostile, "Searched for", next(sessions)).outcome == INVALID, hostile
        counters = get_source(pb, client).counters
        assert (counters.accepted, counters.refused) == (1, 4)
    assert fixture.SERVICE_PASSWORD not in daemon.log


def test_the_service_password_comes_from_a_systemd_credential(pb, start_daemon, slapd, tmp_path):
    name = uid()
    slapd.add_person(name, "Via a credential")
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "ldap-bind").write_text(fixture.SERVICE_PASSWORD)
    daemon = start_daemon("password", env={"CREDENTIALS_DIRECTORY": str(credentials)})
    with WireClient(daemon.socket, pb) as client:
        created = source(pb, client, uris=[slapd.ldapi_uri], user_dn=pb.ldap_sources.LDAP_USER_DN_SEARCH,
                         bind_dn=fixture.SERVICE_DN, bind_password_file="credential:ldap-bind",
                         search_base=fixture.PEOPLE, search_filter="(uid={username})")
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, name)
        assert authenticate(pb, client, name, "Via a credential", next(sessions)).outcome == AUTHENTICATED
        # A wrong service password: the search fails, reported as the service account's, not the
        # user's. (A change to the source makes fresh connections, which read the file again.)
        (credentials / "ldap-bind").write_text("not the service password")
        from wire_client import call
        created.ClearField("counters")
        created.timeout_ms = 4000
        call(client, "/postern.password.v1.LDAPSources/Update", pb.ldap_sources.UpdateLDAPSourceRequest(source=created),
             pb.ldap_sources.LDAPSource)
        assert authenticate(pb, client, name, "Via a credential", next(sessions)).outcome == INVALID
        assert get_source(pb, client).counters.other == 1
    assert "the service account's bind was refused" in daemon.log
    assert fixture.SERVICE_PASSWORD not in daemon.log and "not the service password" not in daemon.log


def test_a_certificate_from_another_ca_is_refused(pb, start_daemon, slapd, tmp_path):
    name = uid()
    dn = slapd.add_person(name, "Over TLS")
    other_ca, _, _ = fixture.make_ca(tmp_path, "other")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, name="wrong-ca", uris=[slapd.ldaps_uri], ca_file=str(other_ca))
        source(pb, client, name="wrong-ca-starttls", uris=[slapd.ldap_uri], start_tls=True, ca_file=str(other_ca))
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, name, ldap_dn=dn)
        assert authenticate(pb, client, name, "Over TLS", next(sessions)).outcome == INVALID
        for name_ in ("wrong-ca", "wrong-ca-starttls"):
            counters = get_source(pb, client, name_).counters
            assert (counters.accepted, counters.tls) == (0, 1), name_
    assert daemon.log.count('"reason":"tls"') + daemon.log.count("reason=tls") >= 2, daemon.log[-3000:]


def test_skipping_verification_is_explicit_and_warned_about(pb, start_daemon, slapd, tmp_path):
    name = uid()
    dn = slapd.add_person(name, "Unverified")
    other_ca, _, _ = fixture.make_ca(tmp_path, "other")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[slapd.ldaps_uri], ca_file=str(other_ca), insecure_skip_verify=True)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, name, ldap_dn=dn)
        assert authenticate(pb, client, name, "Unverified", next(sessions)).outcome == AUTHENTICATED
    assert "ldap_source_insecure" in daemon.log


def test_a_stopped_server_fails_over_to_the_next_backend_within_the_timeout(pb, start_daemon, new_slapd):
    server = new_slapd()
    name = uid()
    dn = server.add_person(name, "Directory")
    daemon = start_daemon("password")
    timeout_ms = 800
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[server.ldap_uri], timeout_ms=timeout_ms, connect_timeout_ms=timeout_ms)
        stage(pb, client, [pb.stages.BACKEND_LDAP, pb.stages.BACKEND_INTERNAL])
        user(pb, client, name, ldap_dn=dn, password="Internal fallback")
        assert authenticate(pb, client, name, "Directory", next(sessions)).source == "corp"

        # Frozen: connections are accepted by the kernel, nothing answers.
        server.pause()
        started = time.monotonic()
        fallback = authenticate(pb, client, name, "Internal fallback", next(sessions))
        frozen = time.monotonic() - started
        assert (fallback.outcome, fallback.backend) == (AUTHENTICATED, "internal")
        assert frozen < (timeout_ms + 100) / 1000 + 0.1, f"{frozen:.3f} s"  # + one Argon2id for the internal backend
        server.resume()

        server.stop()
        started = time.monotonic()
        fallback = authenticate(pb, client, name, "Internal fallback", next(sessions))
        stopped = time.monotonic() - started
        assert (fallback.outcome, fallback.backend) == (AUTHENTICATED, "internal")
        assert stopped < (timeout_ms + 100) / 1000, f"{stopped:.3f} s"
        counters = get_source(pb, client).counters
        assert counters.timeout == 1 and counters.unreachable == 1, counters
    assert "ldap_failed" in daemon.log and "Internal fallback" not in daemon.log


def test_the_second_uri_serves_when_the_first_is_dead(pb, start_daemon, slapd):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]  # nothing listens once closed
    name = uid()
    dn = slapd.add_person(name, "Second URI")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[f"ldap://127.0.0.1:{dead}", slapd.ldap_uri])
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, name, ldap_dn=dn)
        assert authenticate(pb, client, name, "Second URI", next(sessions)).outcome == AUTHENTICATED


@pytest.mark.parametrize("fields, code, words", [
    (dict(uris=[]), 3, "uris must hold"),
    (dict(uris=["http://example.com"]), 3, "ldap://, ldaps:// or ldapi://"),
    (dict(uris=["ldaps://127.0.0.1"], start_tls=True), 3, "start_tls is for ldap://"),
    (dict(uris=["ldap://127.0.0.1"], ca_file="/nonexistent/ca.pem"), 9, "cannot be read"),
    (dict(uris=["ldap://127.0.0.1"], timeout_ms=60001), 3, "timeout_ms is 60001"),
    (dict(uris=["ldap://127.0.0.1"], user_dn=2), 3, "needs a service account"),
    (dict(uris=["ldap://127.0.0.1"], bind_dn="cn=x"), 3, "go together"),
    (dict(uris=["ldap://127.0.0.1"], bind_dn="cn=x", bind_password_file="/nonexistent"), 9, "cannot be read"),
    (dict(uris=["ldap://127.0.0.1"], bind_dn="cn=x", bind_password_file="credential:ldap"), 9, "CREDENTIALS_DIRECTORY"),
    (dict(uris=["ldap://127.0.0.1"], password_writeback=True), 3, "password_writeback needs a service account"),
    (dict(uris=["ldap://127.0.0.1"], search_filter="uid={username}"), 3, "search_filter must be a filter in parentheses"),
    (dict(uris=["ldap://127.0.0.1"], pool_size=65), 3, "pool_size is 65"),
    (dict(name="a b", uris=["ldap://127.0.0.1"]), 3, "name must be"),
    (dict(uris=["ldap://127.0.0.1"], counters={"accepted": 1}), 3, "counters is output only"),
])
def test_a_source_that_cannot_work_is_refused_with_the_reason(pb, start_daemon, fields, code, words):
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        answer = create_source(pb, client, **fields)
        assert answer.status_code == code and words in answer.status_message, answer.status_message


def test_sources_are_listed_updated_deleted_and_kept_across_restarts(pb, start_daemon, slapd):
    from wire_client import call
    base = "/postern.password.v1.LDAPSources/"
    L = pb.ldap_sources
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        created = source(pb, client, uris=[slapd.ldap_uri])
        assert (created.timeout_ms, created.connect_timeout_ms, created.pool_size, created.queue_limit) == (5000, 2000, 4, 64)
        assert created.user_dn == L.LDAP_USER_DN_RECORD and not created.update_internal_password and not created.password_writeback
        assert create_source(pb, client, uris=[slapd.ldap_uri]).status_code == 6
        source(pb, client, name="b-second", uris=[slapd.ldapi_uri], disabled=True)
        listed = call(client, base + "List", L.ListLDAPSourcesRequest(), L.ListLDAPSourcesResponse)
        assert [s.name for s in listed.sources] == ["b-second", "corp"]
        assert not listed.sources[0].HasField("counters"), "a disabled source is not served"
        created.ClearField("counters")
        created.timeout_ms = 1500
        updated = call(client, base + "Update", L.UpdateLDAPSourceRequest(source=created), L.LDAPSource)
        assert updated.timeout_ms == 1500
        assert call(client, base + "Delete", L.DeleteLDAPSourceRequest(name="b-second")).status_code == 0
        assert call(client, base + "Delete", L.DeleteLDAPSourceRequest(name="b-second")).status_code == 5
    daemon.kill()
    again = start_daemon("password", env={f"POSTERN_PASSWORD_STATE_DIRECTORY": str(daemon.state_directory)},
                         socket_name="again.sock")
    with WireClient(again.socket, pb) as client:
        kept = get_source(pb, client)
        assert kept.timeout_ms == 1500 and kept.HasField("counters")
    assert "ldap_source_ready" in again.log
