"""Is a freshly loaded database fit to go live? Counts, operator checks, and status."""

from __future__ import annotations

from bgtui.domain.policy import check_expectation
from bgtui.engine.ports import GraphPort, LoadReport
from bgtui.engine.rules import count_mismatches
from bgtui.engine.settings import EngineSettings


def validate_load(
    graph: GraphPort, settings: EngineSettings, database: str, report: LoadReport
) -> list[str]:
    """Every reason ``database`` must not be promoted; an empty list means it may.

    Blocking (driver calls): run it in a worker thread. The expected counts are what the
    snapshot held minus the rows the loader reported as skipped.
    """
    problems: list[str] = []
    statuses = {db.name: db.current_status for db in graph.list_databases()}
    status = statuses.get(database)
    if status != "online":
        problems.append(f"database {database} is {status or 'missing'}, not online")
        return problems
    if settings.counts_must_match:
        labels, types = graph.counts(database)
        problems += count_mismatches("label", report.nodes_by_label, labels)
        problems += count_mismatches("type", report.relationships_by_type, types)
    for check in settings.checks:
        value = graph.run_check(database, check.query)
        try:
            passed = check_expectation(value, check.expect)
        except ValueError as exc:
            problems.append(f"check {check.name!r}: {exc}")
            continue
        if not passed:
            problems.append(f"check {check.name!r}: got {value!r}, expected {check.expect}")
    return problems
