"""The `kerberos` backend against a real MIT KDC (Tests/Fixtures/kdc.py): right and wrong
passwords, the principal from the record or username@REALM (never split at an '@'), a second KDC
for the realm with other keys — a spoof — refused by keytab verification and accepted only with
allow_unverified, a KDC stopped or frozen passed over within the timeout, an expired password
reported as such."""
import itertools
import os
import time
import uuid

import pytest

import kdc as fixture
from kerberos_api import create_source, get_source, kdc_source
from ldap_api import authenticate, stage, user
from wire_client import WireClient, call

AUTHENTICATED, INVALID = 1, 2
sessions = (f"k{n}" for n in itertools.count())


def uid():
    return "u" + uuid.uuid4().hex[:10]


def principal_user(pb, client, username, principal):
    return call(client, "/postern.password.v1.Users/Create", pb.users.CreateUserRequest(
        username=username, kerberos_principal=principal), pb.users.User)


@pytest.fixture
def realm(new_kdc, tmp_path):
    """A KDC and the service keytab Postern verifies with."""
    server = new_kdc()
    keytab = server.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    return server, keytab


def test_right_and_wrong_passwords_with_the_principal_from_the_username_or_the_record(pb, start_daemon, realm):
    server, keytab = realm
    alice = uid()
    server.add_principal(alice, "Kerberos pw 1")
    server.add_principal("c.smith", "Carol's pw")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        created = user(pb, client, alice)
        ok = authenticate(pb, client, alice, "Kerberos pw 1", next(sessions))
        assert (ok.outcome, ok.user_id, ok.backend, ok.method, ok.source) == (AUTHENTICATED, created.id, "kerberos", "kerberos", "realm")
        assert authenticate(pb, client, alice, "Kerberos pw 2", next(sessions)).outcome == INVALID
        # The record names a principal whose name differs from the username.
        principal_user(pb, client, "carol", f"c.smith@{server.realm}")
        assert authenticate(pb, client, "carol", "Carol's pw", next(sessions)).source == "realm"
        principal_user(pb, client, "carol-short", "c.smith")  # no realm: the source's
        assert authenticate(pb, client, "carol-short", "Carol's pw", next(sessions)).source == "realm"
        # No such principal: refused, like a wrong password.
        user(pb, client, "nobody-" + alice)
        assert authenticate(pb, client, "nobody-" + alice, "Kerberos pw 1", next(sessions)).outcome == INVALID
        counters = get_source(pb, client).counters
        assert (counters.accepted, counters.refused, counters.unverified) == (3, 2, 0)
    assert "Kerberos pw" not in daemon.log and "Carol's pw" not in daemon.log


def test_a_username_with_an_at_sign_is_one_principal_never_split(pb, start_daemon, realm):
    server, keytab = realm
    server.add_principal("mail", "The short one's pw")
    server.kadmin("addprinc -pw Whole-name-pw +requires_preauth mail\\@example.com")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        user(pb, client, "mail")
        user(pb, client, "mail@example.com")
        # authentik would look for a user "mail" first; Postern checks mail\@example.com@REALM.
        assert authenticate(pb, client, "mail@example.com", "The short one's pw", next(sessions)).outcome == INVALID
        assert authenticate(pb, client, "mail@example.com", "Whole-name-pw", next(sessions)).outcome == AUTHENTICATED


def test_a_spoofed_kdc_is_refused_by_keytab_verification(pb, start_daemon, new_kdc, tmp_path):
    real = new_kdc()
    keytab = real.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    alice = uid()
    real.add_principal(alice, "Known to both")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, real, keytab, name="a-verified")
        kdc_source(pb, client, real, None, name="b-unverified", disabled=True)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        user(pb, client, alice)
        assert authenticate(pb, client, alice, "Known to both", next(sessions)).source == "a-verified"

        # An impostor answers on the KDC's address: the same realm and password for alice (it
        # would say yes to any), but not the service's key.
        real.stop()
        spoof = new_kdc(realm=real.realm, port=real.port)
        spoof.add_principal(alice, "Known to both")
        spoof.kadmin(f"addprinc -randkey {fixture.SERVICE}")
        assert authenticate(pb, client, alice, "Known to both", next(sessions)).outcome == INVALID
        counters = get_source(pb, client, "a-verified").counters
        assert (counters.accepted, counters.unverified) == (1, 1)

        # Without a keytab the impostor's word is taken: why allow_unverified must be explicit.
        enabled = get_source(pb, client, "b-unverified")
        enabled.ClearField("counters")
        enabled.disabled = False
        call(client, "/postern.password.v1.KerberosSources/Update",
             pb.kerberos_sources.UpdateKerberosSourceRequest(source=enabled), pb.kerberos_sources.KerberosSource)
        assert authenticate(pb, client, alice, "Known to both", next(sessions)).source == "b-unverified"
    assert "verification_failed" in daemon.log and "kerberos_source_unverified" in daemon.log


def test_a_source_without_a_keytab_is_refused_unless_unverified_is_explicit(pb, start_daemon, realm, tmp_path):
    server, keytab = realm
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        refused = create_source(pb, client, realm=server.realm, kdcs=[f"127.0.0.1:{server.port}"])
        assert refused.status_code == 9 and "needs a keytab" in refused.status_message and "allow_unverified" in refused.status_message
        missing = create_source(pb, client, realm=server.realm, keytab=str(tmp_path / "none.keytab"))
        assert missing.status_code == 9 and "cannot be read" in missing.status_message
        bad = create_source(pb, client, realm=server.realm, keytab=keytab, service_principal="a@@b@")
        assert bad.status_code == 3 and "service_principal" in bad.status_message
        assert create_source(pb, client, realm="", keytab=keytab).status_code == 3
        assert create_source(pb, client, realm=server.realm, keytab=keytab, password_writeback=True).status_code == 3
        assert create_source(pb, client, realm=server.realm, keytab=keytab, counters={"accepted": 1}).status_code == 3
        assert create_source(pb, client, realm=server.realm, allow_unverified=True).status_code == 0


def test_a_stopped_or_frozen_kdc_fails_over_to_the_next_backend_within_the_timeout(pb, start_daemon, realm):
    server, keytab = realm
    alice = uid()
    server.add_principal(alice, "Realm pw")
    daemon = start_daemon("password")
    timeout_ms = 800
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab, timeout_ms=timeout_ms)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS, pb.stages.BACKEND_INTERNAL])
        user(pb, client, alice, password="Internal fallback")
        assert authenticate(pb, client, alice, "Realm pw", next(sessions)).source == "realm"

        server.pause()
        started = time.monotonic()
        fallback = authenticate(pb, client, alice, "Internal fallback", next(sessions))
        frozen = time.monotonic() - started
        server.resume()
        assert (fallback.outcome, fallback.backend) == (AUTHENTICATED, "internal")
        assert frozen < (timeout_ms + 100) / 1000 + 0.1, f"{frozen:.3f} s"  # + one Argon2id for the internal backend

        server.stop()
        started = time.monotonic()
        fallback = authenticate(pb, client, alice, "Internal fallback", next(sessions))
        stopped = time.monotonic() - started
        assert (fallback.outcome, fallback.backend) == (AUTHENTICATED, "internal")
        assert stopped < (timeout_ms + 100) / 1000, f"{stopped:.3f} s"
        counters = get_source(pb, client).counters
        assert (counters.timeout, counters.unreachable) == (1, 1), counters
    assert "kerberos_failed" in daemon.log and "Internal fallback" not in daemon.log


def test_an_expired_password_is_reported_as_such(pb, start_daemon, realm):
    server, keytab = realm
    alice = uid()
    server.add_principal(alice, "Expiring pw")
    server.kadmin(f'modprinc -pwexpire "2000-01-01" {alice}')
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        created = user(pb, client, alice)
        assert authenticate(pb, client, alice, "Expiring pw", next(sessions)).outcome == INVALID
        assert get_source(pb, client).counters.expired == 1
    lines = [l for l in daemon.log.splitlines() if l.endswith("] kerberos_password_expired")]
    assert len(lines) == 1 and created.id in lines[0] and "Expiring pw" not in lines[0]


def test_nothing_is_written_to_disk_for_a_login(pb, start_daemon, realm, tmp_path):
    server, keytab = realm
    alice = uid()
    server.add_principal(alice, "No cache pw")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Where libkrb5 would put a credential or replay cache: its default places, and TMPDIR.
    daemon = start_daemon("password", env={"TMPDIR": str(scratch), "KRB5RCACHEDIR": str(scratch)})
    watched = [scratch, "/tmp", "/var/tmp"]
    before = {str(d): set(os.listdir(d)) for d in watched}
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        user(pb, client, alice)
        for _ in range(3):
            assert authenticate(pb, client, alice, "No cache pw", next(sessions)).outcome == AUTHENTICATED
    after = {str(d): set(os.listdir(d)) for d in watched}
    new = {d: sorted(n for n in after[d] - before[d] if "krb5" in n or n.startswith(("krb5cc", "tkt")))
           for d in after}
    assert not any(new.values()), new
    assert not os.listdir(scratch)



def test_clock_skew_is_reported_as_such(pb, start_daemon, new_kdc, tmp_path):
    """The KDC's clock two hours ahead of postern-password's (libfaketime in the KDC only)."""
    server = new_kdc(clock_offset="+2h")
    keytab = server.keytab(fixture.SERVICE, tmp_path / "service.keytab")
    alice = uid()
    server.add_principal(alice, "Skewed pw")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        user(pb, client, alice)
        assert authenticate(pb, client, alice, "Skewed pw", next(sessions)).outcome == INVALID
        assert get_source(pb, client).counters.clock_skew == 1
    lines = [l for l in daemon.log.splitlines() if l.endswith("] kerberos_failed")]
    assert len(lines) == 1 and "reason=clock_skew" in lines[0], lines


def test_past_the_queue_kerberos_checks_are_refused_at_once(pb, start_daemon, realm):
    from test_ldap_load import logins
    server, keytab = realm
    alice = uid()
    server.add_principal(alice, "Queued pw")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        kdc_source(pb, client, server, keytab, pool_size=1, queue_limit=1, timeout_ms=2000)
        stage(pb, client, [pb.stages.BACKEND_KERBEROS])
        user(pb, client, alice)
    server.pause()  # the one thread waits on the KDC; one check may queue behind it
    try:
        requests = [pb.auth.AuthenticateRequest(stage="login", flow_session=f"q{i}", username=alice, secret="Queued pw")
                    for i in range(8)]
        started = time.monotonic()
        answers = logins(pb, daemon.socket, requests)
        elapsed = time.monotonic() - started
    finally:
        server.resume()
    refused = [a for a in answers if a[0] == 8]  # RESOURCE_EXHAUSTED
    assert len(refused) >= 8 - 2, answers
    assert elapsed < 2 + 1.5, f"{elapsed:.1f} s: the queued check is answered at its own deadline too"
    with WireClient(daemon.socket, pb) as client:
        counters = get_source(pb, client).counters
        assert counters.queue_full == len(refused) and counters.timeout >= 1
