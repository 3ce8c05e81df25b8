"""Types shared by the settings tests."""

from __future__ import annotations

from collections.abc import Callable

from bgtui.config import Settings

LoadText = Callable[..., Settings]
