"""A Parquet snapshot as the replaced pipeline writes it, read as streamed batches of rows.

``nodes/<Label>/*.parquet`` hold (node id, labels as a comma-separated string, properties…)
and ``relationships/<TYPE>/*.parquet`` hold (source id, target id, type, properties…).
Columns are found by position, because their names vary between producers; property names
are the remaining column names. Node ids form one global ID space. pyarrow is an optional
extra, imported only when a Parquet snapshot is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from bgtui.domain.names import IDENTIFIER_PATTERN, identifier_problem
from bgtui.readers.csv.groups import is_marker, natural_key
from bgtui.readers.errors import MissingExtraError, ParquetFormatError, SnapshotFormatError
from bgtui.readers.model import (
    GLOBAL_ID_SPACE,
    NodeBatch,
    NodeRow,
    RelationshipBatch,
    RelationshipRow,
)
from bgtui.readers.sources import SourceSpans
from bgtui.readers.value_problem import ValueProblem

#: Leading columns before the properties: (id, labels) and (source, target, type).
_LEADING = {"nodes": 2, "relationships": 3}
_NAME_RULE = "letters, digits and underscores, starting with a letter or underscore"


def load_pyarrow() -> ModuleType:
    """``pyarrow.parquet``, or an error that says how to install it."""
    try:
        import pyarrow.parquet
    except ImportError as exc:
        raise MissingExtraError(
            "this snapshot is in Parquet, which needs pyarrow: pip install 'bgtui[parquet]'"
        ) from exc
    return pyarrow.parquet


def parquet_folders(root: Path, kind: str) -> list[tuple[str, list[Path]]]:
    """``(folder name, files in numeric order)`` for each folder in ``<root>/<kind>/``.

    Raises:
        SnapshotFormatError: a data file outside a folder, or a non-Parquet file inside one.
    """
    base = root / kind
    if not base.is_dir():
        return []
    folders = []
    for folder in sorted(base.iterdir(), key=lambda item: natural_key(item.name)):
        if is_marker(folder):
            continue
        relative = folder.relative_to(root).as_posix()
        if not folder.is_dir():
            raise SnapshotFormatError(
                f"{relative} is not in a folder; Parquet snapshots keep files in "
                f"{kind}/<{'Label' if kind == 'nodes' else 'TYPE'}>/"
            )
        files = []
        for path in sorted(folder.iterdir(), key=lambda item: natural_key(item.name)):
            if is_marker(path):
                continue
            if path.is_dir() or not path.name.lower().endswith(".parquet"):
                raise SnapshotFormatError(
                    f"{path.relative_to(root).as_posix()} is not a .parquet file; remove it, "
                    "or start its name with '_' if it is not data"
                )
            files.append(path)
        folders.append((folder.name, files))
    return folders


class ParquetSnapshotReader:
    """Reads one Parquet snapshot; see ``SnapshotReader`` for the contract."""

    format = "parquet"

    def __init__(self, root: Path) -> None:
        self._root = root
        self._pq = load_pyarrow()
        from bgtui.readers.parquet import arrow_values

        self._arrow = arrow_values
        self._folders = {kind: parquet_folders(root, kind) for kind in _LEADING}

    def id_spaces(self) -> list[str]:
        has_nodes = any(files for _, files in self._folders["nodes"])
        return [GLOBAL_ID_SPACE] if has_nodes else []

    def estimated_rows(self) -> int | None:
        total = 0
        for folders in self._folders.values():
            for _, files in folders:
                for path in files:
                    total += int(self._open(path).metadata.num_rows)
        return total

    def check(self) -> None:
        for kind, folders in self._folders.items():
            for _, files in folders:
                for path in files:
                    self._check_schema(kind, path, self._open(path).schema_arrow)

    def node_batches(self, batch_size: int) -> Iterator[NodeBatch]:
        for folder, files in self._folders["nodes"]:
            for rows, source in self._batches("nodes", folder, files, batch_size):
                yield NodeBatch(folder, GLOBAL_ID_SPACE, rows, source)

    def relationship_batches(self, batch_size: int) -> Iterator[RelationshipBatch]:
        for folder, files in self._folders["relationships"]:
            for rows, source in self._batches("relationships", folder, files, batch_size):
                yield RelationshipBatch(folder, GLOBAL_ID_SPACE, GLOBAL_ID_SPACE, rows, source)

    # --- reading -----------------------------------------------------------------------------

    def _open(self, path: Path) -> Any:
        try:
            return self._pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError and more
            raise ParquetFormatError(
                self._relative(path), f"not a readable Parquet file ({exc})"
            ) from exc

    def _check_schema(self, kind: str, path: Path, schema: Any) -> None:
        relative = self._relative(path)
        leading = _LEADING[kind]
        if len(schema) < leading:
            expected = "node id and labels" if kind == "nodes" else "source id, target id and type"
            raise ParquetFormatError(
                relative, f"expected at least {leading} columns ({expected}), got {len(schema)}"
            )
        for position in range(leading):
            field = schema.field(position)
            is_text = position == leading - 1
            fits = (
                self._arrow.is_text_type(field.type)
                if is_text
                else self._arrow.is_id_type(field.type)
            )
            if not fits:
                wanted = "strings" if is_text else "integers or strings"
                raise ParquetFormatError(
                    relative,
                    f"column {position + 1} should hold {wanted}, it holds {field.type}",
                    column_name=field.name,
                )
        names = [schema.field(index).name for index in range(leading, len(schema))]
        for index, name in enumerate(names, start=leading):
            field = schema.field(index)
            problem = self._arrow.unsupported(field.type)
            if problem:
                raise ParquetFormatError(relative, problem, column_name=name)
            if names.count(name) > 1:
                raise ParquetFormatError(
                    relative, "the property name is used by more than one column", column_name=name
                )

    def _batches(
        self, kind: str, folder: str, files: list[Path], batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        rows: list[Any] = []
        spans = SourceSpans("row")
        for path in files:
            relative = self._relative(path)
            parquet = self._open(path)
            self._check_schema(kind, path, parquet.schema_arrow)
            offset = 0
            try:
                batches = parquet.iter_batches(batch_size=batch_size)
                for record_batch in batches:
                    for row in self._rows(kind, folder, relative, record_batch, offset):
                        rows.append(row)
                        offset += 1
                        spans.note(relative, offset, offset)
                        if len(rows) >= batch_size:
                            yield rows, spans.text()
                            rows, spans = [], SourceSpans("row")
            except SnapshotFormatError:
                raise
            except (OSError, ValueError, NotImplementedError) as exc:  # pyarrow's read errors
                raise ParquetFormatError(
                    relative, f"cannot be read ({exc})", row=offset + 1
                ) from exc
        if rows:
            yield rows, spans.text()

    def _rows(
        self, kind: str, folder: str, relative: Path, batch: Any, offset: int
    ) -> Iterator[Any]:
        names = batch.schema.names
        columns = []
        for index, column in enumerate(batch.columns):
            try:
                columns.append(self._arrow.python_values(column))
            except ValueProblem as problem:
                raise ParquetFormatError(relative, str(problem), column_name=names[index]) from None
        leading = _LEADING[kind]
        properties = list(zip(names[leading:], columns[leading:], strict=True))
        checker = _NameChecker(folder, relative, names[leading - 1])
        for index in range(batch.num_rows):
            row_number = offset + index + 1
            values: dict[str, Any] = {}
            for name, column in properties:
                value = column[index]
                if value is None:
                    continue
                if isinstance(value, list):
                    if not value:
                        continue  # empty lists are not stored, as with CSV arrays
                    if any(item is None for item in value):
                        raise ParquetFormatError(
                            relative,
                            "a list holds a null, which Neo4j cannot store",
                            row=row_number,
                            column_name=name,
                        )
                values[name] = value
            first = _endpoint(columns[0][index], relative, row_number, names[0])
            if kind == "nodes":
                labels = checker.names(columns[1][index], row_number, split=True)
                yield NodeRow(first, labels, values)
            else:
                second = _endpoint(columns[1][index], relative, row_number, names[1])
                rel_type = checker.names(columns[2][index], row_number, split=False)[0]
                yield RelationshipRow(first, second, rel_type, values)

    def _relative(self, path: Path) -> Path:
        return path.relative_to(self._root)


class _NameChecker:
    """Labels (comma-separated) or a type, with the folder name when the value is empty."""

    def __init__(self, folder: str, relative: Path, column_name: str) -> None:
        self._folder = folder
        self._relative = relative
        self._column = column_name
        self._known: dict[str, tuple[str, ...]] = {}

    def names(self, raw: str | None, row: int, *, split: bool) -> tuple[str, ...]:
        key = raw or ""
        known = self._known.get(key)
        if known is not None:
            return known
        parts = key.split(",") if split else [key]
        names = tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))
        what = "label" if split else "relationship type"
        if not names:
            names = (self._folder,)
            if not IDENTIFIER_PATTERN.match(self._folder):
                raise ParquetFormatError(
                    self._relative,
                    f"the {what} is empty and the folder name {self._folder!r} is not an "
                    f"allowed {what} ({_NAME_RULE})",
                    row=row,
                    column_name=self._column,
                )
        for name in names:
            problem = identifier_problem(name)
            if problem:
                raise ParquetFormatError(
                    self._relative,
                    f"{name[:80]!r} is not an allowed {what} ({problem})",
                    row=row,
                    column_name=self._column,
                )
        if len(self._known) < 4096:
            self._known[key] = names
        return names


def _endpoint(value: Any, relative: Path, row: int, column_name: str) -> str | int:
    if value is None or value == "":
        raise ParquetFormatError(relative, "the id is empty", row=row, column_name=column_name)
    return value
