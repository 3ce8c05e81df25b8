"""Test helpers live in ``tests/helpers``: no test imports another folder's ``conftest.py``.

A conftest is pytest's place for fixtures; a helper imported from one ties two folders together
invisibly, and moving either breaks the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _conftest_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        found += [
            f"{path.relative_to(TESTS)}:{node.lineno}"
            for name in names
            if "conftest" in name.split(".")
        ]
    return found


def test_no_test_imports_a_conftest() -> None:
    offenders = [hit for path in sorted(TESTS.rglob("*.py")) for hit in _conftest_imports(path)]
    assert offenders == []
