"""Fields decode exactly (docs/wire.md, "Strings, enums and repeated fields"): a string with a
NUL byte or invalid UTF-8, and an enum value the schema does not list, are INVALID_ARGUMENT
naming the field — never cut short or read as another value — and change nothing."""
import sqlite3

import pytest

from wire_client import WireClient, varint

OK, INVALID_ARGUMENT, NOT_FOUND = 0, 3, 5
CREATE_USER, IMPORT_USERS = "/postern.password.v1.Users/Create", "/postern.password.v1.Users/Import"
CREATE_STAGE, UPDATE_STAGE = "/postern.password.v1.Stages/Create", "/postern.password.v1.Stages/Update"
GET_STAGE = "/postern.password.v1.Stages/Get"
SET, AUTH = "/postern.password.v1.Passwords/Set", "/postern.password.v1.Authentication/Authenticate"


def call(client, method, payload, call_id=1):
    client.send(call_id, method, payload if isinstance(payload, bytes) else payload.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def refused(answer, *words):
    assert answer.status_code == INVALID_ARGUMENT, (answer.status_code, answer.status_message)
    for word in words:
        assert word in answer.status_message, answer.status_message


def rows(daemon, sql):
    db = sqlite3.connect(daemon.state_directory / "password.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def length_delimited(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def provision(pb, client):
    s, u = pb.stages, pb.users
    assert call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(
        name="login", backends=[s.BACKEND_INTERNAL]))).status_code == OK
    assert call(client, CREATE_USER, u.CreateUserRequest(id="u1", username="alice")).status_code == OK


def test_a_password_with_a_nul_is_refused_and_no_prefix_of_it_logs_in(pb, start_daemon):
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        answer = call(client, SET, pb.passwords.SetPasswordRequest(user_id="u1", password="a\0b"))
        refused(answer, "postern.password.v1.SetPasswordRequest", "password", "NUL")
        assert "a\0b" not in answer.status_message
        assert rows(daemon, "SELECT password_hash FROM user WHERE id = 'u1'") == [("",)], "no hash was stored"
        for secret in ["a", "a\0b", "a\0anything"]:
            login = call(client, AUTH, pb.auth.AuthenticateRequest(
                stage="login", flow_session="s-" + secret.replace("\0", "0"), username="alice", secret=secret))
            if "\0" in secret:
                refused(login, "secret", "NUL")
            else:
                assert login.status_code == OK
                response = pb.auth.AuthenticateResponse()
                response.ParseFromString(login.payload)
                assert response.outcome == pb.auth.AuthenticateResponse.INVALID


def test_a_username_or_stage_name_with_a_nul_is_refused_and_nothing_is_stored(pb, start_daemon):
    daemon = start_daemon("password")
    s, u = pb.stages, pb.users
    with WireClient(daemon.socket, pb) as client:
        refused(call(client, CREATE_USER, u.CreateUserRequest(id="u9", username="a\0b")), "username", "NUL")
        assert rows(daemon, "SELECT id FROM user") == []
        refused(call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(
            name="a\0b", backends=[s.BACKEND_INTERNAL]))), "postern.password.v1.PasswordStage", "name", "NUL")
        for name in ["a", "a\0b"]:
            assert call(client, GET_STAGE, s.GetStageRequest(name=name)).status_code in (NOT_FOUND, INVALID_ARGUMENT)
        assert call(client, GET_STAGE, s.GetStageRequest(name="a")).status_code == NOT_FOUND


def test_an_unknown_value_in_each_request_enum_field_is_refused(pb, start_daemon):
    daemon = start_daemon("password")
    s, u = pb.stages, pb.users
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        refused(call(client, CREATE_USER, u.CreateUserRequest(id="u7", username="bob", type=7)),
                "type is 7", "postern.password.v1.UserType")
        refused(call(client, IMPORT_USERS, u.ImportUsersRequest(users=[u.ImportedUser(username="carol", type=9)])),
                "type is 9", "postern.password.v1.ImportedUser")
        assert rows(daemon, "SELECT username FROM user ORDER BY username") == [("alice",)]
        refused(call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(
            name="other", backends=[s.BACKEND_INTERNAL, 42]))), "backends[1] is 42", "postern.password.v1.Backend")
        refused(call(client, UPDATE_STAGE, s.UpdateStageRequest(stage=s.PasswordStage(
            name="login", backends=[42]))), "backends[0] is 42")
        stage = s.PasswordStage()
        stage.ParseFromString(call(client, GET_STAGE, s.GetStageRequest(name="login")).payload)
        assert list(stage.backends) == [s.BACKEND_INTERNAL], "the refused update changed nothing"
        assert call(client, GET_STAGE, s.GetStageRequest(name="other")).status_code == NOT_FOUND


def test_invalid_utf8_in_a_nested_message_is_refused(pb, start_daemon):
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        # ImportUsersRequest { users = 1: ImportedUser { username = 2: 0xC3 0x28 } }, by hand:
        # protobuf libraries will not encode invalid UTF-8 in a string field.
        imported = length_delimited(2, b"\xc3\x28")
        refused(call(client, IMPORT_USERS, length_delimited(1, imported)),
                "postern.password.v1.ImportedUser", "username is not valid UTF-8")
        # A stage name the same way, one level down in CreateStageRequest.
        stage = length_delimited(1, b"ok\xff") + length_delimited(2, b"\x01")
        refused(call(client, CREATE_STAGE, length_delimited(1, stage)), "postern.password.v1.PasswordStage", "name")
        assert rows(daemon, "SELECT id FROM user") == []
        assert rows(daemon, "SELECT name FROM password_stage") == []
