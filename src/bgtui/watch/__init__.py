"""Finding complete snapshots on disk: watchdog events, a polling fallback, readiness rules."""

from bgtui.watch.discovery import Discovery
from bgtui.watch.observer import SnapshotWatcher
from bgtui.watch.readiness import Readiness, check_readiness
from bgtui.watch.scanner import SnapshotFolder, find_snapshot_folders, scan

__all__ = [
    "Discovery",
    "Readiness",
    "SnapshotFolder",
    "SnapshotWatcher",
    "check_readiness",
    "find_snapshot_folders",
    "scan",
]
