"""postern-history at start: its store, and the pepper it cannot start without."""
import base64
import os
import sqlite3

import pytest

from wire_client import WireClient


def test_history_starts_only_with_a_pepper_and_opens_its_store(pb, start_daemon, tmp_path):
    missing = {"POSTERN_HISTORY_PEPPER_FILE": str(tmp_path / "none")}
    with pytest.raises(RuntimeError, match=r"needs a pepper and there is none at .*head -c 32 /dev/urandom \| base64"):
        start_daemon("history", env=missing, socket_name="missing.sock")
    (tmp_path / "bad").write_text("too short\n")
    with pytest.raises(RuntimeError, match="is not base64 of 32 bytes"):
        start_daemon("history", env={"POSTERN_HISTORY_PEPPER_FILE": str(tmp_path / "bad")}, socket_name="bad.sock")
    (tmp_path / "pepper").write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
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
