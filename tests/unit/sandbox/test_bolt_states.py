"""The connection state machine, message by message, against the real Dbms (Bolt message docs)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bgtui.graph.cypher import create_nodes
from bgtui.sandbox.bolt import (
    BEGIN,
    COMMIT,
    DISCARD,
    FAILURE,
    GOODBYE,
    HELLO,
    IGNORED,
    LOGOFF,
    LOGON,
    PULL,
    RECORD,
    RESET,
    ROLLBACK,
    ROUTE,
    RUN,
    SUCCESS,
    TELEMETRY,
    BoltSession,
    State,
)
from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.faults import Faults
from bgtui.sandbox.packstream import Structure
from bgtui.sandbox.wire import BoltVersion, ConnectionClosed, decode_stream

AUTH = {"scheme": "basic", "principal": "neo4j", "credentials": "bgtui-sandbox"}
BOLT_5_8 = BoltVersion(5, 8)
CREATE = create_nodes(["Thing"], None)
LIST_THINGS = "MATCH (n:Thing) RETURN n.name AS name ORDER BY name"
COUNT_THINGS = "MATCH (n:Thing) RETURN count(n) AS count"


def things(*names: str) -> dict[str, Any]:
    return {"rows": [{"id": name, "props": {"name": name}} for name in names]}


def new_session(version: BoltVersion = BOLT_5_8) -> BoltSession:
    """A session on a Dbms whose default database holds three Things: a, b and c."""
    dbms = Dbms()
    tx = dbms.begin(None)
    tx.run(CREATE, things("a", "b", "c"))
    tx.commit()
    return BoltSession(dbms, Faults(dbms), "bolt-7", version, "localhost:7687")


def send(session: BoltSession, tag: int, *fields: Any) -> list[Structure]:
    return decode_stream(session.handle(tag, list(fields)))


def only(replies: list[Structure], tag: int) -> dict[str, Any]:
    """The metadata of the single reply, which must carry ``tag``."""
    assert [r.tag for r in replies] == [tag], replies
    return replies[0].fields[0] if replies[0].fields else {}


def only_summary(replies: list[Structure]) -> dict[str, Any]:
    """The summary after the records of a PULL."""
    assert replies[-1].tag == SUCCESS
    return replies[-1].fields[0]


@pytest.fixture
def ready() -> BoltSession:
    session = new_session()
    only(send(session, HELLO, {"user_agent": "test/1"}), SUCCESS)
    only(send(session, LOGON, AUTH), SUCCESS)
    return session


def test_hello_names_the_server_the_connection_and_asks_for_telemetry() -> None:
    session = new_session()
    metadata = only(send(session, HELLO, {"user_agent": "test/1"}), SUCCESS)
    assert metadata == {
        "server": "Neo4j/5.26.0",
        "connection_id": "bolt-7",
        "hints": {"telemetry.enabled": True},
    }
    assert session.state is State.AUTHENTICATION


def test_bolt_6_hello_reports_the_protocol_version() -> None:
    session = new_session(BoltVersion(6, 0))
    assert only(send(session, HELLO, {}), SUCCESS)["protocol_version"] == "6.0"


def test_a_wrong_password_fails_with_unauthorized_and_ends_the_connection() -> None:
    session = new_session()
    send(session, HELLO, {})
    metadata = only(send(session, LOGON, {**AUTH, "credentials": "wrong"}), FAILURE)
    assert metadata["neo4j_code"] == "Neo.ClientError.Security.Unauthorized"
    assert metadata["message"] == "The client is unauthorized due to authentication failure."
    assert metadata["diagnostic_record"]["_classification"] == "CLIENT_ERROR"
    assert session.closed


def test_a_request_before_hello_is_refused_and_ends_the_connection() -> None:
    session = new_session()
    metadata = only(send(session, RUN, "RETURN 1 AS x", {}, {}), FAILURE)
    assert metadata["neo4j_code"] == "Neo.ClientError.Request.Invalid"
    assert "CONNECTED" in metadata["message"]
    assert session.closed


def test_logoff_returns_to_authentication_and_logon_works_again(ready: BoltSession) -> None:
    only(send(ready, LOGOFF), SUCCESS)
    assert ready.state is State.AUTHENTICATION
    only(send(ready, LOGON, AUTH), SUCCESS)
    assert ready.state is State.READY


def test_telemetry_is_acknowledged(ready: BoltSession) -> None:
    assert only(send(ready, TELEMETRY, 3), SUCCESS) == {}
    assert ready.state is State.READY


def test_auto_commit_run_and_pull_with_a_summary(ready: BoltSession) -> None:
    run = only(send(ready, RUN, LIST_THINGS, {}, {"db": "neo4j"}), SUCCESS)
    assert run["fields"] == ["name"] and isinstance(run["t_first"], int)
    assert "qid" not in run and "db" not in run
    replies = send(ready, PULL, {"n": 1000})
    assert [r.tag for r in replies] == [RECORD, RECORD, RECORD, SUCCESS]
    assert [r.fields[0] for r in replies[:3]] == [["a"], ["b"], ["c"]]
    summary = replies[-1].fields[0]
    assert summary["db"] == "neo4j" and summary["type"] == "r"
    assert summary["bookmark"].startswith("FB:")
    assert ready.state is State.READY


def test_bolt_5_8_reports_the_home_database_when_none_was_asked_for(ready: BoltSession) -> None:
    assert only(send(ready, RUN, "RETURN 1 AS x", {}, {}), SUCCESS)["db"] == "neo4j"


def test_pull_in_pages_keeps_the_cursor(ready: BoltSession) -> None:
    send(ready, RUN, LIST_THINGS, {}, {})
    first = send(ready, PULL, {"n": 2})
    assert [r.tag for r in first] == [RECORD, RECORD, SUCCESS]
    assert first[-1].fields[0] == {"has_more": True}
    assert ready.state is State.STREAMING
    rest = send(ready, PULL, {"n": 2})
    assert [r.fields[0] for r in rest[:-1]] == [["c"]]
    assert "has_more" not in rest[-1].fields[0]


def test_discard_skips_the_records_but_sends_the_summary(ready: BoltSession) -> None:
    send(ready, RUN, LIST_THINGS, {}, {})
    assert only(send(ready, DISCARD, {"n": 1}), SUCCESS) == {"has_more": True}
    summary = only(send(ready, DISCARD, {"n": -1}), SUCCESS)
    assert summary["type"] == "r" and "bookmark" in summary


def test_write_statistics_reach_the_summary(ready: BoltSession) -> None:
    send(ready, RUN, CREATE, things("d"), {})
    summary = only_summary(send(ready, PULL, {"n": -1}))
    assert summary["type"] == "rw"
    assert summary["stats"]["nodes-created"] == 1


def test_a_failure_sets_failed_and_everything_is_ignored_until_reset(ready: BoltSession) -> None:
    failure = only(send(ready, RUN, "RETURN 1", {}, {"db": "nowhere"}), FAILURE)
    assert failure["neo4j_code"] == "Neo.ClientError.Database.DatabaseNotFound"
    assert failure["gql_status"] == "22000"
    assert ready.state is State.FAILED
    for tag, fields in [(PULL, [{"n": 1000}]), (RUN, ["RETURN 1 AS x", {}, {}]), (BEGIN, [{}])]:
        assert [r.tag for r in send(ready, tag, *fields)] == [IGNORED]
    assert only(send(ready, RESET), SUCCESS) == {}
    assert ready.state is State.READY
    only(send(ready, RUN, "RETURN 1 AS x", {}, {}), SUCCESS)


def test_before_bolt_5_7_a_failure_carries_code_only() -> None:
    session = new_session(BoltVersion(5, 4))
    send(session, HELLO, {})
    send(session, LOGON, AUTH)
    failure = only(send(session, RUN, "RETURN 1", {}, {"db": "nowhere"}), FAILURE)
    assert set(failure) == {"code", "message"}
    assert failure["code"] == "Neo.ClientError.Database.DatabaseNotFound"


def test_an_explicit_transaction_numbers_its_results(ready: BoltSession) -> None:
    assert only(send(ready, BEGIN, {"db": "neo4j"}), SUCCESS) == {}
    first = only(send(ready, RUN, LIST_THINGS, {}, {}), SUCCESS)
    second = only(send(ready, RUN, "RETURN 'b' AS y", {}, {}), SUCCESS)
    assert (first["qid"], second["qid"]) == (0, 1)
    assert ready.state is State.TX_STREAMING
    assert [r.fields[0] for r in send(ready, PULL, {"n": -1, "qid": 0})[:-1]] == [
        ["a"],
        ["b"],
        ["c"],
    ]
    pulled = send(ready, PULL, {"n": -1})  # qid -1 or absent: the latest result
    assert pulled[0].fields[0] == ["b"] and "bookmark" not in pulled[-1].fields[0]
    assert ready.state is State.TX_READY
    assert only(send(ready, COMMIT), SUCCESS)["bookmark"].startswith("FB:")
    assert ready.state is State.READY


def test_rollback_undoes_the_transaction(ready: BoltSession) -> None:
    send(ready, BEGIN, {})
    send(ready, RUN, CREATE, things("d"), {})
    send(ready, PULL, {"n": -1})
    only(send(ready, ROLLBACK), SUCCESS)
    send(ready, RUN, COUNT_THINGS, {}, {})
    assert send(ready, PULL, {"n": -1})[0].fields[0] == [3]


def test_reset_rolls_back_an_open_transaction(ready: BoltSession) -> None:
    send(ready, BEGIN, {})
    send(ready, RUN, CREATE, things("d"), {})
    only(send(ready, RESET), SUCCESS)
    send(ready, RUN, COUNT_THINGS, {}, {})
    assert send(ready, PULL, {"n": -1})[0].fields[0] == [3]


def test_commit_outside_a_transaction_is_refused(ready: BoltSession) -> None:
    metadata = only(send(ready, COMMIT), FAILURE)
    assert metadata["neo4j_code"] == "Neo.ClientError.Request.Invalid"
    assert ready.state is State.FAILED


def test_an_unknown_message_and_a_wrong_field_count_are_refused(ready: BoltSession) -> None:
    assert "0x55" in only(send(ready, 0x55), FAILURE)["message"]
    send(ready, RESET)
    assert "takes 3 fields" in only(send(ready, RUN, "RETURN 1"), FAILURE)["message"]


def test_route_lists_this_server_for_every_role(ready: BoltSession) -> None:
    metadata = only(send(ready, ROUTE, {"address": "127.0.0.1:9999"}, [], {"db": "neo4j"}), SUCCESS)
    table = metadata["rt"]
    assert table["db"] == "neo4j" and table["ttl"] > 0
    assert sorted(s["role"] for s in table["servers"]) == ["READ", "ROUTE", "WRITE"]
    assert all(s["addresses"] == ["127.0.0.1:9999"] for s in table["servers"])


def test_route_without_a_database_names_the_home_database(ready: BoltSession) -> None:
    metadata = only(send(ready, ROUTE, {}, [], {}), SUCCESS)
    assert metadata["rt"]["db"] == "neo4j"
    assert metadata["rt"]["servers"][0]["addresses"] == ["localhost:7687"]


def test_route_to_a_missing_database_fails(ready: BoltSession) -> None:
    metadata = only(send(ready, ROUTE, {}, [], {"db": "nowhere"}), FAILURE)
    assert metadata["neo4j_code"] == "Neo.ClientError.Database.DatabaseNotFound"


def test_goodbye_closes_without_a_reply(ready: BoltSession) -> None:
    assert send(ready, GOODBYE) == []
    assert ready.closed


def test_an_injected_failure_is_sent_as_failure(ready: BoltSession) -> None:
    ready.faults.fail_next("RETURN 1", 1, "Neo.TransientError.General.DatabaseUnavailable", "down")
    metadata = only(send(ready, RUN, "RETURN 1 AS x", {}, {}), FAILURE)
    assert metadata["neo4j_code"] == "Neo.TransientError.General.DatabaseUnavailable"
    assert metadata["diagnostic_record"]["_classification"] == "TRANSIENT_ERROR"
    send(ready, RESET)
    only(send(ready, RUN, "RETURN 1 AS x", {}, {}), SUCCESS)  # count was 1


def test_latency_delays_each_statement(ready: BoltSession) -> None:
    ready.faults.set_latency(0.15)
    started = time.monotonic()
    send(ready, RUN, "RETURN 1 AS x", {}, {})
    assert time.monotonic() - started >= 0.15


def test_a_closing_connection_cuts_the_latency_short(ready: BoltSession) -> None:
    ready.faults.set_latency(30)
    threading.Timer(0.1, ready.interrupted.set).start()
    started = time.monotonic()
    with pytest.raises(ConnectionClosed, match="closed the connection"):
        ready.handle(RUN, ["RETURN 1 AS x", {}, {}])
    assert time.monotonic() - started < 5


def test_fault_procedures_are_answered_by_the_bolt_layer(ready: BoltSession) -> None:
    run = only(
        send(ready, RUN, "CALL sandbox.fault.latency($ms)", {"ms": 20}, {"db": "x"}), SUCCESS
    )
    assert run["fields"] == ["message"]
    send(ready, PULL, {"n": -1})
    assert ready.faults.latency == pytest.approx(0.02)
    send(ready, RUN, "CALL sandbox.fault.clear()", {}, {})
    send(ready, PULL, {"n": -1})
    assert ready.faults.latency == 0


def test_a_value_packstream_cannot_carry_fails_the_pull(ready: BoltSession) -> None:
    """A sandbox bug (a Python object in a result) must reach the client, not kill the socket."""
    from bgtui.sandbox.results import QueryResult

    def broken(query: str, parameters: dict[str, Any], connection_id: str) -> QueryResult:
        return QueryResult(["x"], [[object()]])

    ready.faults.intercept = broken  # type: ignore[method-assign]
    send(ready, RUN, "RETURN 1 AS x", {}, {})
    metadata = only(send(ready, PULL, {"n": -1}), FAILURE)
    assert metadata["neo4j_code"] == "Neo.DatabaseError.General.UnknownError"
