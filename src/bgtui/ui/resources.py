"""Find the console's stylesheets: in the installed package data, else in the repository.

A wheel carries ``styles/`` as ``bgtui/_data/styles``; an editable install or a checkout
reads the repository's ``styles/`` folder directly.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # src/bgtui (or site-packages/bgtui)
_SEARCH_PATH = (
    _PACKAGE_ROOT / "_data" / "styles",
    _PACKAGE_ROOT.parent.parent / "styles",  # the repository root, from src/bgtui
)

STYLESHEETS = ("bgtui.tcss", "projector.tcss")
"""Every stylesheet the console loads; the projector rules only apply under ``.-projector``."""


class StylesheetMissing(FileNotFoundError):
    """The console's stylesheet is not installed; the message says where it looked."""


def stylesheet_path(name: str) -> Path:
    """The first ``name`` found in the package data, then in the repository's ``styles/``."""
    for folder in _SEARCH_PATH:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    places = ", ".join(str(folder) for folder in _SEARCH_PATH)
    raise StylesheetMissing(f"bgtui stylesheet {name!r} not found (looked in {places})")


def console_stylesheets() -> list[Path]:
    return [stylesheet_path(name) for name in STYLESHEETS]
