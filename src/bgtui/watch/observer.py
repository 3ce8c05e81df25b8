"""The snapshot watcher: inotify events (watchdog) or its own polling, and a single decision thread.

Every wake-up — a debounced file event, a poll, a settle timer, ``rescan()`` — runs one full look
at the base path (``scanner``) and judges the folders not yet reported ready. A file event also
wakes the thread at once for a short look at just the folder it touched: when that folder holds
the producer's marker or manifest it is judged there and then, with no debounce (debounce and
settle only matter for snapshots judged by quiet time). One thread owns all decisions, so a
snapshot is reported ready exactly once, however many events or polls saw it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from bgtui.config.settings import Settings, SnapshotSettings
from bgtui.watch.discovery import Discovery
from bgtui.watch.fs_events import CHANGE_EVENTS, ChangeHandler, FolderKey
from bgtui.watch.manifest import CachingDigest
from bgtui.watch.readiness import WallClock, announces_completion
from bgtui.watch.scanner import (
    SnapshotFolder,
    find_snapshot_folder,
    find_snapshot_folders,
    inspect,
    is_staging_name,
)

log = logging.getLogger(__name__)

# watchdog's inotify code warns when a folder created with its parents races its own recursive
# watch set-up; the watch is replaced and nothing is lost, but a stray warning would land on the
# console's screen.
warnings.filterwarnings(
    "ignore", message="Callback with id", category=RuntimeWarning, module="watchdog"
)

EVENTS, POLLING = "events", "polling"
#: With events, a full look still runs this often: inotify can overflow, and it never sees
#: changes made on another machine of a network filesystem (use ``watch: polling`` there).
SAFETY_RESCAN_SECONDS = 60.0
#: How often a missing base path is looked for (at most; ``poll_interval`` if shorter).
BASE_WAIT_SECONDS = 1.0


class NativeEventsUnavailable(OSError):
    """watchdog has no kernel-backed observer on this platform (it would poll by itself)."""


class SnapshotWatcher:
    """Reports snapshot folders under ``base_path`` to ``on_discovery``.

    Each folder is reported when first seen (ready or not, so the UI can show it), whenever its
    verdict changes (not ready → ready, a problem found or cleared), and once ready never again.
    ``on_discovery`` is called on the watcher's own thread (``bgtui-watch``), never the caller's:
    the engine hands each discovery to its event loop. ``clock`` is wall-clock time for comparing
    with file modification times. ``settings`` may be the whole ``Settings`` or just its
    ``snapshots`` part.

    ``mode`` is ``"events"`` while inotify drives it and ``"polling"`` otherwise; ``watch: auto``
    or ``events`` fall back to polling when inotify cannot start (for instance the watch limit).
    """

    def __init__(
        self,
        base_path: Path | str,
        settings: Settings | SnapshotSettings,
        on_discovery: Callable[[Discovery], None],
        *,
        clock: WallClock = time.time,
        safety_rescan: float = SAFETY_RESCAN_SECONDS,
    ) -> None:
        self.base_path = Path(base_path).absolute()
        self.settings = settings.snapshots if isinstance(settings, Settings) else settings
        self.mode = POLLING if self.settings.watch == POLLING else EVENTS
        self._on_discovery = on_discovery
        self._clock = clock
        self._safety_rescan = safety_rescan
        self._digest = CachingDigest()
        self._cond = threading.Condition()
        self._events: dict[FolderKey, float] = {}  # folder -> monotonic time of its last change
        self._touched: set[FolderKey] = set()  # changed since the last look; checked at once
        self._look_due = 0.0
        self._recheck_due: float | None = None
        self._paused = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._observer: BaseObserver | None = None
        self._watch: ObservedWatch | None = None
        self._watch_lost = False
        # Owned by the watcher thread alone.
        self._verdicts: dict[str, tuple[bool, str | None]] = {}
        self._ready: set[str] = set()
        self._listing: list[SnapshotFolder] = []  # the last full look, for name collisions

    # ---- control (any thread) --------------------------------------------------------------

    def start(self) -> None:
        """Start watching; the first look runs at once on the watcher thread."""
        if self._thread is not None:
            raise RuntimeError("this watcher was already started")
        if self.mode == EVENTS:
            self._attach_events()
        self._thread = threading.Thread(target=self._run, name="bgtui-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop both threads; safe to call more than once."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._stop_observer()

    def pause(self) -> None:
        """Report nothing until ``resume()``; changes seen meanwhile are looked at then."""
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._look_due = 0.0
            self._cond.notify_all()

    def rescan(self) -> None:
        """Look at the whole base path now (an operator asked, or after a pause)."""
        with self._cond:
            self._look_due = 0.0
            self._cond.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    # ---- inotify ---------------------------------------------------------------------------

    def _attach_events(self) -> None:
        """Start watchdog on the base path, or fall back to polling when it cannot."""
        if not self.base_path.is_dir():
            return  # waited for by the looks; attached when it appears
        try:
            if self._observer is None:
                observer = Observer()
                if isinstance(observer, PollingObserver):
                    raise NativeEventsUnavailable("no inotify on this platform")
                observer.daemon = True
                observer.start()
                self._observer = observer
            handler = ChangeHandler(self.base_path, self._changed, self._base_deleted)
            self._watch = self._observer.schedule(
                handler, str(self.base_path), recursive=True, event_filter=CHANGE_EVENTS
            )
            self._watch_lost = False
        except OSError as exc:
            self._stop_observer()
            self.mode = POLLING
            level = logging.WARNING if self.settings.watch == EVENTS else logging.INFO
            log.log(
                level,
                "inotify unavailable (%s); scanning every %.1fs instead",
                exc,
                self.settings.poll_interval,
            )

    def _detach_events(self) -> None:
        if self._observer is not None and self._watch is not None:
            # KeyError/OSError: the emitter already stopped (its folder was deleted).
            with contextlib.suppress(KeyError, OSError):
                self._observer.unschedule(self._watch)
        self._watch = None

    def _stop_observer(self) -> None:
        observer, self._observer, self._watch = self._observer, None, None
        if observer is not None:
            observer.stop()
            if observer.is_alive():
                observer.join(timeout=5)

    def _changed(self, key: FolderKey) -> None:
        """A change under ``key`` (watchdog's thread): look again once it has been quiet."""
        with self._cond:
            self._events[key] = time.monotonic()
            if key[0]:
                self._touched.add(key)
            self._cond.notify_all()

    def _base_deleted(self) -> None:
        with self._cond:
            self._watch_lost = True
            self._cond.notify_all()

    # ---- the watcher thread ----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                now = self._wait_until_due()
                if now is None:
                    return
                touched, self._touched = self._touched, set()
                full = self._full_look_due(now)
                recent = self._take_recent(now)
            try:
                if full:
                    self._look(recent, now)
                else:
                    self._look_at(touched)
            except Exception:
                log.exception("looking at %s failed; trying again shortly", self.base_path)
                with self._cond:
                    self._look_due = time.monotonic() + self._interval()

    def _wait_until_due(self) -> float | None:
        """Block (holding the condition) until a look is due; None when stopping."""
        while not self._stopping:
            now = time.monotonic()
            due = self._next_due()
            if not self._paused and due <= now:
                return now
            self._cond.wait(None if self._paused else due - now)
        return None

    def _next_due(self) -> float:
        if self._touched:
            return 0.0
        return self._full_look_at()

    def _full_look_at(self) -> float:
        debounce = self.settings.debounce
        candidates = [self._look_due, *(t + debounce for t in self._events.values())]
        if self._recheck_due is not None:
            candidates.append(self._recheck_due)
        return min(candidates)

    def _full_look_due(self, now: float) -> bool:
        return self._full_look_at() <= now

    def _take_recent(self, now: float) -> set[FolderKey]:
        """Forget changes that have been quiet for ``debounce``; return those still settling."""
        debounce = self.settings.debounce
        self._events = {key: t for key, t in self._events.items() if t + debounce > now}
        return set(self._events)

    def _interval(self) -> float:
        return self.settings.poll_interval if self.mode == POLLING else self._safety_rescan

    def _look(self, recent: set[FolderKey], now: float) -> None:
        if not self.base_path.is_dir():
            self._detach_events()
            with self._cond:
                self._look_due = now + min(self.settings.poll_interval, BASE_WAIT_SECONDS)
                self._recheck_due = None
            return
        if self.mode == EVENTS and (self._watch is None or self._watch_lost):
            self._detach_events()
            self._attach_events()
        rechecks: list[float] = []
        self._listing = find_snapshot_folders(self.base_path)
        for folder in self._listing:
            key = folder.snapshot.key
            if key in self._ready:
                continue
            settling = {
                (folder.snapshot.customer, folder.snapshot.timestamp),
                (folder.snapshot.customer, ""),
            } & recent
            if (
                settling
                and folder.problem is None
                and not announces_completion(folder.path, self.settings.readiness)
            ):
                continue  # still being written; looked at once quiet
            discovery, recheck = inspect(
                folder,
                self.base_path,
                self.settings.readiness,
                clock=self._clock,
                digest=self._digest,
            )
            if recheck is not None:
                rechecks.append(now + recheck)
            self._report(discovery)
        with self._cond:
            self._look_due = now + self._interval()
            self._recheck_due = min(rechecks) if rechecks else None

    def _look_at(self, touched: set[FolderKey]) -> None:
        """Judge now the touched folders whose producer says they are complete; the rest wait
        for the debounced full look. A folder refused by name or link rules is left to it too."""
        if not self.base_path.is_dir():
            return
        for customer, timestamp in sorted(touched):
            for name in [timestamp] if timestamp else self._timestamps_of(customer):
                if f"{customer}/{name}" in self._ready:
                    continue
                path = self.base_path / customer / name
                if not announces_completion(path, self.settings.readiness):
                    continue  # two stats: cheap enough for every event of a busy producer
                folder = find_snapshot_folder(self.base_path, customer, name, self._listing)
                if folder is None or folder.problem is not None:
                    continue
                discovery, recheck = inspect(
                    folder,
                    self.base_path,
                    self.settings.readiness,
                    clock=self._clock,
                    digest=self._digest,
                )
                if recheck is not None:
                    due = time.monotonic() + recheck
                    with self._cond:
                        if self._recheck_due is None or due < self._recheck_due:
                            self._recheck_due = due
                self._report(discovery)

    def _timestamps_of(self, customer: str) -> list[str]:
        """The snapshot folder names of one customer (a customer folder moved in whole)."""
        try:
            with os.scandir(self.base_path / customer) as entries:
                return sorted(e.name for e in entries if e.is_dir() and not is_staging_name(e.name))
        except OSError:
            return []

    def _report(self, discovery: Discovery) -> None:
        key = discovery.snapshot.key
        if self._verdicts.get(key) == discovery.verdict:
            return
        with self._cond:
            if self._paused or self._stopping:
                return  # judged again after resume()
        self._verdicts[key] = discovery.verdict
        if discovery.ready:
            self._ready.add(key)
            self._digest.forget(discovery.path)
        try:
            self._on_discovery(discovery)
        except Exception:
            log.exception("the discovery handler failed for %s", key)
