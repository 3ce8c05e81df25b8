"""The real-Neo4j workflow is well formed and does what the README says it does.

It cannot run here (no Docker); actionlint checked it when it was written, and this test
keeps its shape from drifting: both Enterprise lines, the licence acknowledged, and the
integration suite pointed at the service container.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "real-neo4j.yml"


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_both_enterprise_lines_run_the_integration_suite() -> None:
    job = _workflow()["jobs"]["integration"]
    images = job["strategy"]["matrix"]["image"]
    assert any(image.startswith("neo4j:5.") for image in images)
    assert any(image.startswith("neo4j:2025.") for image in images)
    assert all(image.endswith("-enterprise") for image in images)
    assert job["services"]["neo4j"]["image"] == "${{ matrix.image }}"
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("pytest" in run and "tests/integration" in run for run in runs)


def test_the_licence_is_acknowledged_and_the_tests_aim_at_the_server() -> None:
    job = _workflow()["jobs"]["integration"]
    service_env = job["services"]["neo4j"]["env"]
    assert service_env["NEO4J_ACCEPT_LICENSE_AGREEMENT"] == "eval"
    user, _, password = service_env["NEO4J_AUTH"].partition("/")
    assert job["env"]["BGTUI_TEST_NEO4J_URI"] == "bolt://localhost:7687"
    assert (job["env"]["BGTUI_TEST_NEO4J_USER"], job["env"]["BGTUI_TEST_NEO4J_PASSWORD"]) == (
        user,
        password,
    )
    assert "7687:7687" in job["services"]["neo4j"]["ports"]
