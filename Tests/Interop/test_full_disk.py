"""Issue 28, finding 4: the failed-attempt counter fails closed. With the store's disk full, wrong
passwords cannot be counted; they fail, and so does the right one on that flow session until
the failures are written — then it is cancelled as the count says."""
import errno
import os
import subprocess

import pytest

from wire_client import WireClient

OK, UNAVAILABLE = 0, 14
AUTH = "/postern.password.v1.Authentication/Authenticate"
PASSWORD = "Corr3ct horse ✓"


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs of the test's own, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], timeout=30)


def fill(directory):
    """Appends to a file until the disk is full (again: space a failed write gave back is taken
    too); returns its path."""
    filler = directory / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 64, 8, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(descriptor)
    return filler


def login(pb, client, session, secret):
    """(status, outcome) of one Authenticate call."""
    client.send(1, AUTH, pb.auth.AuthenticateRequest(
        stage="login", flow_session=session, secret=secret, username="alice").SerializeToString())
    answer = client.read()
    if answer.status_code != OK:
        return answer.status_code, None
    response = pb.auth.AuthenticateResponse()
    response.ParseFromString(answer.payload)
    return OK, response


def provision(pb, client):
    s, u, p = pb.stages, pb.users, pb.passwords
    for method, message in [
        ("/postern.password.v1.Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="login", backends=[s.BACKEND_INTERNAL], failed_attempts_before_cancel=5))),
        ("/postern.password.v1.Users/Create", u.CreateUserRequest(id="u1", username="alice")),
        ("/postern.password.v1.Passwords/Set", p.SetPasswordRequest(user_id="u1", password=PASSWORD)),
    ]:
        client.send(1, method, message.SerializeToString())
        assert client.read().status_code == OK


def test_uncounted_failures_on_a_full_disk_keep_the_right_password_out(pb, small_disk, start_daemon):
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_STATE_DIRECTORY": str(small_disk / "state")})
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        filler = fill(small_disk)
        # The WAL's space already allocated takes a few writes; counting stops where it ends.
        for warm_up in range(500):
            fill(small_disk)
            if login(pb, client, "warm-up", f"wrong {warm_up}")[0] == UNAVAILABLE:
                break
        else:
            pytest.fail("500 failures were counted on a full disk")
        for guess in range(4):
            fill(small_disk)
            status, _ = login(pb, client, "f", f"wrong {guess}")
            assert status == UNAVAILABLE, "a failure that cannot be counted fails"
        # The right password on that flow session is refused while its failures are unrecorded …
        fill(small_disk)
        assert login(pb, client, "f", PASSWORD)[0] == UNAVAILABLE
        # … but another flow session, with nothing unrecorded, still logs in …
        status, other = login(pb, client, "g", PASSWORD)
        assert status == OK and other.outcome == R.AUTHENTICATED
        # … and the fifth failure cancels the flow, as the limit of five says, counted or not.
        fill(small_disk)
        status, cancelled = login(pb, client, "f", "wrong 5")
        assert status == OK and cancelled.outcome == R.CANCEL, cancelled
        # Two failures on another session, not counted while the disk is full …
        for guess in range(2):
            fill(small_disk)
            assert login(pb, client, "h", f"wrong {guess}")[0] == UNAVAILABLE
        filler.unlink()
        # … are counted with the next one once it has room: three of five.
        status, third = login(pb, client, "h", "wrong 3")
        assert status == OK and (third.outcome, third.attempts_left) == (R.INVALID, 2), third
        status, fine = login(pb, client, "h", PASSWORD)
        assert status == OK and fine.outcome == R.AUTHENTICATED, fine
        status, after = login(pb, client, "h", "wrong again")
        assert status == OK and after.attempts_left == 4
    log = daemon.log
    assert log.count("failed attempts cannot be recorded") == 1, "once per episode, not per call"
    assert log.count("failed attempts recorded again") == 1
    assert log.count("store failed") <= 1
