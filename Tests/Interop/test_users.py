"""postern.password.v1.Users over the wire, from the independent Python client: the messages
decode as protoc's own classes say they should, and each error has its status."""
import os

import pytest

from wire_client import WireClient, call_as, varint

OK, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED = 0, 3, 5, 6, 7
BASE = "/postern.password.v1.Users/"


def call(client, method, message, call_id=1):
    client.send(call_id, BASE + method, message.SerializeToString() if hasattr(message, "SerializeToString") else message)
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def parse(cls, answer):
    assert answer.status_code == OK, answer.status_message
    message = cls()
    message.ParseFromString(answer.payload)
    return message


@pytest.fixture
def password(start_daemon):
    return start_daemon("password")


def test_create_get_list_update_disable_delete(pb, password):
    u = pb.users
    with WireClient(password.socket, pb) as client:
        alice = parse(u.User, call(client, "Create", u.CreateUserRequest(
            id="idp-1", username="alice", name="Alice", attributes_json='{"team": "ops"}')))
        assert (alice.id, alice.username, alice.name, alice.is_active) == ("idp-1", "alice", "Alice", True)
        assert alice.type == u.USER_TYPE_INTERNAL
        assert alice.has_usable_password is False
        assert alice.created_unix_ms > 1_700_000_000_000
        svc = parse(u.User, call(client, "Create", u.CreateUserRequest(
            username="ci-bot", type=u.USER_TYPE_SERVICE_ACCOUNT)))
        assert len(svc.id) == 36 and svc.type == u.USER_TYPE_SERVICE_ACCOUNT

        assert parse(u.User, call(client, "Get", u.GetUserRequest(username="alice"))).id == "idp-1"
        assert parse(u.User, call(client, "Get", u.GetUserRequest(id=svc.id))).username == "ci-bot"

        page = parse(u.ListUsersResponse, call(client, "List", u.ListUsersRequest(page_size=1)))
        assert [x.username for x in page.users] == ["alice"] and page.next_page_token
        page = parse(u.ListUsersResponse, call(client, "List", u.ListUsersRequest(page_size=1, page_token=page.next_page_token)))
        assert [x.username for x in page.users] == ["ci-bot"] and page.next_page_token == ""

        renamed = parse(u.User, call(client, "Update", u.UpdateUserRequest(
            id="idp-1", update_mask=["username", "attributes_json"], username="alice2",
            attributes_json='{"team": "dev"}', name="ignored: not in the mask")))
        assert (renamed.username, renamed.name, renamed.attributes_json) == ("alice2", "Alice", '{"team": "dev"}')

        disabled = parse(u.User, call(client, "Disable", u.DisableUserRequest(id="idp-1")))
        assert disabled.is_active is False
        call_ok = call(client, "Delete", u.DeleteUserRequest(id="idp-1"))
        assert call_ok.status_code == OK
        assert call(client, "Get", u.GetUserRequest(id="idp-1")).status_code == NOT_FOUND
        assert call(client, "Delete", u.DeleteUserRequest(id="idp-1")).status_code == NOT_FOUND


def test_each_refusal_has_its_status_and_stores_nothing(pb, password):
    u = pb.users
    with WireClient(password.socket, pb) as client:
        assert call(client, "Create", u.CreateUserRequest(username="bob")).status_code == OK
        dup = call(client, "Create", u.CreateUserRequest(username="bob"))
        assert dup.status_code == ALREADY_EXISTS and "username" in dup.status_message
        for bad, words in [
            (u.CreateUserRequest(username=""), "username is missing"),
            (u.CreateUserRequest(username="x" * 151), "longer than 150"),
            (u.CreateUserRequest(username=" carol"), "white space"),
            (u.CreateUserRequest(username="car\x07ol"), "control character"),
            (u.CreateUserRequest(username="carol", attributes_json="[1]"), "not a JSON object"),
            (u.CreateUserRequest(username="carol", attributes_json="{"), "not a JSON object"),
        ]:
            answer = call(client, "Create", bad)
            assert answer.status_code == INVALID_ARGUMENT, (bad, answer.status_message)
            assert words in answer.status_message
        # A username that is not UTF-8: protobuf's string rule, enforced by the daemon.
        raw = b"\x12" + varint(2) + b"\xff\xfe"
        answer = call(client, "Create", raw)
        assert answer.status_code == INVALID_ARGUMENT and "UTF-8" in answer.status_message
        assert call(client, "Get", u.GetUserRequest()).status_code == INVALID_ARGUMENT
        assert call(client, "Get", u.GetUserRequest(id="a", username="b")).status_code == INVALID_ARGUMENT
        assert call(client, "Update", u.UpdateUserRequest(id="x")).status_code == INVALID_ARGUMENT
        bad_mask = call(client, "Update", u.UpdateUserRequest(id="x", update_mask=["password_hash"]))
        assert bad_mask.status_code == INVALID_ARGUMENT and "password_hash" in bad_mask.status_message
        assert call(client, "List", u.ListUsersRequest(page_token="!!")).status_code == INVALID_ARGUMENT
        assert call(client, "List", u.ListUsersRequest(page_size=1001)).status_code == INVALID_ARGUMENT
        page = parse(u.ListUsersResponse, call(client, "List", u.ListUsersRequest()))
        assert [x.username for x in page.users] == ["bob"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a call as another uid")
def test_users_methods_are_admin_only(pb, start_daemon):
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_SOCKET_MODE": "0666",
        "POSTERN_PASSWORD_ACCESS_VERIFY_USERS": "4242",
        "POSTERN_PASSWORD_ACCESS_ADMIN_USERS": "4244",
    })
    payload = pb.users.CreateUserRequest(username="mallory").SerializeToString().hex()
    code, message = call_as(4242, 4243, daemon.socket, BASE + "Create", bytes.fromhex(payload))
    assert code == PERMISSION_DENIED, message
    assert "admin" in message
    # The admin grant lets the same call in.
    assert call_as(4244, 4243, daemon.socket, BASE + "Create", bytes.fromhex(payload))[0] == OK


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a call as another uid")
def test_a_supplementary_group_is_granted_like_a_primary_one(pb, start_daemon):
    """An IdP usually runs as its own user, with Postern's group added to its groups: the
    kernel's SO_PEERGROUPS list lets it in, and a group it is not in does not."""
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_SOCKET_MODE": "0666",
        "POSTERN_PASSWORD_ACCESS_ADMIN_GROUPS": "4250",
    })

    def create(username, gid, groups=()):
        payload = pb.users.CreateUserRequest(username=username).SerializeToString()
        return call_as(4242, gid, daemon.socket, BASE + "Create", payload, groups=groups)

    assert create("by-primary", 4250)[0] == OK
    assert create("by-supplementary", 4243, groups=[4249, 4250, 4251])[0] == OK
    code, message = create("by-another-group", 4243, groups=[4249, 4251])
    assert code == PERMISSION_DENIED and "groups 4249,4251" in message, message
    assert create("by-no-group", 4243)[0] == PERMISSION_DENIED


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a call as another uid")
def test_a_grant_to_gid_0_is_not_met_by_an_empty_group_list(pb, start_daemon):
    """The supplementary groups are read into zeroed memory, so gid 0 there cannot be told from
    padding: it never counts, and a grant to group 0 lets in only callers whose primary gid is 0."""
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_SOCKET_MODE": "0666",
        "POSTERN_PASSWORD_ACCESS_ADMIN_GROUPS": "0",
    })
    payload = pb.users.CreateUserRequest(username="zero").SerializeToString()
    assert call_as(4242, 4243, daemon.socket, BASE + "Create", payload)[0] == PERMISSION_DENIED
    assert call_as(4242, 4243, daemon.socket, BASE + "Create", payload, groups=[0])[0] == PERMISSION_DENIED
    assert call_as(4242, 0, daemon.socket, BASE + "Create", payload)[0] == OK
