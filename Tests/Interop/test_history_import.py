"""ImportLegacy: authentik's password history (Django hashes, made by Django at test time),
through the independent Python client and through `postern history import`. authentik's
uniqueness scenarios adapted to Postern's semantics:
imported entries are checked one by one, sealed at rest, and age out by their dates."""
import json
import os
import pathlib
import sqlite3
import subprocess

import pytest

from wire_client import WireClient
from wire_client import call as wire_call

OK, INVALID_ARGUMENT, FAILED_PRECONDITION = 0, 3, 9
H = "/postern.history.v1.History/"
JAN_2024 = 1704067200000


@pytest.fixture(scope="module")
def django():
    from django.conf import settings
    if not settings.configured:
        settings.configure(PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.ScryptPasswordHasher",
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        ])
    from django.contrib.auth import hashers
    return hashers


def call(client, method, message, answer_type=None):
    return wire_call(client, H + method, message, answer_type)


def reused(pb, client, user, password, count=5):
    return call(client, "Check", pb.history.CheckRequest(user_id=user, password=password, count=count),
                pb.history.CheckResponse).reused


def import_entries(pb, client, entries, validate_only=False):
    request = pb.history.ImportLegacyRequest(validate_only=validate_only, entries=[
        pb.history.LegacyEntry(user_id=user, encoded=encoded, created_unix_ms=created) for user, encoded, created in entries])
    return call(client, "ImportLegacy", request)


def stats(pb, client):
    return call(client, "Stats", pb.history.StatsRequest(), pb.history.StatsResponse)


def test_authentik_uniqueness_scenarios_on_imported_history(pb, start_daemon, django):
    daemon = start_daemon("history")
    pbkdf2 = django.PBKDF2PasswordHasher()
    hunter1 = pbkdf2.encode("Import-test hunter1", pbkdf2.salt(), iterations=10_000)
    hunter2 = pbkdf2.encode("Import-test hunter2", pbkdf2.salt(), iterations=10_000)
    scrypt = django.ScryptPasswordHasher().encode("Import-test hunter2", "somesalt")
    argon2 = django.make_password("Import-test argon", hasher="argon2")
    bcrypt = django.make_password("Import-test bcrypt", hasher="bcrypt_sha256")
    with WireClient(daemon.socket, pb) as client:
        answer = import_entries(pb, client, [("u1", hunter1, JAN_2024)])
        assert answer.status_code == FAILED_PRECONDITION and "retention" in answer.status_message
        call(client, "SetRetention", pb.history.SetRetentionRequest(count=5), pb.history.SetRetentionResponse)

        # No history: any password passes.
        assert not reused(pb, client, "u1", "Import-test hunter2")
        # history [hunter1]: hunter2 passes, hunter1 is refused.
        answer = call(client, "ImportLegacy", pb.history.ImportLegacyRequest(entries=[
            pb.history.LegacyEntry(user_id="u1", encoded=hunter1, created_unix_ms=JAN_2024),
            pb.history.LegacyEntry(user_id="u1", encoded="", created_unix_ms=JAN_2024 + 1),
            pb.history.LegacyEntry(user_id="u1", encoded="!unusable", created_unix_ms=JAN_2024 + 2)]),
            pb.history.ImportLegacyResponse)
        assert (answer.imported, answer.skipped) == (1, 2), "empty and unusable hashes are skipped, as authentik skips them"
        assert not reused(pb, client, "u1", "Import-test hunter2")
        assert reused(pb, client, "u1", "Import-test hunter1")
        # history [hunter1, hunter2]: hunter3 passes.
        import_entries(pb, client, [("u1", hunter2, JAN_2024 + 10)])
        assert not reused(pb, client, "u1", "Import-test hunter3")
        assert reused(pb, client, "u1", "Import-test hunter2") and reused(pb, client, "u1", "Import-test hunter1")
        # Any supported hasher verifies: scrypt with salt "somesalt", argon2, bcrypt_sha256.
        import_entries(pb, client, [("u2", scrypt, JAN_2024), ("u3", argon2, JAN_2024), ("u3", bcrypt, JAN_2024 + 1)])
        assert reused(pb, client, "u2", "Import-test hunter2")
        assert reused(pb, client, "u3", "Import-test argon") and reused(pb, client, "u3", "Import-test bcrypt")
        assert not reused(pb, client, "u3", "Import-test hunter2")

        # A bad hash anywhere refuses the whole call, naming the entry; nothing is stored.
        before = stats(pb, client).entries
        answer = import_entries(pb, client, [("u4", hunter1, JAN_2024), ("u4", "md5$x$y", JAN_2024)])
        assert answer.status_code == INVALID_ARGUMENT and answer.status_message.startswith("entries[1]: unknown hash format")
        answer = import_entries(pb, client, [("u4", hunter1, 0)])
        assert answer.status_code == INVALID_ARGUMENT and "created_unix_ms" in answer.status_message
        assert import_entries(pb, client, [("u4", hunter1, JAN_2024)], validate_only=True).status_code == OK
        assert stats(pb, client).entries == before and not reused(pb, client, "u4", "Import-test hunter1")
        assert stats(pb, client).legacy_entries == 5

        # Sealed at rest: no Django hash string in the database.
        db = sqlite3.connect(daemon.state_directory / "history.sqlite3")
        dump = "\n".join(db.iterdump())
        for encoded in (hunter1, hunter2, scrypt, argon2, bcrypt):
            assert encoded not in dump and encoded.split("$")[-1] not in dump


def test_imported_entries_age_out_by_their_dates(pb, start_daemon, django):
    daemon = start_daemon("history")
    pbkdf2 = django.PBKDF2PasswordHasher()
    old = [pbkdf2.encode(f"Import-test old {i}", pbkdf2.salt(), iterations=10_000) for i in range(2)]
    with WireClient(daemon.socket, pb) as client:
        call(client, "SetRetention", pb.history.SetRetentionRequest(count=2), pb.history.SetRetentionResponse)
        import_entries(pb, client, [("u1", old[0], JAN_2024), ("u1", old[1], JAN_2024 + 1000)])
        assert reused(pb, client, "u1", "Import-test old 0") and reused(pb, client, "u1", "Import-test old 1")
        call(client, "Record", pb.history.RecordRequest(user_id="u1", password="Import-test new one"), pb.history.RecordResponse)
        assert not reused(pb, client, "u1", "Import-test old 0"), "the oldest aged out"
        assert reused(pb, client, "u1", "Import-test old 1")
        call(client, "Record", pb.history.RecordRequest(user_id="u1", password="Import-test new two"), pb.history.RecordResponse)
        assert not reused(pb, client, "u1", "Import-test old 1") and stats(pb, client).legacy_entries == 0
        # Imported entries older than everything kept are trimmed at once.
        import_entries(pb, client, [("u1", old[0], JAN_2024)])
        assert not reused(pb, client, "u1", "Import-test old 0") and reused(pb, client, "u1", "Import-test new one")


def test_postern_history_import_checks_the_whole_file_first(pb, start_daemon, django, tmp_path):
    history = start_daemon("history")
    password = start_daemon("password")
    bin_dir = pathlib.Path(os.environ.get("POSTERN_BIN_DIR") or pathlib.Path(__file__).resolve().parents[2] / ".build" / "release")

    sockets = {**os.environ, "POSTERN_HISTORY_SOCKET": history.socket, "POSTERN_PASSWORD_SOCKET": password.socket}

    def postern(*args):
        return subprocess.run([str(bin_dir / "postern"), *args], env=sockets, capture_output=True, text=True, timeout=120)

    assert postern("user", "add", "alice").returncode == 0
    assert postern("history", "retention", "5").returncode == 0
    pbkdf2 = django.PBKDF2PasswordHasher()
    good = pbkdf2.encode("Import-test file", pbkdf2.salt(), iterations=10_000)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([
        json.dumps({"username": "alice", "old_password": good, "created_at": "2024-01-01T00:00:00Z"}),
        "# a comment",
        json.dumps({"user_id": "u9", "old_password": "sha1$nope", "created_at": 1704067200}),
    ]) + "\n")
    result = postern("history", "import", str(bad))
    assert result.returncode == 1 and "line 3: unknown hash format" in result.stderr, result.stderr
    with WireClient(history.socket, pb) as client:
        assert stats(pb, client).entries == 0, "nothing imported from a file with a bad line"
    ok = tmp_path / "ok.jsonl"
    ok.write_text(bad.read_text().replace("sha1$nope", ""))
    result = postern("history", "import", str(ok))
    assert result.returncode == 0 and "imported 1 entry; skipped 1" in result.stdout, result.stdout + result.stderr
    check = subprocess.run([str(bin_dir / "postern"), "history", "check", "alice", "--history-socket", history.socket,
                            "--password-socket", password.socket], input="Import-test file\n", capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 2, check.stdout + check.stderr
    assert "imported from authentik: 1" in postern("history", "stats").stdout
