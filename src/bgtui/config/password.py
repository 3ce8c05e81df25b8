"""The Neo4j password: from a private file or the environment, never from the settings file.

A password file must be a regular file that only its owner can read or write (mode 0600 or
stricter); anything looser is refused, as ssh does with private keys.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from bgtui.config.errors import ConfigError


class PasswordFileError(ConfigError):
    """The configured password file is missing, unreadable, empty or readable by others."""


def read_password_file(path: Path, *, key: str = "neo4j.password_file") -> str:
    """The password in ``path`` without its trailing newline.

    Raises:
        PasswordFileError: the file cannot be used; the message says how to fix it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PasswordFileError(f"{path} does not exist", key=key) from None
    except OSError as exc:
        raise PasswordFileError(f"cannot read {path}: {exc.strerror}", key=key) from None
    if not stat.S_ISREG(info.st_mode):
        raise PasswordFileError(f"{path} is not a regular file", key=key)
    loose = stat.S_IMODE(info.st_mode) & 0o077
    if loose:
        mode = stat.S_IMODE(info.st_mode)
        raise PasswordFileError(
            f"{path} has mode {mode:04o}, so other users can read or change it; "
            f"run: chmod 600 {path}",
            key=key,
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PasswordFileError(f"cannot read {path}: {exc.strerror}", key=key) from None
    password = text.rstrip("\r\n")
    if not password:
        raise PasswordFileError(f"{path} is empty", key=key)
    return password


def password_from_environment(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value of the variable ``name``; None when it is unset or empty."""
    value = (os.environ if environ is None else environ).get(name)
    return value or None
