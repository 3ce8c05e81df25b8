"""Where the engine's work runs: the event loop, driver threads, and the one history thread.

The engine never blocks its loop. Driver calls go to the ``bgtui-io`` threads; history writes
go, in order, to the single ``bgtui-history`` thread; background coroutines are tracked so a
stop can wait for them; threads hand results back to the loop with ``from_thread``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


class Runner:
    """The loop the engine lives on, and the threads it hands blocking work to."""

    def __init__(self, io_workers: int, on_task_error: Callable[[BaseException], None]) -> None:
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="bgtui-io")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bgtui-history")
        self._on_task_error = on_task_error
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> None:
        """Adopt the running loop: threads report back to it from now on."""
        self._loop = asyncio.get_running_loop()

    @property
    def bound(self) -> bool:
        return self._loop is not None

    async def in_worker(self, func: Callable[..., T], *args: Any) -> T:
        """Run blocking driver work off the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io, partial(func, *args))

    async def in_writer(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a history write on the single writer thread, after every earlier write."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, partial(func, *args, **kwargs))

    def submit_write(self, func: Callable[..., Any], *args: Any) -> Future[Any]:
        """Queue a write on the writer thread without waiting for it (the status file)."""
        return self._writer.submit(func, *args)

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run ``coroutine`` in the background; a failure is reported, never lost."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            exc = task.exception()
            if exc is not None:
                self._on_task_error(exc)

    def from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        """Call ``callback`` on the loop, from any thread; dropped once the loop is gone."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback, *args)

    def spawn_from_thread(self, make: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Start the coroutine ``make()`` returns on the loop, from any thread."""
        self.from_thread(lambda: self.spawn(make()))

    async def wait_for_tasks(self, timeout: float) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    def shutdown(self) -> None:
        """Finish queued history writes; abandon driver work nobody waits for."""
        self._writer.shutdown(wait=True)
        self._io.shutdown(wait=False, cancel_futures=True)
