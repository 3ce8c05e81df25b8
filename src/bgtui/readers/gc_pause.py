"""Holding CPython's cycle collector off while one batch of rows is built.

Building a batch allocates tens of thousands of small container objects (rows, property dicts,
arrays) that all stay alive until the batch is sent. The cycle collector counts them as new
allocations and walks them again and again while they pile up, promoting them through every
generation; in a load that is well over a third of the CPU time of reading CSV, and none of
those objects can be in a cycle. So while a batch is being built (never while the consumer
holds it) automatic collection waits; the pending count stays, so the first allocation after
the pause pays one ordinary collection.

Loads run on several threads at once, so the pause is counted: the collector is switched off
by the first reader to pause and back on by the last to resume, and only if it was on before.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_holders = 0
_was_enabled = False


class CollectorPause:
    """``pause()`` / ``resume()`` around the build of one batch; idempotent on each side.

    Not a context manager on purpose: a reader generator resumes before each ``yield`` and
    pauses again after it, so the consumer's own work never runs with the collector off.
    """

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held = False

    def pause(self) -> None:
        global _holders, _was_enabled
        if self._held:
            return
        with _lock:
            if _holders == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _holders += 1
        self._held = True

    def resume(self) -> None:
        global _holders
        if not self._held:
            return
        self._held = False
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
