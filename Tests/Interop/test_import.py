"""Users/Import over the wire: users brought over with hashes Django, mkpasswd and the argon2
tool made at test time; each one's password then works in Passwords/Change. All or nothing."""
import json
import pathlib
import subprocess
import sys

import pytest

from wire_client import WireClient

OK, INVALID_ARGUMENT, ALREADY_EXISTS = 0, 3, 6
IMPORT, GET = "/postern.password.v1.Users/Import", "/postern.password.v1.Users/Get"
CHANGE = "/postern.password.v1.Passwords/Change"
VECTORS = pathlib.Path(__file__).resolve().parent.parent / "Vectors" / "make_hashes.py"


@pytest.fixture(scope="module")
def vectors():
    out = subprocess.run([sys.executable, str(VECTORS)], capture_output=True, check=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def call(client, method, message, call_id=1):
    client.send(call_id, method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def test_imported_hashes_from_every_tool_verify_through_change(pb, start_daemon, vectors):
    daemon = start_daemon("password")
    u, p = pb.users, pb.passwords
    rows = [u.ImportedUser(id=f"v{i}", username=f"user{i}", password_hash=v["encoded"], password_changed_unix_ms=1_600_000_000_000)
            for i, v in enumerate(vectors)]
    with WireClient(daemon.socket, pb, timeout=120) as client:
        answer = call(client, IMPORT, u.ImportUsersRequest(users=rows))
        assert answer.status_code == OK, answer.status_message
        imported = u.ImportUsersResponse()
        imported.ParseFromString(answer.payload)
        assert imported.imported == len(vectors)
        user = u.User()
        user.ParseFromString(call(client, GET, u.GetUserRequest(id="v0")).payload)
        assert user.has_usable_password and user.password_changed_unix_ms == 1_600_000_000_000
        for i, vector in enumerate(vectors):
            wrong = call(client, CHANGE, p.ChangePasswordRequest(
                user_id=f"v{i}", current_password=vector["password"] + "!", new_password="new password"))
            assert wrong.status_code == 16, vector["family"]
            right = call(client, CHANGE, p.ChangePasswordRequest(
                user_id=f"v{i}", current_password=vector["password"], new_password="new password"))
            assert right.status_code == OK, (vector["tool"], vector["family"], right.status_message)


def test_one_bad_row_refuses_the_whole_batch_naming_every_bad_row(pb, start_daemon):
    daemon = start_daemon("password")
    u = pb.users
    good = "pbkdf2_sha256$1000$abcdefghijklmnopqrstuv$" + "A" * 43 + "="
    with WireClient(daemon.socket, pb) as client:
        assert call(client, IMPORT, u.ImportUsersRequest(users=[u.ImportedUser(id="x", username="taken")])).status_code == OK
        answer = call(client, IMPORT, u.ImportUsersRequest(users=[
            u.ImportedUser(username="fine", password_hash=good),
            u.ImportedUser(username="md5", password_hash="md5$salt$5f4dcc3b5aa765d61d8327deb882cf99"),
            u.ImportedUser(username="fine", password_hash=""),
            u.ImportedUser(username="", password_hash=""),
        ]))
        assert answer.status_code == INVALID_ARGUMENT
        message = answer.status_message
        assert "3 of 4 rows refused, nothing imported" in message, message
        assert "row 2 (md5): password_hash: unknown hash format" in message
        assert "row 3 (fine): username repeats row 1" in message
        assert "row 4 (): username is missing" in message
        assert "5f4dcc3b" not in message, "hashes are not echoed"

        clash = call(client, IMPORT, u.ImportUsersRequest(users=[
            u.ImportedUser(username="new-one"), u.ImportedUser(username="taken")]))
        assert clash.status_code == ALREADY_EXISTS and "row 2 (taken)" in clash.status_message
        for username in ["fine", "new-one"]:
            assert call(client, GET, u.GetUserRequest(username=username)).status_code == 5, "nothing was stored"
