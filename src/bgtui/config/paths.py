"""Where bgtui's files live: the settings file, and the state folder (history, logs, lock)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "bgtui"
CONFIG_ENV = "BGTUI_CONFIG"
CONFIG_FILE_NAME = "bgtui.yaml"


def resolve_config_path(cli_value: str | None, *, environ: Mapping[str, str] | None = None) -> Path:
    """The settings file to read: ``--config``, else ``$BGTUI_CONFIG``, else the user config dir.

    The file need not exist yet; ``load_settings`` says so in operator words if it does not.
    """
    env = os.environ if environ is None else environ
    chosen = cli_value or env.get(CONFIG_ENV) or None
    if chosen:
        return Path(chosen).expanduser()
    return default_config_path()


def default_config_path() -> Path:
    """``bgtui.yaml`` in the platform's user config folder (``~/.config/bgtui`` on Linux)."""
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE_NAME


def default_state_dir() -> Path:
    """The platform's user state folder (``~/.local/state/bgtui`` on Linux)."""
    return platformdirs.user_state_path(APP_NAME)
