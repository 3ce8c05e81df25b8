"""How the loader splits a batch into statements: one per label set or type, all in one go."""

from __future__ import annotations

from typing import Any

from bgtui.graph import cypher, transactions
from bgtui.readers.model import NodeRow, RelationshipRow


class RecordingTransaction:
    """Stands in for a managed transaction: records statements, answers a fixed count.

    Only the partitioning is under test here; the statements themselves run against the
    sandbox through the real driver in the integration tests.
    """

    def __init__(self, created: int | None = None, missing: list[dict[str, Any]] | None = None):
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self._created = created
        self._missing = missing or []

    def run(self, statement: str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        params = {**(parameters or {}), **kwargs}
        self.sent.append((statement, params))
        return _Result(statement, params, self._created, self._missing)


class _Result:
    def __init__(
        self, statement: str, params: dict[str, Any], created: int | None, missing: list[Any]
    ):
        self._rows = params.get("rows", [])
        self._created = len(self._rows) if created is None else created
        self._records = [_Record(row) for row in missing] if "OPTIONAL MATCH" in statement else []

    def single(self, strict: bool = False) -> dict[str, int]:
        return {"created": self._created}

    def __iter__(self) -> Any:
        return iter(self._records)


class _Record:
    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def data(self) -> dict[str, Any]:
        return dict(self._values)


def node(node_id: str, *labels: str, **props: Any) -> NodeRow:
    return NodeRow(node_id, labels, props)


def test_one_statement_per_label_set_whatever_the_label_order() -> None:
    rows = [
        node("1", "Person", "Actor", name="Ada"),
        node("2", "Actor", "Person", name="Alan"),
        node("3", "Person", name="Grace"),
    ]
    tx = RecordingTransaction()
    created = transactions.create_nodes(rows, 0, skipping=False)(tx)

    assert created == {("Actor", "Person"): 2, ("Person",): 1}
    statements = [statement for statement, _ in tx.sent]
    assert statements == [
        cypher.create_nodes(["Actor", "Person"], 0),
        cypher.create_nodes(["Person"], 0),
    ]
    assert tx.sent[0][1]["rows"] == [
        {"id": "1", "props": {"name": "Ada"}},
        {"id": "2", "props": {"name": "Alan"}},
    ]


def test_the_skipping_variant_is_used_only_when_asked() -> None:
    tx = RecordingTransaction()
    transactions.create_nodes([node("1", "Person")], 2, skipping=True)(tx)
    assert tx.sent[0][0] == cypher.create_nodes_skipping_duplicates(["Person"], 2)


def test_relationships_are_split_by_type_and_missing_endpoints_asked_only_when_short() -> None:
    rows = [
        RelationshipRow("1", "2", "KNOWS", {"since": 1936}),
        RelationshipRow("1", "9", "LIKES", {}),
        RelationshipRow("2", "3", "KNOWS", {}),
    ]
    complete = RecordingTransaction()
    written = transactions.create_relationships(rows, 0, 0)(complete)
    assert written == {"KNOWS": (2, 2, []), "LIKES": (1, 1, [])}
    assert len(complete.sent) == 2

    missing = {"start": "1", "end": "9", "startMissing": False, "endMissing": True}
    short = RecordingTransaction(created=0, missing=[missing])
    written = transactions.create_relationships(rows[1:2], 0, 0)(short)
    assert written == {"LIKES": (1, 0, [missing])}
    assert short.sent[1][0] == cypher.find_missing_endpoints(0, 0)


def test_first_of_each_id_keeps_the_first_row_and_returns_the_repeats() -> None:
    rows = [node("1", "A", n=1), node("2", "A"), node("1", "A", n=2), node("1", "B", n=3)]
    unique, repeated = transactions.first_of_each_id(rows)
    assert unique == rows[:2]
    assert repeated == rows[2:]
