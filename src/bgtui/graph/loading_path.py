"""Choosing between the Arrow importer and Bolt for one load, and saying which and why.

``auto`` prefers Arrow and falls back to Bolt when there is no endpoint, pyarrow is missing,
the endpoint does not answer, or the snapshot does not fit the importer; each fallback is one
log line with its reason. ``arrow`` turns each of those into a failure instead.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgtui.domain.graph import GraphError, LoadReport, LogCallback, ProgressCallback
from bgtui.domain.loading import LoadOptions
from bgtui.domain.views import Level

if TYPE_CHECKING:
    from bgtui.graph.arrow_endpoint import ArrowEndpoint


def load_through_arrow(
    endpoint: ArrowEndpoint | None,
    database: str,
    snapshot_path: Path,
    options: LoadOptions,
    reader_options: Any,
    progress: ProgressCallback,
    log: LogCallback,
    cancel: threading.Event,
    *,
    required: bool,
) -> LoadReport | None:
    """Load through Arrow; None when Bolt should do it instead (only when not ``required``).

    Raises:
        GraphError: Arrow failed (the import was aborted), or is required and unusable.
        SnapshotFormatError: the snapshot has a bad value.
    """

    def unusable(reason: str) -> None:
        if required:
            raise GraphError(f"cannot load through Arrow (loading.method: arrow): {reason}")
        log(Level.INFO, f"loading over Bolt: {reason}")

    if endpoint is None:
        unusable("no Arrow endpoint is configured (neo4j.arrow)")
        return None
    try:
        from bgtui.graph.arrow_client import ArrowClient
        from bgtui.graph.arrow_loader import ArrowSnapshotLoader
        from bgtui.readers.arrow_stream import ArrowUnsuitable
    except ImportError:
        unusable("pyarrow is not installed (pip install 'bgtui[arrow]')")
        return None
    client = ArrowClient(endpoint, log)
    try:
        loader = ArrowSnapshotLoader(client, database, options, progress, log)
        try:
            stream = loader.open(snapshot_path, reader_options)
        except ArrowUnsuitable as exc:
            unusable(f"the snapshot does not fit the GDS Arrow importer: {exc}")
            return None
        try:
            client.connect()
        except GraphError as exc:
            if required:
                raise
            unusable(str(exc))
            return None
        log(Level.INFO, f"loading through the GDS Arrow endpoint at {endpoint.location}")
        return loader.load(stream, cancel)
    finally:
        client.close()
