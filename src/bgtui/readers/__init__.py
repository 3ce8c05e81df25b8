"""Reading snapshots: the neo4j-admin CSV import format and the Parquet layout, as batches.

``open_snapshot`` picks the format per snapshot folder; both readers hand the loader the same
plain rows (``NodeBatch``, ``RelationshipBatch``) and raise ``SnapshotFormatError`` with the
file, line and column of anything they cannot read.
"""

from bgtui.readers.errors import (
    CsvFormatError,
    MissingExtraError,
    ParquetFormatError,
    SnapshotFormatError,
)
from bgtui.readers.model import (
    GLOBAL_ID_SPACE,
    ImportOptions,
    NodeBatch,
    NodeRow,
    RelationshipBatch,
    RelationshipRow,
    SnapshotReader,
)
from bgtui.readers.opening import detect_format, open_snapshot

__all__ = [
    "GLOBAL_ID_SPACE",
    "CsvFormatError",
    "ImportOptions",
    "MissingExtraError",
    "NodeBatch",
    "NodeRow",
    "ParquetFormatError",
    "RelationshipBatch",
    "RelationshipRow",
    "SnapshotFormatError",
    "SnapshotReader",
    "detect_format",
    "open_snapshot",
]
