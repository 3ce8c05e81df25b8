"""The engine with every real part: files on disk, the watcher, the driver over TCP, SQLite.

Against the sandbox by default; against a real Neo4j when BGTUI_TEST_NEO4J_URI is set (each
test uses its own customer names and drops what it created).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest

from bgtui.config.settings import ReadinessSettings, Settings, SnapshotSettings
from bgtui.domain.policy import PromotionPolicy, ValidationCheck
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.controller import Controller
from bgtui.engine.ports import LoadOptions
from bgtui.engine.settings import EngineSettings
from bgtui.graph.client import Neo4jGraph
from bgtui.readers import ImportOptions
from bgtui.sandbox.demo_data import SnapshotSize, write_snapshot
from bgtui.store.history import HistoryStore
from bgtui.watch import SnapshotWatcher
from tests.helpers.neo4j_target import Neo4jTarget

pytestmark = pytest.mark.integration
TINY = SnapshotSize.named("tiny")


@dataclass
class Rig:
    """A controller wired to real parts, and what a test needs to look at them."""

    base: Path
    state: Path
    target: Neo4jTarget
    customer: str
    controller: Controller
    store: HistoryStore

    def state_of(self, timestamp: int) -> S | None:
        tracked = self.controller.snapshots.get(f"{self.customer}/{timestamp}")
        return tracked.state if tracked else None

    async def wait_for(self, timestamp: int, state: S, timeout: float = 20.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.state_of(timestamp) is not state:
            if asyncio.get_running_loop().time() > deadline:
                tracked = self.controller.snapshots.get(f"{self.customer}/{timestamp}")
                detail = (tracked.detail, tracked.error) if tracked else None
                raise AssertionError(
                    f"{timestamp} is {self.state_of(timestamp)}, not {state}: {detail}"
                )
            await asyncio.sleep(0.05)


def engine_settings(base: Path, uri: str, **overrides: object) -> EngineSettings:
    values: dict[str, object] = {
        "base_path": str(base),
        "neo4j_address": uri,
        "load": LoadOptions(batch_size=25),
        "reader_options": ImportOptions(),
        "retry_backoff_seconds": 0.2,
        "health_interval_seconds": 0.5,
        "gate_recheck_seconds": 0.5,
        "default_policy": PromotionPolicy("auto", 60.0, 1),
        "checks": (
            ValidationCheck("has accounts", "MATCH (n:`Account`) RETURN count(n) AS count", ">= 1"),
        ),
    }
    values.update(overrides)
    return EngineSettings(**values)  # type: ignore[arg-type]


def watcher_factory(base: Path) -> Callable[[Callable[[object], None]], SnapshotWatcher]:
    settings = Settings(
        snapshots=SnapshotSettings(
            base_path=base,
            watch="auto",
            poll_interval=0.2,
            debounce=0.1,
            readiness=ReadinessSettings(settle=600.0),
        ),
        state_dir=base.parent / "state",
        status_json=base.parent / "state" / "status.json",
    )
    return lambda on_discovery: SnapshotWatcher(base, settings, on_discovery)


@pytest.fixture
def customer() -> str:
    return "e2e" + secrets.token_hex(3)


@pytest.fixture
def cleanup(neo4j_target: Neo4jTarget, customer: str) -> Iterator[None]:
    """Drop the aliases and databases a test created (matters against a real Neo4j)."""
    yield
    with neo4j.GraphDatabase.driver(neo4j_target.uri, auth=neo4j_target.auth) as driver:
        aliases, _, _ = driver.execute_query(
            "SHOW ALIASES FOR DATABASE YIELD name", database_="system"
        )
        for record in aliases:
            if record["name"].startswith(customer):
                driver.execute_query(
                    "DROP ALIAS $a FOR DATABASE", a=record["name"], database_="system"
                )
        databases, _, _ = driver.execute_query("SHOW DATABASES YIELD name", database_="system")
        for record in databases:
            if record["name"].startswith(customer):
                driver.execute_query(
                    "DROP DATABASE $n IF EXISTS", n=record["name"], database_="system"
                )


def build(tmp_path: Path, target: Neo4jTarget, customer: str, **overrides: object) -> Rig:
    base, state = tmp_path / "snapshots", tmp_path / "state"
    base.mkdir(exist_ok=True)
    state.mkdir(exist_ok=True)
    store = HistoryStore(state / "history.sqlite3", base_path=base)
    graph = Neo4jGraph(target.uri, target.user, target.password)
    controller = Controller(
        engine_settings(base, target.uri, **overrides),
        graph,
        store,
        watcher_factory=watcher_factory(base),
    )
    return Rig(base, state, target, customer, controller, store)


@pytest.fixture
async def rig(
    tmp_path: Path, neo4j_target: Neo4jTarget, customer: str, cleanup: None
) -> AsyncIterator[Rig]:
    built = build(tmp_path, neo4j_target, customer)
    await built.controller.start()
    yield built
    await built.controller.stop()
    built.store.close()


def alias_target(target: Neo4jTarget, alias: str) -> str | None:
    with neo4j.GraphDatabase.driver(target.uri, auth=target.auth) as driver:
        records, _, _ = driver.execute_query(
            "SHOW ALIASES FOR DATABASE YIELD name, database", database_="system"
        )
    return next((r["database"] for r in records if r["name"] == alias), None)


def count_people(target: Neo4jTarget, alias: str) -> int:
    with neo4j.GraphDatabase.driver(target.uri, auth=target.auth) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n:`Person`) RETURN count(n) AS count", database_=alias
        )
    return int(records[0]["count"])


async def test_a_snapshot_dropped_on_disk_goes_live_through_its_alias(rig: Rig) -> None:
    write_snapshot(rig.base, rig.customer, 1714564800, TINY)
    await rig.wait_for(1714564800, S.LIVE)
    assert alias_target(rig.target, rig.customer) == f"{rig.customer}-1714564800"
    assert count_people(rig.target, rig.customer) >= TINY.people
    states = [t.to_state for t in rig.store.transitions(f"{rig.customer}/1714564800")]
    assert states == [S.SEEN, S.QUEUED, S.LOADING, S.VALIDATING, S.PROMOTING, S.LIVE]


async def test_blue_green_switch_rollback_and_retention(rig: Rig) -> None:
    first, second, third = 1714564800, 1714568400, 1714572000
    write_snapshot(rig.base, rig.customer, first, TINY)
    await rig.wait_for(first, S.LIVE)
    write_snapshot(rig.base, rig.customer, second, TINY)
    await rig.wait_for(second, S.LIVE)
    assert alias_target(rig.target, rig.customer) == f"{rig.customer}-{second}"
    await rig.controller.refresh_health()
    await rig.controller.rollback(rig.customer, "tester", "bad numbers")
    assert alias_target(rig.target, rig.customer) == f"{rig.customer}-{first}"
    assert rig.state_of(second) is S.ROLLED_BACK
    # A rollback holds the customer: the next snapshot waits for a person...
    write_snapshot(rig.base, rig.customer, third, TINY)
    await rig.wait_for(third, S.AWAITING_APPROVAL)
    assert alias_target(rig.target, rig.customer) == f"{rig.customer}-{first}"
    # ...who may approve it (or release the customer for the next ones).
    await rig.controller.approve(f"{rig.customer}/{third}", "tester", "fixed upstream")
    await rig.wait_for(third, S.LIVE)
    # keep_previous=1: first (live before third, so the rollback target) stays; second goes
    await rig.wait_for(second, S.RETIRED)
    assert rig.state_of(first) is S.STANDBY
    with neo4j.GraphDatabase.driver(rig.target.uri, auth=rig.target.auth) as driver:
        names = {
            r["name"]
            for r in driver.execute_query("SHOW DATABASES YIELD name", database_="system").records
        }
    assert f"{rig.customer}-{second}" not in names
    assert {f"{rig.customer}-{first}", f"{rig.customer}-{third}"} <= names


async def test_a_snapshot_failing_validation_never_moves_the_alias(rig: Rig) -> None:
    write_snapshot(rig.base, rig.customer, 1714564800, TINY)
    await rig.wait_for(1714564800, S.LIVE)
    write_snapshot(rig.base, rig.customer, 1714568400, TINY, without_accounts=True)
    await rig.wait_for(1714568400, S.FAILED)
    assert alias_target(rig.target, rig.customer) == f"{rig.customer}-1714564800"
    tracked = rig.controller.snapshots[f"{rig.customer}/1714568400"]
    assert "has accounts" in (tracked.error or "")


async def test_a_transient_fault_mid_load_is_retried(rig: Rig, sandbox_server: object) -> None:
    server = rig.target.server
    assert server is not None
    server.faults.fail_next("UNWIND \\$rows", 1, "Neo.TransientError.General.DatabaseUnavailable")
    write_snapshot(rig.base, rig.customer, 1714564800, TINY)
    await rig.wait_for(1714564800, S.LIVE)


async def test_a_restart_in_the_middle_of_a_load_drops_the_partial_database_and_reloads(
    tmp_path: Path,
    neo4j_target: Neo4jTarget,
    customer: str,
    cleanup: None,
    sandbox_server: object,
) -> None:
    server = neo4j_target.server
    assert server is not None
    server.faults.set_latency(0.05)  # slow enough to stop it mid-way
    first = build(tmp_path, neo4j_target, customer)
    await first.controller.start()
    write_snapshot(first.base, customer, 1714564800, SnapshotSize.named("small"))
    await first.wait_for(1714564800, S.LOADING)
    await asyncio.sleep(0.5)
    await first.controller.stop()
    first.store.close()
    server.faults.set_latency(0.0)

    second = build(tmp_path, neo4j_target, customer)
    await second.controller.start()
    try:
        await second.wait_for(1714564800, S.LIVE, timeout=60)
        states = [t.to_state for t in second.store.transitions(f"{customer}/1714564800")]
        assert S.QUEUED in states[states.index(S.LOADING) :]  # it was queued again
        loads = [s for s in states if s is S.LOADING]
        causes = [
            (t.to_state.value, t.cause) for t in second.store.transitions(f"{customer}/1714564800")
        ]
        assert len(loads) == 2, causes
        assert alias_target(neo4j_target, customer) == f"{customer}-1714564800"
    finally:
        await second.controller.stop()
        second.store.close()


def write_old_pipeline_snapshot(base: Path, customer: str, timestamp: int) -> Path:
    """A Parquet snapshot as the replaced pipeline wrote it: no marker, columns by position."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    folder = base / customer / str(timestamp)
    for sub in ("nodes/Person", "nodes/Account", "relationships/OWNS"):
        (folder / sub).mkdir(parents=True)
    pq.write_table(
        pa.table(
            {
                "id": ["p1", "p2"],
                "labels": ["Person", "Person,Customer"],
                "name": ["Ada", "Alan"],
                "born": [1815, 1912],
            }
        ),
        folder / "nodes" / "Person" / "part-00000.parquet",
    )
    pq.write_table(
        pa.table({"id": ["a1"], "labels": ["Account"], "tier": ["gold"]}),
        folder / "nodes" / "Account" / "part-00000.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "src": ["p1", "p2"],
                "dst": ["a1", "a1"],
                "type": ["OWNS", "OWNS"],
                "since": [2020, 2021],
            }
        ),
        folder / "relationships" / "OWNS" / "part-00000.parquet",
    )
    return folder


async def test_the_old_pipelines_parquet_snapshots_load_once_they_settle(
    tmp_path: Path, neo4j_target: Neo4jTarget, customer: str, cleanup: None
) -> None:
    base = tmp_path / "snapshots"
    base.mkdir()
    store = HistoryStore(tmp_path / "history.sqlite3", base_path=base)
    settings = Settings(
        snapshots=SnapshotSettings(
            base_path=base,
            watch="polling",
            poll_interval=0.2,
            debounce=0.1,
            readiness=ReadinessSettings(settle=1.0),  # no marker: complete once quiet
        ),
        state_dir=tmp_path,
        status_json=tmp_path / "status.json",
    )
    controller = Controller(
        engine_settings(base, neo4j_target.uri, reader_options=ImportOptions(format="auto")),
        Neo4jGraph(neo4j_target.uri, neo4j_target.user, neo4j_target.password),
        store,
        watcher_factory=lambda on_discovery: SnapshotWatcher(base, settings, on_discovery),
    )
    rig = Rig(base, tmp_path, neo4j_target, customer, controller, store)
    await controller.start()
    try:
        folder = write_old_pipeline_snapshot(base, customer, 1714564800)
        last_write = max(path.stat().st_mtime for path in folder.rglob("*") if path.is_file())
        await rig.wait_for(1714564800, S.LIVE)
        assert count_people(neo4j_target, customer) == 2
        queued = next(
            t.at for t in store.transitions(f"{customer}/1714564800") if t.to_state is S.QUEUED
        )
        assert queued.timestamp() - last_write >= 0.95  # queued only once the folder settled
    finally:
        await controller.stop()
        store.close()
