"""postern-history at start: its store, and the pepper it cannot start without."""
import base64
import os
import sqlite3

import pytest

from wire_client import WireClient
from secret_files import write_secret


def test_history_starts_only_with_a_pepper_and_opens_its_store(pb, start_daemon, tmp_path):
    missing = {"POSTERN_HISTORY_PEPPER_FILE": str(tmp_path / "none")}
    with pytest.raises(RuntimeError, match=r"needs a pepper and there is none at .*head -c 32 /dev/urandom \| base64"):
        start_daemon("history", env=missing, socket_name="missing.sock")
    (tmp_path / "bad").write_text("too short\n")
    (tmp_path / "bad").chmod(0o600)
    with pytest.raises(RuntimeError, match="is not base64 of 32 bytes"):
        start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(tmp_path / "bad")}, socket_name="bad.sock")
    write_secret(tmp_path / "pepper")
    daemon = start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(tmp_path / "pepper")}, socket_name="ok.sock")
    with WireClient(daemon.socket, pb) as client:
        client.send(1, "/postern.health.v1.Health/Check", b"")
        answer = client.read()
        assert answer.status_code == 0
    db = sqlite3.connect(daemon.state_directory / "history.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    check = db.execute("SELECT value FROM history_setting WHERE key = 'pepper_check'").fetchone()[0]
    assert len(check) == 64
    pepper = (tmp_path / "pepper").read_text().strip()
    dump = "\n".join(db.iterdump())
    assert pepper not in dump and base64.b64decode(pepper).hex() not in dump, "the pepper is not in the database"
    assert "history store open" in daemon.log


def test_a_pepper_others_could_read_keeps_the_daemon_from_starting_and_says_why(start_daemon, tmp_path):
    """Issue 28, finding 7: a 0644 pepper, a symlinked one, one another user owns — refused at start
    with the reason and the command that fixes it; insecure_permissions_ok lets it through. The
    database files are 0600 whatever the umask, and a state directory others may write is warned of."""
    pepper = tmp_path / "pepper"
    write_secret(pepper, mode=0o644)
    with pytest.raises(RuntimeError, match=rf"the history pepper {pepper} has mode 0644: its group or others may read or write it; run chmod 0400 {pepper}"):
        start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(pepper)}, socket_name="loose.sock")
    link = tmp_path / "link"
    pepper.chmod(0o400)
    link.symlink_to(pepper)
    with pytest.raises(RuntimeError, match="is a symbolic link"):
        start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(link)}, socket_name="link.sock")
    if os.geteuid() == 0:
        os.chown(pepper, 4242, 4242)
        with pytest.raises(RuntimeError, match=r"belongs to uid 4242, not to this daemon's user \(uid 0\) or root"):
            start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(pepper)}, socket_name="theirs.sock")
    pepper.chmod(0o644)
    state = tmp_path / "shared-state"
    state.mkdir()
    state.chmod(0o777)
    previous = os.umask(0o002)
    try:
        daemon = start_daemon("history", socket_name="ok.sock", env={
            "POSTERN_HISTORY_PEPPER_FILE": str(pepper), "POSTERN_HISTORY_INSECURE_PERMISSIONS_OK": "true",
            "POSTERN_HISTORY_STATE_DIRECTORY": str(state)})
    finally:
        os.umask(previous)
    assert "state directory writable by others; run chmod 0700 on it" in daemon.log and "mode=0777" in daemon.log
    assert (state / "history.sqlite3").stat().st_mode & 0o777 == 0o600
