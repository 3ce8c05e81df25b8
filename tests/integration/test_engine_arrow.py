"""The engine loading through Arrow: found -> loaded by the GDS importer -> validated -> live,
then a rollback, with the sandbox's Flight server and the real driver."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.controller import Controller
from bgtui.graph.arrow_endpoint import ArrowEndpoint
from bgtui.graph.client import Neo4jGraph
from bgtui.readers import ImportOptions
from bgtui.sandbox.arrow_flight import ArrowFlightServer
from bgtui.store.history import HistoryStore
from tests.helpers.neo4j_target import Neo4jTarget

from .test_engine_end_to_end import (
    Rig,
    alias_target,
    cleanup,
    count_people,
    customer,
    engine_settings,
    watcher_factory,
    write_old_pipeline_snapshot,
)

pytestmark = pytest.mark.integration
__all__ = ["cleanup", "customer"]  # fixtures shared with the engine's end-to-end tests


async def test_snapshots_go_live_through_arrow_and_roll_back(
    tmp_path: Path, neo4j_target: Neo4jTarget, customer: str, cleanup: None
) -> None:
    if neo4j_target.server is None:
        pytest.skip("needs the sandbox's Arrow Flight stand-in")
    base = tmp_path / "snapshots"
    base.mkdir()
    store = HistoryStore(tmp_path / "history.sqlite3", base_path=base)
    with ArrowFlightServer(neo4j_target.server.dbms) as arrow:
        endpoint = ArrowEndpoint(arrow.host, arrow.port, neo4j_target.user, neo4j_target.password)
        graph = Neo4jGraph(
            neo4j_target.uri, neo4j_target.user, neo4j_target.password, arrow=endpoint
        )
        controller = Controller(
            engine_settings(
                base,
                neo4j_target.uri,
                reader_options=ImportOptions(format="auto"),
                loading_method="bolt",
                customer_loading_methods={customer: "arrow"},
            ),
            graph,
            store,
            watcher_factory=watcher_factory(base),
        )
        rig = Rig(base, tmp_path, neo4j_target, customer, controller, store)
        await controller.start()
        try:
            for timestamp in (1714564800, 1714568400):
                folder = write_old_pipeline_snapshot(base, customer, timestamp)
                (folder / "_SUCCESS").touch()
                await rig.wait_for(timestamp, S.LIVE)
            assert alias_target(neo4j_target, customer) == f"{customer}-1714568400"
            assert count_people(neo4j_target, customer) == 2
            puts = {call.name for call in arrow.calls if call.kind == "put"}
            assert puts == {f"{customer}-1714564800", f"{customer}-1714568400"}
            lines = [line.message for line in store.load_log(f"{customer}/1714568400")]
            assert any("through the GDS Arrow endpoint" in line for line in lines)
            await controller.refresh_health()
            await controller.rollback(customer, "tester", "check the Arrow-built standby")
            assert alias_target(neo4j_target, customer) == f"{customer}-1714564800"
        finally:
            await controller.stop()
            store.close()
