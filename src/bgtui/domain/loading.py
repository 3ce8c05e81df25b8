"""How a snapshot is written into Neo4j: the options the operator sets for every load."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadOptions:
    """Batching and bad-data tolerance, as neo4j-admin's import options name them."""

    batch_size: int = 10_000
    skip_duplicate_nodes: bool = False
    skip_bad_relationships: bool = False
    bad_tolerance: int = 1000  # bad entries tolerated when skipping; -1 = unlimited
