"""blueprints.directory (docs/blueprints.md "At start"): postern-password and postern-policy
apply the blueprints of a directory when they start — a fresh installation comes up with the
default flows, a restart changes nothing — and a directory with a broken file keeps them from
starting, every problem named."""
import json
import pathlib
import shutil

import pytest

from test_cli_conventions import postern

SHIPPED = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "blueprints"


def start(start_daemon, directory, suffix=""):
    history = start_daemon("history", socket_name=f"history{suffix}.sock")
    password = start_daemon("password", socket_name=f"password{suffix}.sock", env={
        "POSTERN_PASSWORD_HISTORY_SOCKET": history.socket, "POSTERN_PASSWORD_BLUEPRINTS_DIRECTORY": str(directory)})
    policy = start_daemon("policy", socket_name=f"policy{suffix}.sock", env={
        "POSTERN_POLICY_HISTORY_SOCKET": history.socket, "POSTERN_POLICY_PASSWORD_SOCKET": password.socket,
        "POSTERN_POLICY_BLUEPRINTS_DIRECTORY": str(directory)})
    return password, policy, {"POSTERN_PASSWORD_SOCKET": password.socket, "POSTERN_POLICY_SOCKET": policy.socket}


def test_a_fresh_installation_comes_up_with_the_default_flows(start_daemon, tmp_path):
    directory = tmp_path / "blueprints"
    directory.mkdir()
    for blueprint in SHIPPED.glob("*.yaml"):
        shutil.copy(blueprint, directory)
    password, policy, env = start(start_daemon, directory)
    stage = json.loads(postern("stage", "show", "default-authentication-password", "--json", env=env).stdout)
    assert stage["configuration_flow"] == "default-password-change"
    assert postern("flow", "show", "default-password-change", env=env).returncode == 0
    assert "blueprint_applied" in policy.log and "blueprint_applied" in password.log
    diff = postern("blueprint", "diff", *map(str, sorted(directory.glob("*.yaml"))), "--json", env=env)
    assert {r["outcome"] for r in json.loads(diff.stdout)["results"]} == {"unchanged"}, "the directory is the state"


def test_a_broken_blueprint_keeps_the_daemons_from_starting(start_daemon, tmp_path):
    directory = tmp_path / "blueprints"
    directory.mkdir()
    (directory / "10-flow.yaml").write_text(
        "version: 1\nmetadata: {name: broken}\nentries:\n"
        "  - {model: postern.flow, identifiers: {slug: x}, attrs: {designation: nope}}\n"
        "  - {model: postern.password_stage, identifiers: {name: s}, attrs: {backends: [internal, kerberos]}}\n")
    with pytest.raises(RuntimeError) as refused:
        start_daemon("policy", socket_name="broken-policy.sock",
                     env={"POSTERN_POLICY_BLUEPRINTS_DIRECTORY": str(directory)})
    message = str(refused.value)
    assert "have problems" in message and f"{directory}/10-flow.yaml:4:" in message and "designation is nope" in message
    (directory / "10-flow.yaml").write_text(
        "version: 1\nmetadata: {name: refused}\nentries:\n"
        "  - {model: postern.password_stage, identifiers: {name: s}, attrs: {backends: [kerberos, kerberos]}}\n")
    with pytest.raises(RuntimeError) as refused:
        start_daemon("password", socket_name="broken-password.sock",
                     env={"POSTERN_PASSWORD_BLUEPRINTS_DIRECTORY": str(directory)})
    message = str(refused.value)
    assert "were refused, nothing applied" in message and f"{directory}/10-flow.yaml:4:5: " in message
    assert "backends names one backend twice" in message
