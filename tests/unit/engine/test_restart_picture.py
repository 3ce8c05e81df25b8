"""After a restart the console's board shows what the history knows, and it can be acted on."""

from __future__ import annotations

from bgtui.domain.policy import PromotionPolicy
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.events import SnapshotChanged
from tests.helpers.engine import Harness, make_settings

from .doubles import Record

GLOBEX = "globex/1714564800"
INITECH = "initech/1714564800"
ACME_OLD, ACME_LIVE = "acme/1714478400", "acme/1714564800"


async def test_a_restart_shows_waiting_and_live_snapshots_and_approve_works_on_them() -> None:
    h = Harness(make_settings(default_policy=PromotionPolicy("manual", 60.0, 1)))
    h.graph.databases.update(
        {
            "globex-1714564800": "online",
            "initech-1714564800": "online",
            "acme-1714478400": "online",
            "acme-1714564800": "online",
        }
    )
    h.graph.aliases["acme"] = "acme-1714564800"
    h.history.preset += [
        Record(GLOBEX, "globex", "1714564800", "/s", "awaiting_approval"),
        Record(INITECH, "initech", "1714564800", "/s", "awaiting_approval"),
        Record(ACME_OLD, "acme", "1714478400", "/s", "retired"),
        Record(ACME_LIVE, "acme", "1714564800", "/s", "live"),
    ]
    await h.controller.start()
    try:
        shown = {
            e.snapshot.key: e.snapshot.state for e in h.events if isinstance(e, SnapshotChanged)
        }
        assert shown[GLOBEX] is S.AWAITING_APPROVAL and shown[INITECH] is S.AWAITING_APPROVAL
        assert shown[ACME_LIVE] is S.LIVE
        assert ACME_OLD not in shown, "a retired snapshot stays off the board"
        await h.controller.approve(GLOBEX, "alice", "checked after the restart")
        assert h.state(GLOBEX) is S.LIVE
        assert h.graph.aliases["globex"] == "globex-1714564800"
        assert h.state(INITECH) is S.AWAITING_APPROVAL
    finally:
        await h.controller.stop()
