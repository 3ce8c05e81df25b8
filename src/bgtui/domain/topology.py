"""How many copies a cluster keeps of each new database: ``TOPOLOGY n PRIMARIES m SECONDARIES``.

Without it Neo4j uses ``initial.dbms.default_primaries_count`` (1) and
``initial.dbms.default_secondaries_count`` (0)
(https://neo4j.com/docs/operations-manual/current/clustering/databases/), so a live customer
database would have a single copy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topology:
    """The copies a cluster keeps of each new database."""

    primaries: int = 1
    secondaries: int = 0

    def __post_init__(self) -> None:
        if self.primaries < 1 or self.secondaries < 0:
            raise ValueError(
                f"a topology needs at least 1 primary and no negative secondaries, not "
                f"{self.primaries} and {self.secondaries}"
            )
