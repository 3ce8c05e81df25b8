"""Write a settings file into a temporary folder and load it, as the CLI would."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bgtui.config import Settings, load_settings
from tests.helpers.config import LoadText


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    return folder


@pytest.fixture
def load_text(config_dir: Path) -> LoadText:
    """Load ``text`` (dedented) from ``<tmp>/config/bgtui.yaml``; no password in the env."""

    def load(
        text: str, environ: dict[str, str] | None = None, name: str = "bgtui.yaml"
    ) -> Settings:
        path = config_dir / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return load_settings(path, environ=environ or {})

    return load
