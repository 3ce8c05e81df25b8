"""Commands queued by the CLI reach the running controller through SQLite, and get an answer."""

from __future__ import annotations

from pathlib import Path

from bgtui.domain.policy import PromotionPolicy
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.store.command_queue import CommandQueue
from tests.helpers.engine import Harness, make_settings

from .doubles import discovery


async def test_a_queued_approval_is_carried_out_and_answered(tmp_path: Path) -> None:
    queue = CommandQueue(tmp_path / "history.sqlite3")
    h = Harness(make_settings(default_policy=PromotionPolicy("manual", 60.0, 1)))
    h.controller = h.build(command_queue=queue)
    await h.controller.start()
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state("acme/1714564800", S.AWAITING_APPROVAL)
        approve = queue.submit(
            "approve",
            "acme",
            snapshot_key="acme/1714564800",
            actor="cli-user",
            reason="looks right",
        )
        wrong = queue.submit("rollback", "acme", actor="cli-user", reason="nothing to go back to")
        h.clock.advance(1.5)  # the controller polls the queue about once a second
        await h.controller.tick()
        assert h.state("acme/1714564800") is S.LIVE
        assert queue.result(approve) == ("done", "acme/1714564800 approved")
        status, message = queue.result(wrong)
        assert status == "refused" and "no earlier database" in message
        assert queue.take_pending() == []
    finally:
        await h.controller.stop()
        queue.close()
