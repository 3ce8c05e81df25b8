"""A fixed picture of five customers, the same every run, for Pilot and snapshot tests.

acme is live with a standby to roll back to; globex waits for approval with a countdown;
initech is loading; umbrella failed validation; hooli is queued behind the health gate.
"""

from __future__ import annotations

from datetime import timedelta

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import DatabaseStatus, Level
from tests.ui.fake_engine import FakeEngine, online

ACME_OLD = "acme/20260101T120000Z"
ACME_LIVE = "acme/20260102T060000Z"
GLOBEX_LIVE = "globex/20260101T180000Z"
GLOBEX_WAITING = "globex/20260102T110000Z"
INITECH_LOADING = "initech/20260102T113000Z"
UMBRELLA_FAILED = "umbrella/20260102T100000Z"
HOOLI_QUEUED = "hooli/20260102T115500Z"


def _split(key: str) -> tuple[str, str]:
    customer, _, timestamp = key.partition("/")
    return customer, timestamp


def build_picture(engine: FakeEngine) -> None:
    """Fill ``engine`` with the scenario (before the app subscribes, as recovery would)."""
    now = engine.clock.now()
    engine.health = engine.health.__class__(
        connected=True,
        address="bolt://localhost:7687",
        server_version="5.26.0",
        edition="enterprise",
        latency_ms=3.2,
        latency_trend_ms=(2.9, 3.1, 4.0, 3.5, 2.8, 3.0, 5.1, 3.3, 3.2),
        heap_used_percent=41.0,
        database_count=7,
        databases=(
            *online(
                "acme-20260101t120000z",
                "acme-20260102t060000z",
                "globex-20260101t180000z",
                "globex-20260102t110000z",
                "system",
                "neo4j",
            ),
            DatabaseStatus("initech-20260102t113000z", "online", "online"),
        ),
        checked_at=now,
    )
    done = dict(started_at=now - timedelta(minutes=30), finished_at=now - timedelta(minutes=28))
    engine.put(*_split(ACME_OLD), SnapshotState.STANDBY, nodes=11_800, relationships=30_100, **done)
    engine.put(*_split(ACME_LIVE), SnapshotState.LIVE, nodes=12_000, relationships=31_000, **done)
    engine.set_live("acme", "acme-20260101t120000z")
    engine.set_live("acme", "acme-20260102t060000z")
    engine.put(*_split(GLOBEX_LIVE), SnapshotState.LIVE, nodes=5_000, relationships=9_000, **done)
    engine.set_live("globex", "globex-20260101t180000z")
    engine.put(
        *_split(GLOBEX_WAITING),
        SnapshotState.AWAITING_APPROVAL,
        nodes=5_200,
        relationships=9_400,
        detail="validated; promotes automatically unless held",
        auto_promote_at=now + timedelta(seconds=42),
        **done,
    )
    engine.put(
        *_split(INITECH_LOADING),
        SnapshotState.LOADING,
        started_at=now - timedelta(seconds=75),
        detail="loading nodes",
    )
    engine.progress(INITECH_LOADING, 4_200, 10_000, 1_234.0)
    engine.put(
        *_split(UMBRELLA_FAILED),
        SnapshotState.FAILED,
        error="validation failed: label Person: snapshot had 1200, database has 1100",
        attempts=3,
        started_at=now - timedelta(minutes=50),
        finished_at=now - timedelta(minutes=48),
    )
    engine.put(
        *_split(HOOLI_QUEUED),
        SnapshotState.QUEUED,
        detail="complete on disk",
    )
    engine.counts = {
        "globex-20260101t180000z": ({"Person": 4_000, "Company": 1_000}, {"WORKS_AT": 9_000}),
        "globex-20260102t110000z": (
            {"Person": 4_150, "Company": 1_000, "Office": 50},
            {"WORKS_AT": 9_300, "LOCATED_IN": 100},
        ),
    }
    engine.record(
        "alias",
        ACME_LIVE,
        "acme",
        "acme: acme-20260101t120000z -> acme-20260102t060000z",
        "bgtui",
        "auto promotion",
    )
    engine.record(
        "transition", UMBRELLA_FAILED, "umbrella", "validating -> failed", "bgtui", "counts differ"
    )


def stream_logs(engine: FakeEngine) -> None:
    """Log lines are live only (never replayed): send them once the console listens."""
    for message in ("reading nodes/Person.csv", "batch 42 of 100 committed"):
        engine.log(INITECH_LOADING, message)
    engine.log(UMBRELLA_FAILED, "label Person: snapshot had 1200, database has 1100", Level.ERROR)
