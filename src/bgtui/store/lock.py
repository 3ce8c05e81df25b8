"""One controller per base path: an exclusive ``flock`` on a lock file named after the path.

The kernel drops a ``flock`` when its holder dies, however it dies, so a lock file left behind
by a crashed controller never blocks the next one: the file's content (who held it) is only
for telling the operator, never for deciding. The descriptor is not inherited by child
processes (Python opens files non-inheritable), so a child cannot keep a dead parent's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from bgtui.store.timestamps import from_text, to_text

_HOLDER_WRITE_GRACE_SECONDS = 0.5


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a base path's controller lock."""

    pid: int
    user: str
    host: str
    started_at: datetime
    base_path: str

    def describe(self, now: datetime | None = None) -> str:
        """``pid 123 (alice@host) since 10:02`` in local time, with the date when not today."""
        local = self.started_at.astimezone()
        today = (now or datetime.now(UTC)).astimezone().date()
        when = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
        return f"pid {self.pid} ({self.user}@{self.host}) since {when}"

    def to_json(self) -> str:
        fields = asdict(self)
        fields["started_at"] = to_text(self.started_at)
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> LockHolder | None:
        """The holder a lock file names, or None when the file is empty or not ours."""
        try:
            fields = json.loads(text)
            return cls(
                pid=int(fields["pid"]),
                user=str(fields["user"]),
                host=str(fields["host"]),
                started_at=from_text(str(fields["started_at"])),
                base_path=str(fields["base_path"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


class LockHeld(Exception):
    """Another controller holds the base path; this one may only watch (read-only)."""

    def __init__(self, holder: LockHolder | None, base_path: Path) -> None:
        self.holder = holder
        self.base_path = base_path
        who = holder.describe() if holder else "another process (it has not said who yet)"
        super().__init__(f"another bgtui controls {base_path}: held by {who}")


class ControllerLock:
    """The one-controller lock for ``base_path``, kept in ``state_dir``."""

    def __init__(self, state_dir: Path, base_path: Path) -> None:
        self._base_path = base_path.resolve()
        digest = hashlib.sha256(str(self._base_path).encode("utf-8")).hexdigest()[:16]
        self._path = state_dir / f"controller-{digest}.lock"
        self._descriptor: int | None = None

    @property
    def path(self) -> Path:
        return self._path

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._descriptor is not None

    def acquire(self) -> LockHolder:
        """Take the lock or raise ``LockHeld`` naming the holder; return this holder."""
        if self._descriptor is not None:
            raise RuntimeError(f"this process already holds {self._path}")
        self._path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_of_locked(descriptor)
            os.close(descriptor)
            raise LockHeld(holder, self._base_path) from None
        except BaseException:
            os.close(descriptor)
            raise
        me = LockHolder(
            pid=os.getpid(),
            user=_user_name(),
            host=socket.gethostname(),
            started_at=datetime.now(UTC),
            base_path=str(self._base_path),
        )
        try:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, me.to_json().encode("utf-8"), 0)
            os.fsync(descriptor)
        except BaseException:
            os.close(descriptor)  # closing drops the flock too
            raise
        self._descriptor = descriptor
        return me

    def release(self) -> None:
        """Let go; the file stays (removing it would race a process that just opened it)."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        try:
            os.ftruncate(descriptor, 0)
        finally:
            os.close(descriptor)

    def read_holder(self) -> LockHolder | None:
        """Who holds the lock now, or None when nobody does (for a read-only console).

        A holder that has not written its name yet is reported with pid 0 and user "unknown".
        """
        if self._descriptor is not None:
            return _read_holder_from(self._descriptor)
        try:
            descriptor = os.open(self._path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _holder_of_locked(descriptor) or _unknown_holder(self._base_path)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            return None  # a file with nobody's lock on it: a stale record of a past holder
        finally:
            os.close(descriptor)

    def __enter__(self) -> ControllerLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _holder_of_locked(descriptor: int) -> LockHolder | None:
    """Read the holder, giving a controller that just took the lock a moment to write it."""
    deadline = time.monotonic() + _HOLDER_WRITE_GRACE_SECONDS
    while True:
        holder = _read_holder_from(descriptor)
        if holder is not None or time.monotonic() >= deadline:
            return holder
        time.sleep(0.02)


def _unknown_holder(base_path: Path) -> LockHolder:
    return LockHolder(0, "unknown", "unknown", datetime.now(UTC), str(base_path))


def _read_holder_from(descriptor: int) -> LockHolder | None:
    size = os.fstat(descriptor).st_size
    text = os.pread(descriptor, max(size, 1), 0).decode("utf-8", errors="replace")
    return LockHolder.from_json(text)


def _user_name() -> str:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return str(os.getuid())
