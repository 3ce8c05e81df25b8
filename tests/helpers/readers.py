"""Types shared by the reader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

WriteFile = Callable[..., Path]
