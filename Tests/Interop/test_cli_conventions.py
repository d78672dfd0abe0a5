"""`postern` as an operator meets it (docs/cli.md): exit statuses, a deadline on every call, and
connection failures in plain words with the fix."""
import os
import pathlib
import socket
import subprocess
import threading
import time
import warnings

import pytest

BIN = pathlib.Path(os.environ.get("POSTERN_BIN_DIR") or pathlib.Path(__file__).resolve().parents[2] / ".build" / "release")
NO_SOCKETS = {k: v for k, v in os.environ.items() if not k.startswith("POSTERN_")}


def postern(*args, env=None, input=None, timeout=30):
    return subprocess.run([str(BIN / "postern"), *args], env={**NO_SOCKETS, **(env or {})}, input=input,
                          capture_output=True, text=True, timeout=timeout)


def test_nothing_listening_is_69_and_says_how_to_point_at_the_daemon(tmp_path):
    result = postern("user", "list", "--password-socket", str(tmp_path / "none.sock"))
    assert result.returncode == 69, result
    assert f"postern-password is not running at {tmp_path / 'none.sock'}" in result.stderr
    assert "POSTERN_PASSWORD_SOCKET or --password-socket" in result.stderr
    assert "errno" not in result.stderr and "NIO" not in result.stderr, "no library-internal text"
    # The variable is honoured, and named in the message too.
    result = postern("history", "stats", env={"POSTERN_HISTORY_SOCKET": str(tmp_path / "h.sock")})
    assert result.returncode == 69 and f"postern-history is not running at {tmp_path / 'h.sock'}" in result.stderr


def test_a_daemon_that_accepts_and_never_answers_gives_69_within_the_deadline(tmp_path):
    path = str(tmp_path / "silent.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        for command in (["user", "list"], ["stage", "list"], ["app-password", "list", "--user", "alice"]):
            started = time.monotonic()
            result = postern(*command, "--password-socket", path, "--timeout", "0.5")
            assert result.returncode == 69, (command, result)
            assert f"postern-password at {path} did not answer within 0.5 s" in result.stderr, result.stderr
            assert time.monotonic() - started < 5
        result = postern("history", "retention", "--history-socket", path, "--timeout", "0.5")
        assert result.returncode == 69 and "postern-history at" in result.stderr
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def test_the_wrong_daemons_socket_is_named_as_such(start_daemon):
    history = start_daemon("history")
    result = postern("user", "list", "--password-socket", history.socket)
    assert result.returncode == 69, result
    assert f"{history.socket} is served by postern-history, not postern-password" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="running postern as another uid needs root (setpriv)")
def test_a_socket_this_user_may_not_open_is_77_with_the_group_to_join(start_daemon):
    daemon = start_daemon("password")
    os.chmod(daemon.socket, 0o600)
    result = subprocess.run(
        ["setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", str(BIN / "postern"), "user", "list",
         "--password-socket", daemon.socket], env=NO_SOCKETS, capture_output=True, text=True, timeout=30)
    assert result.returncode == 77, result
    assert f"permission denied on {daemon.socket}" in result.stderr and "group" in result.stderr
    os.chmod(daemon.socket, 0o666)
    refused = subprocess.run(
        ["setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", str(BIN / "postern"), "user", "list",
         "--password-socket", daemon.socket], env=NO_SOCKETS, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 77 and "PERMISSION_DENIED" in refused.stderr, refused


def test_usage_errors_are_64_and_each_command_takes_only_its_daemons_sockets():
    assert postern("user", "list", "--history-socket", "/tmp/x").returncode == 64
    assert postern("history", "stats", "--policy-socket", "/tmp/x").returncode == 64
    assert postern("history", "stats", "--password-socket", "/tmp/x").returncode == 64, "stats needs no postern-password"
    assert postern("user", "list", "--timeout", "0").returncode == 64
    help_text = postern("user", "list", "--help").stdout
    assert "--password-socket" in help_text and "--history-socket" not in help_text
    top = postern("--help").stdout
    assert "69 daemon not running" in top and "77 permission denied" in top


def test_auth_answers_2_when_refused_and_3_when_cancelled(start_daemon):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    assert postern("stage", "set", "login", "--failed-attempts-before-cancel", "2", env=env).returncode == 0
    assert postern("user", "add", "alice", env=env).returncode == 0
    assert postern("password", "set", "alice", env=env, input="right one\n").returncode == 0
    auth = ["auth", "--stage", "login", "--user", "alice", "--flow-session", "f"]
    assert postern(*auth, env=env, input="wrong\n").returncode == 2
    assert postern(*auth, env=env, input="wrong\n").returncode == 3
    assert postern(*auth, env=env, input="right one\n").returncode == 0
    refused = postern("stage", "show", "nope", env=env)
    assert refused.returncode == 1 and "NOT_FOUND" in refused.stderr


def test_user_import_reports_every_bad_line_at_once_and_imports_nothing(start_daemon, tmp_path):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    bad = tmp_path / "users.jsonl"
    bad.write_text("\n".join([
        '{"username": "fine"}',
        '{"username": "typo", "pasword_hash": "pbkdf2_sha256$1$a$b"}',
        '{"username": "yes", "inactive": "yes"}',
        '# a comment, skipped',
        '{"username": "robot", "type": "robot"}',
        '{"username": "when", "password_changed": "yesterday"}',
        '{"username": "bot", "type": "service_account", "password_hash": "pbkdf2_sha256$1000$salt$aGFzaA=="}',
        '[1, 2]',
        '{"id": "no-name"}',
    ]) + "\n")
    result = postern("user", "import", str(bad), env=env)
    assert result.returncode == 1, result
    for expected in [
        'line 2: unknown key "pasword_hash"',
        'line 3: "inactive" must be true or false, not a string',
        'line 5: "type" must be "internal" or "service_account", not "robot"',
        'line 6: "password_changed" must be Unix seconds (a number), not a string',
        'line 7: "password_hash" is not taken by a service account',
        "line 8: not a JSON object",
        'line 9: no "username"',
    ]:
        assert expected in result.stderr, (expected, result.stderr)
    assert f"{bad}: 7 problems, nothing imported" in result.stderr, result.stderr
    assert postern("user", "list", env=env).stdout.count("fine") == 0, "nothing imported"
    # The daemon's own refusals name the file's lines too (its rows counted from 1).
    dup = tmp_path / "dup.jsonl"
    dup.write_text('# header\n{"username": "a"}\n\n{"username": "a"}\n')
    result = postern("user", "import", str(dup), env=env)
    assert result.returncode == 1 and "line 4 (a): username repeats line 2" in result.stderr, result.stderr


def test_a_shadow_import_says_what_it_skipped_and_refuses_what_is_not_shadow(start_daemon, tmp_path):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    shadow = tmp_path / "shadow"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt  # the standard library's until 3.13; what makes /etc/shadow's hashes
    hashed = crypt.crypt("shadow pw", "$6$saltsalt$")
    shadow.write_text(f"root:{hashed}:19700:0:99999:7:::\n"
                      "daemon:*:19700:0:99999:7:::\nlocked:!$6$x$y:19700:0:99999:7:::\nnopw::19700:0:99999:7:::\n")
    result = postern("user", "import", "--shadow", str(shadow), env=env)
    assert result.returncode == 0, result
    assert "imported 1 user; skipped 1 locked (!), 1 without a password (*), 1 with an empty password field" in result.stdout
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    result = postern("user", "import", "--shadow", str(passwd), env=env)
    assert result.returncode == 64 and "is not in /etc/shadow's format" in result.stderr, result


def test_destructive_commands_need_yes_without_a_terminal(start_daemon):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    assert postern("user", "add", "alice", env=env).returncode == 0
    assert postern("stage", "set", "login", env=env).returncode == 0
    for command in (["user", "delete", "alice"], ["stage", "delete", "login"], ["app-password", "revoke", "some-id"]):
        result = postern(*command, env=env)
        assert result.returncode == 64 and "without confirmation: add --yes" in result.stderr, (command, result)
    assert "alice" in postern("user", "list", env=env).stdout, "nothing deleted"
    assert postern("user", "delete", "alice", "--yes", env=env).returncode == 0
    assert postern("stage", "set", "login", "--failed-attempts-before-cancel", "0", env=env).returncode == 64


def test_json_output_has_the_documented_shapes_and_the_lifecycle_gaps_are_closed(start_daemon, tmp_path):
    import json
    history = start_daemon("history")
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket,
                                              "POSTERN_PASSWORD_APP_PASSWORDS_KEY_FILE": str(tmp_path / "key")})
    env = {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_HISTORY_SOCKET": history.socket}

    def run_json(*args, input=None):
        result = postern(*args, "--json", env=env, input=input)
        assert result.returncode == 0, (args, result)
        return json.loads(result.stdout)

    bob = run_json("user", "add", "bob", "--name", "Bob", "--attributes", '{"team": "ops", "fooBar": 1}')
    # A user imported with a whole number past a double's precision keeps it exactly.
    big = tmp_path / "big.jsonl"
    big.write_text('{"username": "big", "attributes": {"n": 9007199254740993, "x": 0.5}}\n')
    assert postern("user", "import", str(big), env=env).returncode == 0
    assert '"n":9007199254740993' in postern("user", "show", "big", env=env).stdout.replace(" ", "")
    assert postern("user", "delete", "big", "--yes", env=env).returncode == 0
    assert sorted(bob) == ["active", "attributes", "created", "has_password", "id", "kerberos_principal", "ldap_dn",
                           "name", "password_changed", "password_must_change", "type", "updated", "username"]
    assert bob["password_must_change"] is False
    assert (bob["username"], bob["name"], bob["type"], bob["active"], bob["has_password"]) == ("bob", "Bob", "internal", True, False)
    assert bob["attributes"] == {"team": "ops", "fooBar": 1}, "attributes are JSON, keys as stored"
    assert bob["password_changed"] is None and bob["ldap_dn"] is None
    # user update changes only what is given; enable undoes disable.
    renamed = run_json("user", "update", "bob", "--new-username", "robert")
    assert (renamed["id"], renamed["username"], renamed["name"]) == (bob["id"], "robert", "Bob")
    assert run_json("user", "disable", "robert")["active"] is False
    assert run_json("user", "enable", "robert")["active"] is True
    assert [u["username"] for u in run_json("user", "list")["users"]] == ["robert"]
    # stage update keeps what it is not told to change (stage set replaces the whole stage).
    run_json("stage", "set", "login", "--backends", "app_password,internal", "--failed-attempts-before-cancel", "7")
    updated = run_json("stage", "update", "login", "--failed-attempts-before-cancel", "3")
    assert updated == {"name": "login", "backends": ["app_password", "internal"], "failed_attempts_before_cancel": 3,
                       "allow_show_password": False, "configuration_flow": ""}
    assert run_json("stage", "list")["stages"] == [updated]
    assert postern("stage", "update", "login", env=env).returncode == 64, "nothing to change is a usage error"
    # Authenticate, history, health.
    assert postern("password", "set", "robert", env=env, input="robert's secret\n").returncode == 0
    auth = postern("auth", "--stage", "login", "--user", "robert", "--flow-session", "j", "--json", env=env, input="nope\n")
    assert auth.returncode == 2 and json.loads(auth.stdout) == {
        "outcome": "invalid", "user_id": None, "username": None, "backend": None, "method": None,
        "message": "Invalid password", "attempts_left": 2, "flow_session": "j", "must_change": False}
    ok = run_json("auth", "--stage", "login", "--user", "robert", input="robert's secret\n")
    assert (ok["outcome"], ok["username"], ok["backend"], ok["method"]) == ("authenticated", "robert", "internal", "password")
    assert run_json("history", "retention")["retention"] == 0
    stats = run_json("history", "stats")
    assert sorted(stats) == ["database_bytes", "entries", "entries_other_pepper", "legacy_entries", "parameter_sets",
                             "pending", "retention", "users"]
    health = postern("health", "--json", env={**env, "POSTERN_POLICY_SOCKET": str(tmp_path / "none.sock")})
    assert health.returncode == 1
    daemons = {d["daemon"]: d for d in json.loads(health.stdout)["daemons"]}
    assert daemons["postern-password"]["serving"] is True and daemons["postern-password"]["status"] == "SERVING"
    assert daemons["postern-policy"]["serving"] is False and daemons["postern-policy"]["status"] == "UNAVAILABLE"


def test_on_a_terminal_a_destructive_command_asks_and_only_yes_goes_ahead(start_daemon):
    """`script` gives postern a terminal; the answer comes on it."""
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    assert postern("user", "add", "carol", env=env).returncode == 0
    command = f"{BIN / 'postern'} user delete carol"
    declined = subprocess.run(["script", "-qec", command, "/dev/null"], input="n\n", env={**NO_SOCKETS, **env},
                              capture_output=True, text=True, timeout=30)
    assert declined.returncode == 1 and "Delete user carol? [y/N]" in declined.stdout, declined
    assert "not confirmed; nothing changed" in declined.stdout
    assert "carol" in postern("user", "list", env=env).stdout
    accepted = subprocess.run(["script", "-qec", command, "/dev/null"], input="yes\n", env={**NO_SOCKETS, **env},
                              capture_output=True, text=True, timeout=30)
    assert accepted.returncode == 0 and "deleted carol" in accepted.stdout, accepted
    assert "carol" not in postern("user", "list", env=env).stdout
    assert postern("history", "check", "carol", "--count", "0", env=env).returncode == 64
    assert "default: cli-" not in postern("auth", "--help").stdout, "no random default in the help"
