"""Issue 28, finding 1: the socket's mode and group are set where nobody else can reach, and a
socket directory another user could write to is refused."""
import os
import stat
import threading

import pytest

from wire_client import assert_serving


def swap_in_symlinks(path, target, stop):
    """An attacker with write access to the socket's directory: keeps replacing whatever is at
    `path` with a symlink to `target`."""
    spare = path + ".attacker"
    while not stop.is_set():
        try:
            os.symlink(target, spare)
            os.rename(spare, path)
        except OSError:
            pass


@pytest.mark.skipif(os.geteuid() != 0, reason="the daemon must run as root for the attack to matter")
def test_a_socket_directory_others_can_write_is_refused_and_no_file_is_ever_opened_up(start_daemon, tmp_path):
    """Old behaviour: bind, then chmod the path — which a symlink swapped in between followed,
    making a root-only file 0666 in 28 of 50 starts. Now such a directory is refused outright and,
    whatever the attacker does, the target keeps its mode."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    target = tmp_path / "root-only"
    target.write_text("secret\n")
    target.chmod(0o600)
    stop = threading.Event()
    attacker = threading.Thread(target=swap_in_symlinks, args=(str(shared / "p.sock"), str(target), stop))
    attacker.start()
    try:
        for _ in range(50):
            with pytest.raises(RuntimeError, match=r"has mode 0777: other users could replace the socket; run chmod go-w"):
                start_daemon("policy", socket_name=str(shared / "p.sock"), env={"POSTERN_POLICY_SOCKET_MODE": "0666"})
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        stop.set()
        attacker.join()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_socket_directory_another_user_owns_is_refused(start_daemon, tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, 4242, 4242)
    with pytest.raises(RuntimeError, match=r"belongs to uid 4242, who could replace the socket"):
        start_daemon("policy", socket_name=str(theirs / "p.sock"))


def test_in_a_sticky_directory_the_socket_appears_with_its_mode_and_nothing_else_is_left(pb, start_daemon, tmp_path):
    """A sticky directory of ours (like /run or /tmp for root) is fine: nobody else can rename or
    remove the daemon's socket there. The socket is bound in a private directory and linked into
    place already 0640; the private directory is gone once it serves."""
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    sticky.chmod(0o1777)
    daemon = start_daemon("policy", socket_name=str(sticky / "p.sock"), env={"POSTERN_POLICY_SOCKET_MODE": "0640"})
    assert_serving(daemon.socket, pb)
    mode = os.stat(daemon.socket).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o640
    assert sorted(os.listdir(sticky)) == ["p.sock"], "the private bind directory is removed"
    daemon.process.terminate()
    assert daemon.process.wait(timeout=20) == 0
    assert os.listdir(sticky) == [], "the socket is removed on stop"
