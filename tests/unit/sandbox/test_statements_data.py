"""Data statements on a user database: loads, constraints, counts and reads of real data."""

from __future__ import annotations

import time

import pytest

from bgtui.graph import cypher
from bgtui.sandbox.dbms import Dbms

from .statement_runner import fails, rows, run


@pytest.fixture
def dbms() -> Dbms:
    dbms = Dbms()
    run(dbms, "system", "CREATE DATABASE acme")
    for space in (0, 1):
        run(dbms, "acme", cypher.create_id_constraint(space))
    return dbms


def load_people(dbms: Dbms, ids: list[str], space: int = 0) -> None:
    rows_ = [{"id": i, "props": {"name": i.title(), "born": 1900 + n}} for n, i in enumerate(ids)]
    run(dbms, "acme", cypher.create_nodes(["Person"], space), rows=rows_)


class TestNodeBatches:
    def test_counters_labels_and_properties(self, dbms: Dbms) -> None:
        batch = [
            {"id": "p1", "props": {"name": "Ada", "born": 1815, "gone": None}},
            {"id": "p2", "props": {"name": "Alan"}},
        ]
        result = run(dbms, "acme", cypher.create_nodes(["Person", "Actor"], 0), rows=batch)
        assert (result.fields, result.records) == (["created"], [[2]])
        assert result.stats == {
            "nodes-created": 2,
            "labels-added": 6,  # Person, Actor and the ID-space label on each
            "properties-set": 5,  # two ids, three non-null properties
            "contains-updates": True,
        }
        assert result.query_type == "rw"
        stored = rows(run(dbms, "acme", "MATCH (n:Actor) RETURN n.name AS name, n.gone AS gone"))
        assert stored == [{"name": "Ada", "gone": None}, {"name": "Alan", "gone": None}]

    def test_a_batch_without_an_id_space_or_labels(self, dbms: Dbms) -> None:
        run(dbms, "acme", cypher.create_nodes(["Note"], None), rows=[{"props": {"t": "x"}}])
        run(dbms, "acme", cypher.create_nodes([], 1), rows=[{"id": 7, "props": {}}])
        assert run(dbms, "acme", cypher.COUNT_ALL_NODES).records == [[2]]
        assert run(dbms, "acme", cypher.LABELS).records == [["BgtuiIdSpace1"], ["Note"]]

    def test_a_duplicate_fails_the_whole_statement_and_names_it(self, dbms: Dbms) -> None:
        load_people(dbms, ["p1"])
        failure = fails(
            dbms,
            "acme",
            cypher.create_nodes(["Person"], 0),
            rows=[{"id": "p2", "props": {}}, {"id": "p1", "props": {}}],
        )
        assert failure.neo4j_code == "Neo.ClientError.Schema.ConstraintValidationFailed"
        assert failure.message == (
            "Node(0) already exists with label `BgtuiIdSpace0` and property `_bgtui_id` = 'p1'"
        )
        assert run(dbms, "acme", cypher.COUNT_ALL_NODES).records == [[1]]

    def test_a_duplicate_inside_one_batch_fails_too(self, dbms: Dbms) -> None:
        failure = fails(
            dbms,
            "acme",
            cypher.create_nodes(["Person"], 0),
            rows=[{"id": 5, "props": {}}, {"id": 5.0, "props": {}}],
        )
        assert "= 5.0" in failure.message
        assert run(dbms, "acme", cypher.COUNT_ALL_NODES).records == [[0]]

    def test_the_same_id_in_another_space_is_fine(self, dbms: Dbms) -> None:
        load_people(dbms, ["x"], space=0)
        load_people(dbms, ["x"], space=1)
        assert run(dbms, "acme", cypher.count_nodes_with_label("Person")).records == [[2]]

    def test_skipping_duplicates_leaves_out_existing_ids(self, dbms: Dbms) -> None:
        load_people(dbms, ["p1"])
        batch = [{"id": "p1", "props": {"name": "again"}}, {"id": "p2", "props": {}}]
        result = run(
            dbms, "acme", cypher.create_nodes_skipping_duplicates(["Person"], 0), rows=batch
        )
        assert result.records == [[1]]
        names = run(dbms, "acme", "MATCH (n:Person) RETURN n.name AS name").records
        assert names == [["P1"], [None]]

    def test_a_map_is_not_a_property_value(self, dbms: Dbms) -> None:
        failure = fails(
            dbms, "acme", cypher.create_nodes(["P"], None), rows=[{"props": {"nested": {"a": 1}}}]
        )
        assert failure.neo4j_code == "Neo.ClientError.Statement.TypeError"

    def test_rows_must_be_a_list_of_maps(self, dbms: Dbms) -> None:
        assert fails(dbms, "acme", cypher.create_nodes(["P"], None), rows=[1]).neo4j_code == (
            "Neo.ClientError.Statement.TypeError"
        )
        assert run(dbms, "acme", cypher.create_nodes(["P"], None), rows=None).records == [[0]]

    def test_fifty_thousand_rows_with_six_properties_in_well_under_a_second(
        self, dbms: Dbms
    ) -> None:
        batch = [
            {"id": f"p{i}", "props": {"a": i, "b": "text", "c": 1.5, "d": True, "e": [1], "f": ""}}
            for i in range(50_000)
        ]
        started = time.process_time()
        result = run(dbms, "acme", cypher.create_nodes(["Person"], 0), rows=batch)
        elapsed = time.process_time() - started
        assert result.records == [[50_000]]
        assert elapsed < 0.6, f"50,000 rows took {elapsed:.2f}s of CPU"


class TestRelationshipBatches:
    def test_rows_with_missing_endpoints_create_nothing(self, dbms: Dbms) -> None:
        load_people(dbms, ["a", "b"])
        load_people(dbms, ["m"], space=1)
        batch = [
            {"start": "a", "end": "m", "props": {"role": "Neo"}},
            {"start": "b", "end": "m", "props": {}},
            {"start": "a", "end": "zz", "props": {}},
            {"start": None, "end": "m", "props": {}},
        ]
        result = run(dbms, "acme", cypher.create_relationships("ACTED_IN", 0, 1), rows=batch)
        assert result.records == [[2]]
        assert result.stats["relationships-created"] == 2
        assert result.stats["properties-set"] == 1
        assert run(dbms, "acme", cypher.count_relationships_of_type("ACTED_IN")).records == [[2]]
        assert run(dbms, "acme", cypher.RELATIONSHIP_TYPES).records == [["ACTED_IN"]]

    def test_find_missing_endpoints_reports_which_end(self, dbms: Dbms) -> None:
        load_people(dbms, ["a"])
        load_people(dbms, ["m"], space=1)
        batch = [
            {"start": "a", "end": "m"},
            {"start": "a", "end": "zz"},
            {"start": "yy", "end": "m"},
        ]
        result = run(dbms, "acme", cypher.find_missing_endpoints(0, 1), rows=batch)
        assert result.fields == ["start", "end", "startMissing", "endMissing"]
        assert result.records == [["a", "zz", False, True], ["yy", "m", True, False]]

    def test_endpoints_resolve_without_a_constraint_too(self, dbms: Dbms) -> None:
        run(dbms, "acme", cypher.drop_id_constraint(0))
        load_people(dbms, ["a", "b"])
        result = run(
            dbms,
            "acme",
            cypher.create_relationships("KNOWS", 0, 0),
            rows=[{"start": "a", "end": "b", "props": {}}],
        )
        assert result.records == [[1]]


class TestStripAndSchema:
    def test_strip_removes_label_and_id_up_to_the_limit(self, dbms: Dbms) -> None:
        load_people(dbms, ["a", "b", "c"])
        first = run(dbms, "acme", cypher.strip_id_space(0), limit=2)
        assert first.records == [[2]]
        assert first.stats == {"labels-removed": 2, "properties-set": 2, "contains-updates": True}
        assert run(dbms, "acme", cypher.strip_id_space(0), limit=10).records == [[1]]
        assert run(dbms, "acme", cypher.strip_id_space(0), limit=10).records == [[0]]
        assert run(dbms, "acme", cypher.LABELS).records == [["Person"]]
        keys = run(dbms, "acme", "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey")
        assert keys.records == [["born"], ["name"]]

    def test_constraint_create_and_drop_with_and_without_if_clauses(self, dbms: Dbms) -> None:
        again = run(dbms, "acme", cypher.create_id_constraint(0))
        assert again.stats == {} and again.query_type == "s"
        plain = cypher.create_id_constraint(0).replace(" IF NOT EXISTS", "")
        assert fails(dbms, "acme", plain).neo4j_code == (
            "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists"
        )
        dropped = run(dbms, "acme", cypher.drop_id_constraint(0))
        assert dropped.stats == {"constraints-removed": 1, "contains-updates": True}
        assert run(dbms, "acme", cypher.drop_id_constraint(0)).stats == {}
        plain_drop = cypher.drop_id_constraint(0).replace(" IF EXISTS", "")
        assert fails(dbms, "acme", plain_drop).neo4j_code == (
            "Neo.ClientError.Schema.ConstraintDropFailed"
        )

    def test_a_constraint_over_existing_duplicates_cannot_be_created(self, dbms: Dbms) -> None:
        run(
            dbms,
            "acme",
            cypher.create_nodes(["T"], None),
            rows=[{"props": {"k": 1}}, {"props": {"k": 1}}],
        )
        failure = fails(dbms, "acme", "CREATE CONSTRAINT t_k FOR (n:T) REQUIRE n.k IS UNIQUE")
        assert failure.neo4j_code == "Neo.ClientError.Schema.ConstraintCreationFailed"
        names = run(dbms, "acme", "SHOW CONSTRAINTS YIELD name").records
        assert names == [["bgtui_id_space_0"], ["bgtui_id_space_1"]]


class TestReads:
    def test_counts_all_by_label_and_by_type(self, dbms: Dbms) -> None:
        load_people(dbms, ["a", "b"])
        run(dbms, "acme", cypher.create_nodes(["Movie"], 1), rows=[{"id": "m", "props": {}}])
        run(
            dbms,
            "acme",
            cypher.create_relationships("ACTED_IN", 0, 1),
            rows=[{"start": "a", "end": "m", "props": {}}],
        )
        assert run(dbms, "acme", cypher.COUNT_ALL_NODES).records == [[3]]
        assert run(dbms, "acme", cypher.count_nodes_with_label("Movie")).records == [[1]]
        assert run(dbms, "acme", cypher.count_nodes_with_label("Nope")).records == [[0]]
        assert run(dbms, "acme", cypher.COUNT_ALL_RELATIONSHIPS).records == [[1]]
        assert run(dbms, "acme", cypher.count_relationships_of_type("NOPE")).records == [[0]]
        assert run(dbms, "acme", "MATCH (n) RETURN count(*)").fields == ["count(*)"]

    def test_return_properties_ordered_and_limited(self, dbms: Dbms) -> None:
        load_people(dbms, ["c", "a", "b"])
        query = "MATCH (p:Person) RETURN p.name AS name, p.born ORDER BY name DESC SKIP 1 LIMIT 5"
        result = run(dbms, "acme", query)
        assert result.fields == ["name", "p.born"]
        assert result.records == [["B", 1902], ["A", 1901]]
        by_key = run(dbms, "acme", "MATCH (p:Person) RETURN p.name ORDER BY p.born LIMIT 1")
        assert by_key.records == [["C"]]

    def test_return_nodes(self, dbms: Dbms) -> None:
        load_people(dbms, ["a"])
        (node,) = run(dbms, "acme", "MATCH (n:Person) RETURN n LIMIT 1").records[0]
        node_id, labels, properties, element_id = node.fields
        assert node.tag == 0x4E
        assert labels == ["BgtuiIdSpace0", "Person"]
        assert properties == {"_bgtui_id": "a", "name": "A", "born": 1900}
        assert element_id.endswith(f":{node_id}")
        assert len(run(dbms, "acme", "MATCH (n) RETURN n").records) == 1

    def test_return_literal_and_ping(self, dbms: Dbms) -> None:
        assert rows(run(dbms, "acme", "RETURN 1 AS ok")) == [{"ok": 1}]
        assert rows(run(dbms, "system", cypher.PING)) == [{"name": "Neo4j Kernel"}]
        assert run(dbms, "acme", "RETURN 'hi'").fields == ["'hi'"]

    def test_returning_another_variable_is_refused(self, dbms: Dbms) -> None:
        failure = fails(dbms, "acme", "MATCH (n) RETURN m.name")
        assert failure.neo4j_code == "Neo.ClientError.Statement.SyntaxError"

    def test_procedures(self, dbms: Dbms) -> None:
        load_people(dbms, ["a"])
        assert run(dbms, "acme", "CALL db.labels()").records == [["BgtuiIdSpace0"], ["Person"]]
        aliased = run(dbms, "acme", "CALL db.labels() YIELD label AS l RETURN l")
        assert aliased.fields == ["l"]
        assert fails(dbms, "acme", "CALL db.nothing()").neo4j_code == (
            "Neo.ClientError.Procedure.ProcedureNotFound"
        )
        assert fails(dbms, "acme", "CALL db.labels() YIELD nope").neo4j_code.endswith("SyntaxError")
        other = run(dbms, "acme", "CALL dbms.queryJmx('java.lang:type=Threading')")
        assert other.records == []
