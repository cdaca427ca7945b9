"""One ingest at a time per warehouse: an advisory lock file next to the DuckDB file.

Why a lock of our own: DuckDB refuses a second writer only while a connection is open, and
the flow opens the warehouse briefly per step (plan, load batch), so two runs would
interleave and one would fail half-way. An fcntl.flock on `<db>.lock` is held for the whole
run and released by the kernel even when the process is SIGKILLed, so it never goes stale.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_SUFFIX = ".lock"
POLL_S = 0.2
"""How often a waiting run retries the lock."""


class WarehouseLocked(Exception):
    """Another ingest holds the warehouse and the wait ran out."""


def lock_path(db: str | os.PathLike[str]) -> Path:
    return Path(f"{db}{LOCK_SUFFIX}")


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if pid:
            return f"pid {pid}"
    return "another process"


@contextlib.contextmanager
def writer_lock(
    db: str | os.PathLike[str],
    *,
    timeout_s: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the warehouse's writer lock; wait for it (telling `on_wait` once) if it is taken.

    `timeout_s=None` waits as long as it takes (runs serialise); 0 fails at once.
    """
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                message = f"another ingest ({_holder(fd)}) is writing {db}"
                if deadline is not None and time.monotonic() >= deadline:
                    raise WarehouseLocked(message) from None
                if not told and on_wait is not None:
                    on_wait(f"{message}; waiting for it to finish")
                    told = True
                time.sleep(POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
