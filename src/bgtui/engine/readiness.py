"""Before an alias moves: wait until every copy of the target database is ready.

In a cluster "online" is not enough: a copy may still be catching up, and reads through the
alias are routed to such copies. The graph port judges readiness (all copies online, no
replication lag, as many copies as requested); this step waits for it, shows why it waits on
the snapshot (console and ``bgtui status``), and gives up after the configured timeout.
"""

from __future__ import annotations

from bgtui.engine.events import Level
from bgtui.engine.journal import Journal
from bgtui.engine.ports import GraphPort
from bgtui.engine.runner import Runner
from bgtui.engine.tracking import TrackedSnapshot


async def wait_for_copies(
    graph: GraphPort,
    run: Runner,
    journal: Journal,
    tracked: TrackedSnapshot,
    database: str,
    timeout: float,
) -> None:
    """Return once ``database`` is ready; raise the port's (transient) GraphError on timeout."""

    async def show(reason: str) -> None:
        await journal.update(tracked, detail=f"{database}: {reason}")
        await journal.log(tracked.key, Level.INFO, f"before switching to {database}: {reason}")

    def on_wait(reason: str) -> None:
        run.spawn_from_thread(lambda: show(reason))

    await run.in_worker(graph.wait_until_ready, database, timeout, on_wait)
