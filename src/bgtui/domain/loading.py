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


#: ``loading.method``: Bolt statements, the GDS Arrow importer, or Arrow when it answers.
LOADING_METHODS = ("bolt", "arrow", "auto")
#: ``neo4j.arrow.tls``: ``auto`` uses TLS when the Bolt address does.
ARROW_TLS = ("auto", "true", "false")
#: GDS's default ``gds.arrow.listen_address`` port.
DEFAULT_ARROW_PORT = 8491
