"""Stream one snapshot into a fresh database, batch by batch, through the official driver.

The order follows Neo4j's advice on batched loading
(https://neo4j.com/docs/data-ingestion-guide/ingestion-methods/unwind/): a uniqueness constraint
per ID space first (so relationship
endpoints resolve by index seek), then nodes, then relationships, then the temporary ID labels
and properties come off and the constraints go. Every batch is one write transaction run with
``execute_write``, so a transient failure retries that batch alone. Only one batch is in memory
at a time, whatever the snapshot's size.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from bgtui.domain.graph import LoadReport, LogCallback, ProgressCallback
from bgtui.domain.loading import LoadOptions
from bgtui.domain.views import Level
from bgtui.graph import cypher, transactions
from bgtui.graph.errors import MEMORY_LIMIT_CODES, BadDataError, LoadCancelledError, translate
from bgtui.graph.load_progress import ProgressMeter
from bgtui.readers import ImportOptions, NodeBatch, RelationshipBatch, open_snapshot

T = TypeVar("T")

#: How many skipped rows a report keeps as examples for the log.
MAX_EXAMPLES = 10

#: Examples quoted in one log line or error message.
_EXAMPLES_PER_MESSAGE = 3

#: The smallest batch a memory-limit error may split down to; below it the load fails.
MIN_SPLIT_ROWS = 16


class _MemoryLimit(Exception):
    """A batch needed more transaction memory than Neo4j allows (see ``MEMORY_LIMIT_CODES``).

    Raised inside the transaction function, so the driver does not retry the same batch for
    its whole retry window (two of the three codes are transient): the loader splits it.
    """

    def __init__(self, error: neo4j_errors.Neo4jError) -> None:
        super().__init__(str(error))
        self.error = error


def _guarded(work: Callable[[neo4j.ManagedTransaction], T]) -> Callable[..., T]:
    def run(tx: neo4j.ManagedTransaction) -> T:
        try:
            return work(tx)
        except neo4j_errors.Neo4jError as exc:
            if exc.code in MEMORY_LIMIT_CODES:
                raise _MemoryLimit(exc) from exc
            raise

    return run


@dataclass
class _GroupTally:
    """What one file group has written so far, for its one log line."""

    kind: str  # "nodes" or "relationships"
    group: str
    written: int = 0
    skipped: int = 0
    examples: list[str] = field(default_factory=list)


class SnapshotLoader:
    """Loads one snapshot into one (empty, online) database.

    Args:
        driver: the driver to write through.
        address: the Neo4j URI, for error messages.
        database: the target database.
        options: batch size and bad-data policy.
        progress: receives throttled ``LoadProgress`` reports.
        log: receives milestone lines (one per file group, not per batch).
        clock: monotonic seconds; replaceable in tests.
        bookmark_manager: the chain the load joins, so that validation afterwards (and any
            copy in a cluster) reads what the load wrote; None for the session's own chain.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        address: str,
        database: str,
        options: LoadOptions,
        progress: ProgressCallback,
        log: LogCallback,
        clock: Callable[[], float] = time.monotonic,
        *,
        bookmark_manager: neo4j.api.BookmarkManager | None = None,
    ) -> None:
        if options.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._driver = driver
        self._address = address
        self._database = database
        self._options = options
        self._log = log
        self._clock = clock
        self._meter = ProgressMeter(progress, clock)
        self._report = LoadReport()
        self._spaces: dict[str, int] = {}
        self._tally: _GroupTally | None = None
        self._nodes_with_id = 0
        self._bookmark_manager = bookmark_manager
        self._row_cap = options.batch_size  # lowered when a batch exceeds transaction memory

    def load(self, snapshot_path: Path, reader_options: Any, cancel: threading.Event) -> LoadReport:
        """Write the snapshot; return what was written and skipped.

        Raises:
            SnapshotFormatError: the snapshot cannot be read (from the readers, unchanged).
            GraphError: Neo4j failed, the data broke a rule, or ``cancel`` was set.
        """
        started = self._clock()
        reader = open_snapshot(snapshot_path, reader_options or ImportOptions())
        reader.check()
        self._spaces = {name: index for index, name in enumerate(reader.id_spaces())}
        total = reader.estimated_rows()
        estimate = f"about {total:,} rows" if total is not None else "size unknown"
        self._log(
            Level.INFO,
            f"{reader.format} snapshot, {len(self._spaces)} ID space(s), {estimate}",
        )
        with self._driver.session(
            database=self._database, bookmark_manager=self._bookmark_manager
        ) as session:
            for index in self._spaces.values():
                self._write(session, transactions.consume(cypher.create_id_constraint(index)))
            size = self._options.batch_size
            self._meter.begin("nodes", total)
            for node_batch in reader.node_batches(size):
                self._stop_if_cancelled(cancel)
                self._load_nodes(session, node_batch)
            self._close_group()
            self._meter.begin("relationships", total, keep_count=True)
            for relationship_batch in reader.relationship_batches(size):
                self._stop_if_cancelled(cancel)
                self._load_relationships(session, relationship_batch)
            self._close_group()
            self._finalise(session, cancel)
        self._report.duration_seconds = self._clock() - started
        return self._report

    # --- nodes -------------------------------------------------------------------------------

    def _load_nodes(self, session: neo4j.Session, batch: NodeBatch) -> None:
        self._open_group("nodes", batch.group)
        space = self._space_index(batch.id_space) if batch.id_space is not None else None
        created: transactions.NodesCreated = {}
        for part in self._split(batch.rows, lambda rows: self._node_rows(session, batch, rows)):
            for labels, count in part.items():
                created[labels] = created.get(labels, 0) + count
        for labels, count in created.items():
            for label in labels:
                self._report.nodes_by_label[label] = (
                    self._report.nodes_by_label.get(label, 0) + count
                )
            self._report.nodes += count
            self._tally_written(count)
            if space is not None:
                self._nodes_with_id += count
        self._meter.advance(len(batch.rows))

    def _node_rows(
        self, session: neo4j.Session, batch: NodeBatch, rows: list[Any]
    ) -> transactions.NodesCreated:
        """Write some rows of a node batch (all of them unless memory limits split it)."""
        space = self._space_index(batch.id_space) if batch.id_space is not None else None
        try:
            work = transactions.create_nodes(rows, space, skipping=False)
            return self._write(session, work, keep_constraint_errors=space is not None)
        except neo4j_errors.ConstraintError as exc:
            assert space is not None  # only ID spaces have constraints
            return self._load_nodes_with_duplicates(session, batch, space, exc, rows)

    def _load_nodes_with_duplicates(
        self,
        session: neo4j.Session,
        batch: NodeBatch,
        space: int,
        error: neo4j_errors.ConstraintError,
        rows: list[Any] | None = None,
    ) -> transactions.NodesCreated:
        """The rows repeat an id (within themselves or from an earlier batch of the ID space)."""
        rows = batch.rows if rows is None else rows
        unique, repeated = transactions.first_of_each_id(rows)
        if not self._options.skip_duplicate_nodes:
            if repeated:
                duplicate = repr(repeated[0].id)
            else:
                existing_ids = self._existing_ids(session, space, [row.id for row in rows])
                duplicate = repr(existing_ids[0]) if existing_ids else f"({error.message})"
            raise BadDataError(
                f"duplicate node id {duplicate} in {_space_description(batch.id_space)} "
                f"(group '{batch.group}', {batch.source}); set skip_duplicate_nodes to keep "
                "the first node with an id and skip the others"
            )
        existing: list[Any] = []
        if len(self._report.examples) < MAX_EXAMPLES:  # naming them costs a query; only for the log
            existing = self._existing_ids(session, space, [row.id for row in unique])
        created = self._write(session, transactions.create_nodes(unique, space, skipping=True))
        skipped = len(rows) - sum(created.values())
        skipped_ids = [row.id for row in repeated] + existing
        self._count_bad(
            skipped,
            [
                f"group '{batch.group}': duplicate node id {node_id!r} skipped"
                for node_id in skipped_ids[:MAX_EXAMPLES]
            ],
            duplicates=True,
        )
        return created

    def _existing_ids(self, session: neo4j.Session, space: int, ids: list[Any]) -> list[Any]:
        """Which of ``ids`` already exist in the ID space.

        ``find_missing_endpoints`` answers the opposite question for relationship rows; asking
        it about rows whose start and end are the same id needs no extra catalogue statement.
        """
        rows = [{"start": node_id, "end": node_id} for node_id in ids]
        statement = cypher.find_missing_endpoints(space, space)

        def work(tx: neo4j.ManagedTransaction) -> list[Any]:
            return [record["start"] for record in tx.run(statement, rows=rows)]

        missing = set(self._read(session, work))
        return [node_id for node_id in ids if node_id not in missing]

    # --- relationships -----------------------------------------------------------------------

    def _load_relationships(self, session: neo4j.Session, batch: RelationshipBatch) -> None:
        self._open_group("relationships", batch.group)
        start = self._spaces.get(batch.start_space)
        end = self._spaces.get(batch.end_space)
        if start is None or end is None:
            undeclared = batch.start_space if start is None else batch.end_space
            self._bad_relationships(
                batch,
                len(batch.rows),
                [
                    f"{_path(row.start, row.end, row.type, batch)}: "
                    f"{_space_description(undeclared)} has no nodes"
                    for row in batch.rows[:_EXAMPLES_PER_MESSAGE]
                ],
            )
            self._meter.advance(len(batch.rows))
            return
        written: transactions.RelationshipsWritten = {}
        for part in self._split(
            batch.rows,
            lambda rows: self._write(session, transactions.create_relationships(rows, start, end)),
        ):
            for rel_type, (sent, count, missing) in part.items():
                before = written.get(rel_type, (0, 0, []))
                written[rel_type] = (before[0] + sent, before[1] + count, before[2] + missing)
        bad = 0
        examples: list[str] = []
        for rel_type, (sent, count, missing) in written.items():
            self._report.relationships_by_type[rel_type] = (
                self._report.relationships_by_type.get(rel_type, 0) + count
            )
            self._report.relationships += count
            self._tally_written(count)
            bad += sent - count
            examples += [_describe_missing(record, rel_type, batch) for record in missing]
        if bad:
            self._bad_relationships(batch, bad, examples)
        self._meter.advance(len(batch.rows))

    def _bad_relationships(self, batch: RelationshipBatch, bad: int, examples: list[str]) -> None:
        if not self._options.skip_bad_relationships:
            shown = "; ".join(examples[:_EXAMPLES_PER_MESSAGE])
            raise BadDataError(
                f"{bad:,} relationship(s) in group '{batch.group}' ({batch.source}) refer to "
                f"missing nodes, e.g. {shown}; set skip_bad_relationships to skip them"
            )
        self._count_bad(bad, examples, duplicates=False)

    # --- bad entries -------------------------------------------------------------------------

    def _count_bad(self, count: int, examples: list[str], *, duplicates: bool) -> None:
        """Account for skipped rows and stop once more than ``bad_tolerance`` were skipped."""
        if duplicates:
            self._report.skipped_duplicates += count
        else:
            self._report.bad_relationships += count
        room = MAX_EXAMPLES - len(self._report.examples)
        self._report.examples += examples[: max(0, room)]
        if self._tally is not None:
            self._tally.skipped += count
            self._tally.examples += examples[: _EXAMPLES_PER_MESSAGE - len(self._tally.examples)]
        tolerance = self._options.bad_tolerance
        skipped = self._report.skipped_duplicates + self._report.bad_relationships
        if tolerance >= 0 and skipped > tolerance:
            raise BadDataError(
                f"{skipped:,} bad entries skipped, more than the tolerance of {tolerance:,} "
                f"(e.g. {'; '.join(self._report.examples[:_EXAMPLES_PER_MESSAGE])}); "
                "fix the snapshot or raise bad_tolerance"
            )

    # --- finishing ---------------------------------------------------------------------------

    def _finalise(self, session: neo4j.Session, cancel: threading.Event) -> None:
        """Drop the ID-space constraints, then strip the temporary labels and properties.

        Every relationship is in by now, so the unique indexes have done their job; dropping
        them first spares the strip from updating an index on every removal (a constraint
        is backed by an index that Neo4j maintains on every change,
        https://neo4j.com/docs/cypher-manual/current/constraints/managing-constraints/).
        """
        self._meter.begin("finalising", self._nodes_with_id)
        for index in self._spaces.values():
            self._write(session, transactions.consume(cypher.drop_id_constraint(index)))
        for index in self._spaces.values():
            while True:
                self._stop_if_cancelled(cancel)
                done = self._strip(session, index)
                if not done:
                    break
                self._meter.advance(done)
        if self._spaces:
            self._log(
                Level.INFO,
                f"removed the temporary ID labels from {self._meter.rows_done:,} nodes "
                f"and dropped {len(self._spaces)} constraint(s)",
            )

    def _strip(self, session: neo4j.Session, index: int) -> int:
        """One strip transaction, halving its size while it exceeds transaction memory."""
        while True:
            work = transactions.single_count(
                cypher.strip_id_space(index), "done", limit=self._row_cap
            )
            try:
                return self._write(session, work)
            except _MemoryLimit as exc:
                self._shrink(self._row_cap, exc)

    # --- memory limits -----------------------------------------------------------------------

    def _split(self, rows: list[Any], write: Callable[[list[Any]], T]) -> list[T]:
        """Write ``rows`` in pieces of at most the current cap, halving a piece that exceeds
        Neo4j's transaction memory until it fits (or reaches ``MIN_SPLIT_ROWS``).

        A batch that does not fit fails the same way on every retry, so retrying it, or
        reloading the whole snapshot, cannot help; smaller transactions can.
        """
        results: list[T] = []
        pending = [rows[at : at + self._row_cap] for at in range(0, len(rows), self._row_cap)]
        while pending:
            piece = pending.pop(0)
            try:
                results.append(write(piece))
            except _MemoryLimit as exc:
                half = self._shrink(len(piece), exc)
                pending[:0] = [piece[at : at + half] for at in range(0, len(piece), half)]
        return results

    def _shrink(self, size: int, exc: _MemoryLimit) -> int:
        """The halved size after a memory-limit error, logged; raises below the floor."""
        half = (size + 1) // 2
        if size <= MIN_SPLIT_ROWS:
            raise translate(exc.error, self._address, database=self._database) from exc
        if half < self._row_cap:
            self._row_cap = half
            self._log(
                Level.WARNING,
                f"a transaction of {size:,} rows exceeded Neo4j's transaction memory "
                f"({exc.error.code}); writing {half:,} rows per transaction from now on",
            )
        return half

    def _stop_if_cancelled(self, cancel: threading.Event) -> None:
        if cancel.is_set():
            raise LoadCancelledError(
                f"load into '{self._database}' cancelled after {self._report.nodes:,} nodes "
                f"and {self._report.relationships:,} relationships"
            )

    # --- group log lines ---------------------------------------------------------------------

    def _open_group(self, kind: str, group: str) -> None:
        if self._tally is not None and (self._tally.kind, self._tally.group) == (kind, group):
            return
        self._close_group()
        self._tally = _GroupTally(kind, group)

    def _close_group(self) -> None:
        tally, self._tally = self._tally, None
        if tally is None:
            return
        line = f"{tally.kind} group '{tally.group}': {tally.written:,} written"
        if not tally.skipped:
            self._log(Level.INFO, line)
            return
        what = "duplicate ids" if tally.kind == "nodes" else "missing nodes"
        shown = "; ".join(tally.examples)
        self._log(Level.WARNING, f"{line}, {tally.skipped:,} skipped ({what}), e.g. {shown}")

    def _tally_written(self, count: int) -> None:
        if self._tally is not None:
            self._tally.written += count

    # --- plumbing ----------------------------------------------------------------------------

    def _space_index(self, name: str) -> int:
        try:
            return self._spaces[name]
        except KeyError:
            raise BadDataError(
                f"{_space_description(name)} was not declared when the snapshot was opened"
            ) from None

    def _write(
        self,
        session: neo4j.Session,
        work: Callable[[neo4j.ManagedTransaction], T],
        *,
        keep_constraint_errors: bool = False,
    ) -> T:
        """One write transaction; the driver retries it on transient failures.

        ``keep_constraint_errors`` lets a ``ConstraintError`` through untranslated, for the
        node path, which decides what a duplicate id means.
        """
        try:
            return session.execute_write(_guarded(work))
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            if keep_constraint_errors and isinstance(exc, neo4j_errors.ConstraintError):
                raise
            raise translate(exc, self._address, database=self._database) from exc

    def _read(self, session: neo4j.Session, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        try:
            return session.execute_read(work)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise translate(exc, self._address, database=self._database) from exc


# --- messages --------------------------------------------------------------------------------


def _space_description(name: str | None) -> str:
    return "the global ID space" if not name else f"ID space '{name}'"


def _path(start: Any, end: Any, rel_type: str, batch: RelationshipBatch) -> str:
    """A relationship row as neo4j-admin's bad-relationship log shows it."""
    return (
        f"({start!r}:{batch.start_space or 'global'})-[:{rel_type}]->"
        f"({end!r}:{batch.end_space or 'global'})"
    )


def _describe_missing(record: dict[str, Any], rel_type: str, batch: RelationshipBatch) -> str:
    start, end = record["start"], record["end"]
    flagged = ((start, record["startMissing"]), (end, record["endMissing"]))
    absent = " and ".join(repr(node_id) for node_id, missing in flagged if missing)
    return f"{_path(start, end, rel_type, batch)} refers to missing node {absent}"
