"""Which settings file is read: --config, then $BGTUI_CONFIG, then the user config folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from bgtui.config import resolve_config_path


def test_the_command_line_wins() -> None:
    chosen = resolve_config_path("cli.yaml", environ={"BGTUI_CONFIG": "/env/bgtui.yaml"})
    assert chosen == Path("cli.yaml")


def test_then_the_environment() -> None:
    assert resolve_config_path(None, environ={"BGTUI_CONFIG": "/env/bgtui.yaml"}) == Path(
        "/env/bgtui.yaml"
    )


def test_then_the_user_config_folder() -> None:
    expected = platformdirs.user_config_path("bgtui") / "bgtui.yaml"
    assert resolve_config_path(None, environ={}) == expected
    assert resolve_config_path("", environ={"BGTUI_CONFIG": ""}) == expected


def test_home_is_expanded() -> None:
    assert resolve_config_path("~/bgtui.yaml", environ={}) == Path.home() / "bgtui.yaml"
