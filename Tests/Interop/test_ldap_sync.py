"""`postern source ldap …` against a real slapd: setting up a source from the command line, and
sync — users imported with their DN, updated after a rename, disabled when gone, a username a
local user has never taken over, and a second run that changes nothing."""
import json
import os

import slapd as fixture
from ldap_api import authenticate, stage
from test_cli_conventions import postern
from wire_client import WireClient


def sync(env, *extra):
    result = postern("source", "ldap", "sync", "corp", "--json", *extra, env=env)
    assert result.returncode == 0, result
    return json.loads(result.stdout)


def users(env):
    result = postern("user", "list", "--json", env=env)
    assert result.returncode == 0, result
    return {u["username"]: u for u in json.loads(result.stdout)["users"]}


def test_the_cli_sets_up_a_source_and_sync_imports_updates_and_disables(pb, start_daemon, new_slapd, tmp_path):
    server = new_slapd()
    for person in ("ada", "grace", "linus"):
        server.add_person(person, f"{person} directory pw", cn=person.title())
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    password_file = tmp_path / "bind-pw"
    password_file.write_text(fixture.SERVICE_PASSWORD + "\n")
    made = postern("source", "ldap", "set", "corp", "--uri", server.ldap_uri, "--bind-dn", fixture.SERVICE_DN,
                   "--bind-password-file", str(password_file), "--search-base", fixture.PEOPLE, "--json", env=env)
    assert made.returncode == 0, made
    shown = json.loads(made.stdout)
    assert shown["uris"] == [server.ldap_uri] and shown["user_dn"] == "record" and shown["counters"]["accepted"] == 0
    assert fixture.SERVICE_PASSWORD not in made.stdout

    # A local user already named "linus" is never taken over by the directory's linus.
    assert postern("user", "add", "linus", env=env).returncode == 0
    dry = sync(env, "--dry-run")
    assert (dry["created"], dry["updated"], dry["unchanged"], dry["deactivated"]) == (2, 0, 0, 0)
    assert len(dry["skipped"]) == 1 and "linus" in dry["skipped"][0] and "did not import" in dry["skipped"][0]
    assert sorted(users(env)) == ["linus"], "a dry run changes nothing"

    first = sync(env)
    assert (first["created"], first["updated"], first["unchanged"], first["deactivated"]) == (2, 0, 0, 0)
    imported = users(env)
    assert imported["ada"]["ldap_dn"] == f"uid=ada,{fixture.PEOPLE}" and imported["ada"]["name"] == "Ada"
    assert imported["linus"]["ldap_dn"] is None
    again = sync(env)
    assert (again["created"], again["updated"], again["unchanged"], again["deactivated"]) == (0, 0, 2, 0), "idempotent"

    # Imported users sign in through the directory with no DN typed by hand; a local user gets
    # one from the command line.
    with WireClient(daemon.socket, pb) as client:
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        assert authenticate(pb, client, "ada", "ada directory pw").source == "corp"
        assert authenticate(pb, client, "linus", "linus directory pw", "s2").outcome == 2
        given = postern("user", "update", "linus", "--ldap-dn", f"uid=linus,{fixture.PEOPLE}", env=env)
        assert given.returncode == 0 and f"uid=linus,{fixture.PEOPLE}" in given.stdout, given
        assert authenticate(pb, client, "linus", "linus directory pw", "s3").source == "corp"
        assert postern("user", "update", "linus", "--ldap-dn", "", env=env).returncode == 0

    # Renamed in the directory (same entryUUID): the same user, renamed; grace removed: disabled.
    server.ldap("ldapmodrdn", "-r", f"uid=ada,{fixture.PEOPLE}", "uid=ada.l")
    server.delete(f"uid=grace,{fixture.PEOPLE}")
    changed = sync(env)
    assert (changed["created"], changed["updated"], changed["unchanged"], changed["deactivated"]) == (0, 1, 0, 1)
    after = users(env)
    assert after["ada.l"]["id"] == imported["ada"]["id"] and after["ada.l"]["ldap_dn"] == f"uid=ada.l,{fixture.PEOPLE}"
    assert after["grace"]["active"] is False and after["linus"]["active"] is True and after["linus"]["ldap_dn"] is None
    assert (sync(env)["unchanged"], sync(env)["deactivated"]) == (1, 0)

    human = postern("source", "ldap", "show", "corp", env=env)
    assert human.returncode == 0 and "2 accepted, 0 refused" in human.stdout, human.stdout
    listed = postern("source", "ldap", "list", env=env)
    assert "corp" in listed.stdout and "1 source" in listed.stdout
    updated = postern("source", "ldap", "update", "corp", "--timeout-ms", "1500", "--json", env=env)
    assert updated.returncode == 0 and json.loads(updated.stdout)["timeout_ms"] == 1500
    assert json.loads(updated.stdout)["search_base"] == fixture.PEOPLE, "update keeps what it is not given"
    zero = postern("source", "ldap", "update", "corp", "--timeout-ms", "0", env=env)
    assert zero.returncode == 64 and "at least 1" in zero.stderr
    gone = postern("source", "ldap", "delete", "corp", "--yes", env=env)
    assert gone.returncode == 0 and "deleted LDAP source corp" in gone.stdout
    assert postern("source", "ldap", "show", "corp", env=env).returncode != 0
    assert "ada.l" in users(env), "deleting a source keeps the users it imported"


def test_sync_needs_a_service_account(start_daemon, slapd):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    assert postern("source", "ldap", "set", "corp", "--uri", slapd.ldap_uri, env=env).returncode == 0
    refused = postern("source", "ldap", "sync", "corp", env=env)
    assert refused.returncode != 0 and "needs bind_dn, bind_password_file and search_base" in refused.stderr
