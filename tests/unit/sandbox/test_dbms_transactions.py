"""Transactions, availability, faults and the other parts of the Dbms interface."""

from __future__ import annotations

import threading

import pytest

from bgtui.graph import cypher
from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.results import CypherFailure

from .statement_runner import fails, rows, run

CREATE_PEOPLE = cypher.create_nodes(["Person"], 0)
COUNT = "MATCH (n) RETURN count(n) AS c"


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def people(*ids: str) -> list[dict[str, object]]:
    return [{"id": person, "props": {"name": person.upper()}} for person in ids]


@pytest.fixture
def dbms() -> Dbms:
    dbms = Dbms()
    run(dbms, "system", "CREATE DATABASE acme")
    run(dbms, "acme", cypher.create_id_constraint(0))
    return dbms


def count(dbms: Dbms, database: str = "acme") -> int:
    return int(run(dbms, database, COUNT).records[0][0])


class TestAtomicityAndRollback:
    def test_a_failing_statement_leaves_nothing_but_earlier_ones_stay(self, dbms: Dbms) -> None:
        tx = dbms.begin("acme")
        tx.run(CREATE_PEOPLE, {"rows": people("a", "b")})
        with pytest.raises(CypherFailure) as caught:
            tx.run(CREATE_PEOPLE, {"rows": people("c", "d", "a")})
        assert caught.value.neo4j_code == "Neo.ClientError.Schema.ConstraintValidationFailed"
        assert tx.run(COUNT, {}).records == [[2]]
        tx.commit()
        assert count(dbms) == 2

    def test_rollback_undoes_every_write_of_the_transaction(self, dbms: Dbms) -> None:
        run(dbms, "acme", CREATE_PEOPLE, rows=people("kept"))
        tx = dbms.begin("acme")
        tx.run(CREATE_PEOPLE, {"rows": people("x", "y")})
        tx.run(cypher.create_relationships("KNOWS", 0, 0), {"rows": [{"start": "x", "end": "y"}]})
        tx.run(cypher.strip_id_space(0), {"limit": 10})
        tx.rollback()
        assert count(dbms) == 1
        assert run(dbms, "acme", cypher.COUNT_ALL_RELATIONSHIPS).records == [[0]]
        # the id space and its constraint index are whole again: "kept" is still a duplicate
        assert fails(dbms, "acme", CREATE_PEOPLE, rows=people("kept")).neo4j_code.endswith(
            "ConstraintValidationFailed"
        )

    def test_rollback_undoes_administration_too(self, dbms: Dbms) -> None:
        tx = dbms.begin("system")
        tx.run("CREATE DATABASE extra", {})
        tx.run("CREATE ALIAS live FOR DATABASE acme", {})
        tx.run("STOP DATABASE acme", {})
        tx.rollback()
        assert "extra" not in dbms.databases and dbms.aliases == {}
        assert dbms.current_status(dbms.databases["acme"]) == "online"

    def test_a_failing_admin_statement_leaves_nothing(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE ALIAS live FOR DATABASE acme")
        failure = fails(dbms, "system", "CREATE OR REPLACE ALIAS live FOR DATABASE nothere")
        assert failure.neo4j_code == "Neo.ClientError.Database.DatabaseNotFound"
        assert dbms.aliases["live"].target == "acme"

    def test_commit_returns_distinct_bookmarks_and_closes(self, dbms: Dbms) -> None:
        first, second = dbms.begin("acme"), dbms.begin("acme")
        assert first.commit() != second.commit()
        with pytest.raises(CypherFailure):
            first.run(COUNT, {})
        first.rollback()  # harmless after commit

    def test_schema_and_data_writes_do_not_mix(self, dbms: Dbms) -> None:
        tx = dbms.begin("acme")
        tx.run(CREATE_PEOPLE, {"rows": people("a")})
        with pytest.raises(CypherFailure) as caught:
            tx.run(cypher.create_id_constraint(1), {})
        assert caught.value.neo4j_code == (
            "Neo.ClientError.Transaction.ForbiddenDueToTransactionType"
        )
        assert caught.value.message == (
            "Cannot perform schema updates in a transaction that has performed data updates."
        )
        tx.run(COUNT, {})  # reads still mix with either
        tx.rollback()
        tx = dbms.begin("acme")
        tx.run(cypher.drop_id_constraint(0), {})
        with pytest.raises(CypherFailure, match="Cannot perform data updates"):
            tx.run(CREATE_PEOPLE, {"rows": people("a")})

    def test_admin_and_data_writes_do_not_mix(self, dbms: Dbms) -> None:
        tx = dbms.begin("acme")
        tx.run(CREATE_PEOPLE, {"rows": people("a")})
        with pytest.raises(CypherFailure, match="administration commands"):
            tx.run("CREATE DATABASE other", {})


class TestAvailability:
    def test_nowait_shows_starting_until_the_delay_has_passed(self) -> None:
        clock = ManualClock()
        dbms = Dbms(start_delay_seconds=2.0, clock=clock)
        run(dbms, "system", "CREATE DATABASE slow NOWAIT")
        status = "SHOW DATABASE slow YIELD currentStatus"
        assert run(dbms, "system", status).records == [["starting"]]
        with pytest.raises(CypherFailure) as caught:
            dbms.begin("slow")
        assert caught.value.neo4j_code == "Neo.TransientError.General.DatabaseUnavailable"
        clock.now += 2.5
        assert run(dbms, "system", status).records == [["online"]]
        assert count(dbms, "slow") == 0

    def test_wait_is_online_at_once_even_with_a_delay(self) -> None:
        dbms = Dbms(start_delay_seconds=60.0, clock=ManualClock())
        run(dbms, "system", cypher.CREATE_DATABASE, name="quick")
        assert count(dbms, "quick") == 0

    def test_a_fault_takes_a_database_offline_until_it_is_brought_back(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE ALIAS live FOR DATABASE acme")
        dbms.set_database_online("live", False)
        row = rows(run(dbms, "system", "SHOW DATABASE acme YIELD *"))[0]
        assert (row["requestedStatus"], row["currentStatus"]) == ("online", "offline")
        assert row["statusMessage"] and row["databaseID"] is None
        with pytest.raises(CypherFailure):
            dbms.begin("acme")
        dbms.set_database_online("acme", True)
        assert count(dbms) == 0

    def test_a_transaction_notices_its_database_going_away(self, dbms: Dbms) -> None:
        tx = dbms.begin("acme")
        dbms.set_database_online("acme", False)
        with pytest.raises(CypherFailure, match="unavailable"):
            tx.run(COUNT, {})
        tx.rollback()
        dbms.set_database_online("acme", True)
        tx = dbms.begin("acme")
        run(dbms, "system", "DROP DATABASE acme")
        with pytest.raises(CypherFailure) as caught:
            tx.run(COUNT, {})
        assert caught.value.neo4j_code == "Neo.ClientError.Database.DatabaseNotFound"

    def test_an_unknown_fault_target_is_database_not_found(self, dbms: Dbms) -> None:
        with pytest.raises(CypherFailure):
            dbms.set_database_online("nothere", False)


class TestServerFacts:
    def test_authentication(self) -> None:
        dbms = Dbms(user="admin", password="s3cret")
        assert dbms.authenticate("admin", "s3cret")
        assert not dbms.authenticate("admin", "wrong")
        assert not dbms.authenticate("neo4j", "s3cret")

    def test_heap_figures_follow_the_fault(self, dbms: Dbms) -> None:
        dbms.set_heap_used_percent(90)
        used, maximum = run(dbms, "acme", cypher.HEAP_USAGE).records[0]
        assert maximum == dbms.heap_max_bytes
        assert used == pytest.approx(0.9 * maximum, rel=1e-6)

    def test_components_report_version_and_edition(self) -> None:
        for edition in ("enterprise", "community"):
            result = run(Dbms(edition=edition), "system", cypher.SERVER_COMPONENTS)
            assert result.records == [["Neo4j Kernel", ["5.26.0"], edition]]

    def test_an_unknown_edition_is_refused(self) -> None:
        with pytest.raises(ValueError, match="edition"):
            Dbms(edition="desktop")

    def test_default_database_and_begin_without_a_name(self, dbms: Dbms) -> None:
        assert dbms.default_database() == "neo4j"
        assert dbms.begin(None).database == "neo4j"


def test_concurrent_loads_from_many_threads_all_land(dbms: Dbms) -> None:
    def load(worker: int) -> None:
        for batch in range(20):
            ids = [f"w{worker}-{batch}-{i}" for i in range(10)]
            run(dbms, "acme", CREATE_PEOPLE, rows=people(*ids))
            run(dbms, "acme", COUNT)

    threads = [threading.Thread(target=load, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count(dbms) == 8 * 20 * 10
