"""Every statement in the Cypher catalogue passes Neo4j's own parser and semantic analysis.

The parser is ``@neo4j-cypher/language-support`` (the one behind Neo4j's editors), run by
``tools/cypher-lint/lint-statements.mjs``. Each statement is linted with the parameters the
catalogue gives it, so a ``$parameter`` the catalogue forgets to supply is an error too.

Administration commands are linted like any other statement: the library knows them and does
not ask for ``USE system`` (it even rejects ``USE`` on them, as Neo4j routes them itself), so
no special mode is needed for the ``system`` entries.

Both Cypher 5 (the server default, even on 2025.x) and Cypher 25 are checked, so a database
configured with ``DEFAULT LANGUAGE CYPHER 25`` accepts what bgtui sends.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bgtui.graph.cypher import catalogue

LINT_DIR = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint-statements.mjs"
LANGUAGES = ("CYPHER 5", "CYPHER 25")


def _lint(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the Cypher parser check needs it (run make test)")
    if not (LINT_DIR / "node_modules").is_dir():
        pytest.skip(
            "tools/cypher-lint/node_modules is missing; run make test (it runs npm ci there)"
        )
    completed = subprocess.run(
        [node, str(LINT_SCRIPT)],
        input=json.dumps(entries),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, f"cypher lint failed to run: {completed.stderr}"
    results: list[dict[str, Any]] = json.loads(completed.stdout)
    assert [result["name"] for result in results] == [entry["name"] for entry in entries]
    return results


#: Broken statements with a piece of the message the parser must give for each.
BROKEN = [
    # An unquoted dash in a database name: Neo4j's classic mistake (neo4j/neo4j#12366).
    ("CREATE DATABASE acme-20240501 WAIT", {}, "Invalid input '-'"),
    ("UNWIND $rows AS row CREATE (n:`Person`) SET n += row.props RETRN n", {"rows": []}, "RETRN"),
    ("MATCH (n) RETURN m", {}, "not defined"),
    ("MATCH (n:`Person`) WITH n LIMIT $limit RETURN n", {}, "$limit"),
]


@pytest.fixture(scope="module")
def lint_results() -> dict[str, dict[str, Any]]:
    """One run of the lint (Node starts once) over the catalogue and the broken examples."""
    entries = [
        {
            "name": f"{entry.name} ({language})",
            "statement": entry.statement,
            "parameters": entry.parameters,
            "language": language,
        }
        for entry in catalogue()
        for language in LANGUAGES
    ]
    entries += [
        {"name": f"broken {index}", "statement": statement, "parameters": parameters}
        for index, (statement, parameters, _) in enumerate(BROKEN)
    ]
    return {result["name"]: result for result in _lint(entries)}


def test_every_catalogue_statement_parses(lint_results: dict[str, dict[str, Any]]) -> None:
    failures = [
        f"{name}: {error['message']} (line {error['line']}, column {error['column']})"
        for name, result in lint_results.items()
        if not name.startswith("broken ")
        for error in result["errors"]
    ]
    assert not failures, "Neo4j's parser rejects catalogue statements:\n" + "\n".join(failures)


def test_the_whole_catalogue_was_checked(lint_results: dict[str, dict[str, Any]]) -> None:
    checked = [name for name in lint_results if not name.startswith("broken ")]
    assert len(checked) == len(list(catalogue())) * len(LANGUAGES)


@pytest.mark.parametrize(("index", "case"), list(enumerate(BROKEN)))
def test_the_lint_catches_broken_statements(
    lint_results: dict[str, dict[str, Any]], index: int, case: tuple[str, dict[str, Any], str]
) -> None:
    statement, _, expected = case
    messages = [error["message"] for error in lint_results[f"broken {index}"]["errors"]]
    assert messages, f"the lint accepted a broken statement: {statement}"
    assert any(expected in message for message in messages), messages
