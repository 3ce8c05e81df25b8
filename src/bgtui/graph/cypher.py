"""Every Cypher statement bgtui sends, in one place.

Rules that keep this file safe to read and to change:
- database and alias names are always ``$parameters`` (Neo4j accepts them in name positions);
- labels and relationship types cannot be parameters in Cypher 5, so the builders below take
  them only through ``quote_identifier`` (backticks, embedded backticks doubled, Neo4j's
  length limit);
- nothing else in bgtui formats Cypher. The sandbox recognises exactly these shapes, and
  ``tests/unit/test_cypher_catalogue*.py`` check each one against Neo4j's own parser and the
  sandbox, so the three cannot drift apart.

Loading resolves neo4j-admin ID spaces with a temporary label per ID space
(``BgtuiIdSpace<n>``, numbered, never built from a raw name) and a ``_bgtui_id`` property under
a uniqueness constraint; both are removed once relationships are in, so the loaded graph has
exactly the labels and properties the snapshot declares.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bgtui.domain.names import quote_identifier

#: The property that holds a node's import id while relationships are being resolved.
ID_PROPERTY = "_bgtui_id"

# --- administration, sent to the ``system`` database -------------------------------------

SERVER_COMPONENTS = (
    "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
)

# One row per allocation in a cluster: the copy's role, its replicationLag ("the number of
# transactions the current database is behind compared to the most up-to-date allocation")
# and the current and requested copy counts, which readiness compares
# (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/listing-databases/).
_DATABASE_COLUMNS = (
    "name, type, aliases, requestedStatus, currentStatus, statusMessage, address, role, "
    "writer, replicationLag, currentPrimariesCount, requestedPrimariesCount, "
    "currentSecondariesCount, requestedSecondariesCount"
)

SHOW_DATABASES = f"SHOW DATABASES YIELD {_DATABASE_COLUMNS}"

SHOW_DATABASE = f"SHOW DATABASE $name YIELD {_DATABASE_COLUMNS}"

SHOW_ALIASES = "SHOW ALIASES FOR DATABASE YIELD name, database, location"

# WAIT makes the command return once the database is online; its bound is a constant because
# a WAIT duration cannot be a parameter. IF NOT EXISTS makes a retry after a lost connection
# harmless: an interrupted WAIT "will continue to execute in the background"
# (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/wait-options/),
# and the retry must not fail because the first attempt created the database.
CREATE_DATABASE = "CREATE DATABASE $name IF NOT EXISTS WAIT 300 SECONDS"

# The same with the copies a cluster should keep: the counts may be parameters
# (https://neo4j.com/docs/operations-manual/current/clustering/databases/).
CREATE_DATABASE_WITH_TOPOLOGY = (
    "CREATE DATABASE $name IF NOT EXISTS "
    "TOPOLOGY $primaries PRIMARIES $secondaries SECONDARIES WAIT 300 SECONDS"
)

STOP_DATABASE = "STOP DATABASE $name WAIT 300 SECONDS"

START_DATABASE = "START DATABASE $name WAIT 300 SECONDS"

DROP_DATABASE = "DROP DATABASE $name IF EXISTS WAIT 300 SECONDS"

CREATE_ALIAS = "CREATE ALIAS $alias FOR DATABASE $database"

# Retargeting in one statement keeps the alias present at every instant (never DROP + CREATE).
ALTER_ALIAS = "ALTER ALIAS $alias SET DATABASE TARGET $database"

# --- health, sent to ``system`` (the home database may be stopped or dropped) ---------------

# A round trip that any server answers on ``system``; whether ``RETURN 1`` is accepted on
# ``system`` is UNCONFIRMED, dbms.components() is.
PING = "CALL dbms.components() YIELD name RETURN name"

# dbms.queryJmx is a system procedure in Enterprise and Community, and CompositeData such as
# HeapMemoryUsage comes back as {description, properties} (JmxQueryProcedure,
# https://github.com/freeeve/neo4j/blob/d30dadb81b0898c47976247e4322d4300fa47ad1/community/procedure/src/main/java/org/neo4j/procedure/builtin/JmxQueryProcedure.java).
# UNCONFIRMED whether Aura allows it; any client error from it means "heap unknown".
HEAP_USAGE = (
    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
    "RETURN attributes.HeapMemoryUsage.value.properties.used AS used, "
    "attributes.HeapMemoryUsage.value.properties.max AS max"
)

# --- inspection, sent to a user database --------------------------------------------------

LABELS = "CALL db.labels() YIELD label RETURN label"

RELATIONSHIP_TYPES = "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"

COUNT_ALL_NODES = "MATCH (n) RETURN count(n) AS count"

COUNT_ALL_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS count"


def count_nodes_with_label(label: str) -> str:
    """Nodes carrying ``label`` (answered from Neo4j's count store)."""
    return f"MATCH (n:{quote_identifier(label)}) RETURN count(n) AS count"


def count_relationships_of_type(rel_type: str) -> str:
    """Relationships of ``rel_type`` (answered from Neo4j's count store)."""
    return f"MATCH ()-[r:{quote_identifier(rel_type)}]->() RETURN count(r) AS count"


# --- loading -----------------------------------------------------------------------------


def id_space_label(space_index: int) -> str:
    """The temporary label of the ``space_index``-th ID space of a snapshot."""
    if space_index < 0:
        raise ValueError("an ID space index is never negative")
    return f"BgtuiIdSpace{space_index}"


def _constraint_name(space_index: int) -> str:
    return quote_identifier(f"bgtui_id_space_{space_index}")


def create_id_constraint(space_index: int) -> str:
    """A uniqueness constraint (and its index) so relationship endpoints resolve by seek."""
    label = quote_identifier(id_space_label(space_index))
    return (
        f"CREATE CONSTRAINT {_constraint_name(space_index)} IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{quote_identifier(ID_PROPERTY)} IS UNIQUE"
    )


def drop_id_constraint(space_index: int) -> str:
    return f"DROP CONSTRAINT {_constraint_name(space_index)} IF EXISTS"


def _node_pattern(labels: Sequence[str], space_index: int | None) -> str:
    names = [*labels] + ([id_space_label(space_index)] if space_index is not None else [])
    label_text = "".join(f":{quote_identifier(name)}" for name in names)
    id_map = f" {{{quote_identifier(ID_PROPERTY)}: row.id}}" if space_index is not None else ""
    return f"(n{label_text}{id_map})"


def create_nodes(labels: Sequence[str], space_index: int | None) -> str:
    """Create one node per row: ``$rows`` is a list of ``{id, props}`` maps."""
    return (
        f"UNWIND $rows AS row CREATE {_node_pattern(labels, space_index)} "
        "SET n += row.props RETURN count(n) AS created"
    )


def create_nodes_skipping_duplicates(labels: Sequence[str], space_index: int) -> str:
    """As ``create_nodes``, but rows whose id already exists in the ID space are skipped."""
    space = quote_identifier(id_space_label(space_index))
    key = quote_identifier(ID_PROPERTY)
    return (
        f"UNWIND $rows AS row OPTIONAL MATCH (e:{space} {{{key}: row.id}}) "
        f"WITH row, e WHERE e IS NULL CREATE {_node_pattern(labels, space_index)} "
        "SET n += row.props RETURN count(n) AS created"
    )


def create_relationships(rel_type: str, start_space: int, end_space: int) -> str:
    """Create one relationship per row: ``$rows`` is a list of ``{start, end, props}`` maps.

    Rows whose endpoints are missing create nothing; the returned ``created`` count tells the
    loader, which then asks ``find_missing_endpoints`` for the examples it reports.
    """
    key = quote_identifier(ID_PROPERTY)
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{quote_identifier(id_space_label(start_space))} {{{key}: row.start}}) "
        f"MATCH (b:{quote_identifier(id_space_label(end_space))} {{{key}: row.end}}) "
        f"CREATE (a)-[r:{quote_identifier(rel_type)}]->(b) SET r += row.props "
        "RETURN count(r) AS created"
    )


def find_missing_endpoints(start_space: int, end_space: int) -> str:
    """The rows of a batch whose start or end node does not exist."""
    key = quote_identifier(ID_PROPERTY)
    return (
        f"UNWIND $rows AS row "
        f"OPTIONAL MATCH (a:{quote_identifier(id_space_label(start_space))} {{{key}: row.start}}) "
        f"OPTIONAL MATCH (b:{quote_identifier(id_space_label(end_space))} {{{key}: row.end}}) "
        "WITH row, a, b WHERE a IS NULL OR b IS NULL "
        "RETURN row.start AS start, row.end AS end, a IS NULL AS startMissing, "
        "b IS NULL AS endMissing"
    )


def strip_id_space(space_index: int) -> str:
    """Remove the temporary label and id property from up to ``$limit`` nodes."""
    label = quote_identifier(id_space_label(space_index))
    return (
        f"MATCH (n:{label}) WITH n LIMIT $limit "
        f"REMOVE n:{label}, n.{quote_identifier(ID_PROPERTY)} RETURN count(n) AS done"
    )


# --- the catalogue, for the parser and sandbox tests ---------------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    """One statement as bgtui sends it, with representative parameters."""

    name: str
    statement: str
    parameters: dict[str, Any]
    database: str  # "system" or "user": where bgtui sends it


def catalogue() -> Iterator[CatalogueEntry]:
    """Every statement bgtui can send, built with representative labels and types."""
    rows_nodes = [{"id": "p1", "props": {"name": "Ada", "born": 1815}}]
    rows_rels = [{"start": "p1", "end": "m1", "props": {"role": "Neo"}}]
    system: list[tuple[str, str, dict[str, Any]]] = [
        ("server_components", SERVER_COMPONENTS, {}),
        ("show_databases", SHOW_DATABASES, {}),
        ("show_database", SHOW_DATABASE, {"name": "acme-20240501"}),
        ("show_aliases", SHOW_ALIASES, {}),
        ("create_database", CREATE_DATABASE, {"name": "acme-20240501"}),
        (
            "create_database_with_topology",
            CREATE_DATABASE_WITH_TOPOLOGY,
            {"name": "acme-20240501", "primaries": 1, "secondaries": 2},
        ),
        ("stop_database", STOP_DATABASE, {"name": "acme-20240501"}),
        ("start_database", START_DATABASE, {"name": "acme-20240501"}),
        ("ping", PING, {}),
        ("heap_usage", HEAP_USAGE, {}),
        ("drop_database", DROP_DATABASE, {"name": "acme-20240501"}),
        ("create_alias", CREATE_ALIAS, {"alias": "acme", "database": "acme-20240501"}),
        ("alter_alias", ALTER_ALIAS, {"alias": "acme", "database": "acme-20240501"}),
    ]
    user: list[tuple[str, str, dict[str, Any]]] = [
        ("labels", LABELS, {}),
        ("relationship_types", RELATIONSHIP_TYPES, {}),
        ("count_all_nodes", COUNT_ALL_NODES, {}),
        ("count_all_relationships", COUNT_ALL_RELATIONSHIPS, {}),
        ("count_nodes_with_label", count_nodes_with_label("Person"), {}),
        ("count_relationships_of_type", count_relationships_of_type("ACTED_IN"), {}),
        ("create_id_constraint", create_id_constraint(0), {}),
        ("drop_id_constraint", drop_id_constraint(0), {}),
        ("create_nodes", create_nodes(["Person", "Actor"], 0), {"rows": rows_nodes}),
        ("create_nodes_without_id", create_nodes(["Note"], None), {"rows": rows_nodes}),
        ("create_nodes_without_labels", create_nodes([], 1), {"rows": rows_nodes}),
        (
            "create_nodes_skipping_duplicates",
            create_nodes_skipping_duplicates(["Person"], 0),
            {"rows": rows_nodes},
        ),
        ("create_relationships", create_relationships("ACTED_IN", 0, 1), {"rows": rows_rels}),
        ("find_missing_endpoints", find_missing_endpoints(0, 1), {"rows": rows_rels}),
        ("strip_id_space", strip_id_space(0), {"limit": 10000}),
    ]
    for name, statement, parameters in system:
        yield CatalogueEntry(name, statement, parameters, "system")
    for name, statement, parameters in user:
        yield CatalogueEntry(name, statement, parameters, "user")
