"""The actor recorded for the operator: flag, settings, environment, then login (and SSH)."""

from __future__ import annotations

import getpass

from bgtui.cli.main import build_parser, with_command
from bgtui.cli.operator_identity import operator_name


def test_the_flag_wins_then_the_settings_then_the_environment() -> None:
    environ = {"BGTUI_OPERATOR": "carol", "SSH_CONNECTION": "10.1.2.3 50000 10.0.0.1 22"}
    assert operator_name("alice", "bob", environ) == "alice"
    assert operator_name(None, "bob", environ) == "bob"
    assert operator_name(None, None, environ) == "carol"
    assert operator_name("  ", "", environ) == "carol"


def test_the_login_carries_the_ssh_client_address() -> None:
    login = getpass.getuser()
    assert operator_name(None, None, {"SSH_CONNECTION": "10.1.2.3 50000 10.0.0.1 22"}) == (
        f"{login}@10.1.2.3"
    )
    assert operator_name(None, None, {}) == login


def test_bgtui_with_only_options_is_the_console() -> None:
    args = build_parser().parse_args(with_command(["--config", "/etc/bgtui/bgtui.yaml"]))
    assert args.command == "run" and args.config == "/etc/bgtui/bgtui.yaml"
    assert with_command(["--help"]) == ["--help"]
    assert with_command(["status"]) == ["status"]
