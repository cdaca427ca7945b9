"""Killable worker processes that run the CPU-bound stages of one PDF under hard limits.

Why not just call the stage in the task: a pathological PDF can spin inside pdfminer on one
page, where no cooperative time check runs, and a thread cannot be killed. Each stage call is
therefore sent to a worker process that the parent can SIGKILL when the time limit passes,
and whose address space is capped with RLIMIT_AS so a memory bomb raises MemoryError there
instead of swapping the machine. The cap is counted beyond the address space the warm worker
already holds (`address_space`): the limit is what one PDF may take, whatever the warm-up
mapped (spaCy, the lexicon, the compiled character loop's LLVM: about 600 MB, most of it
shared libraries and pages shared with the forkserver, not memory used).

Why persistent workers and not a process per PDF: building the spaCy pipeline and the drug
lexicon costs about two seconds, far more than a typical PDF. Workers are forked from a
forkserver that has imported the stage modules once; each worker keeps its warm state
across PDFs and is replaced only after it was killed or ran out of memory.

Where multiprocessing may not start children, in a daemonic process (a Dask worker started
with Dask's defaults runs as one), the workers are started as plain subprocesses of this
interpreter instead ("subprocess" start): the same protocol over a socket pair, the same
limits; each worker then imports the stage modules itself, and exits when its parent is gone.

This module is imported by worker processes, so it must not import Prefect.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Final, Literal

StartMethod = Literal["forkserver", "subprocess"]
FORKSERVER: Final = "forkserver"
"""A clean single-threaded server forks the workers: cheap respawns, no fork-with-threads."""
SUBPROCESS: Final = "subprocess"
"""`python -c` children: what a daemonic process (a stock Dask worker) can start."""
PARENT_POLL_S = 1.0
"""How often a subprocess-started worker checks that its parent is still alive."""
START_TIMEOUT_S = 120.0
"""A worker imports the stages and warms the lexicon before it counts against a PDF's limit."""
STOP_GRACE_S = 2.0
"""How long a worker may take to exit after it was asked to stop, before it is killed."""
MESSAGE_LIMIT = 300
"""Characters of an error message kept (one line, fits ingest_failures)."""
MB = 1 << 20

TIME_LIMIT = "time_limit"
MEMORY_LIMIT = "memory_limit"
WORKER_CRASHED = "worker_crashed"


@dataclass(frozen=True)
class StageFailure:
    """Why a stage call produced no result: a short code and a one-line reason."""

    code: str
    message: str


class StageFailed(Exception):
    """Raised in the parent when a stage call failed, was killed, or lost its worker."""

    def __init__(self, failure: StageFailure) -> None:
        super().__init__(f"{failure.code}: {failure.message}")
        self.failure = failure

    def __reduce__(self) -> tuple[type[StageFailed], tuple[StageFailure]]:
        """Pickle with its failure (a task on a Dask worker sends it back to the flow)."""
        return (StageFailed, (self.failure,))


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker process is started with."""

    memory_limit_mb: int | None = None
    """Address space each worker may add to what it holds warm (RLIMIT_AS is set to the two
    together); None leaves it unlimited."""
    warm: tuple[str, ...] = ()
    """'module:function' targets called once when a worker starts (e.g. load the lexicon)."""
    preload: tuple[str, ...] = field(default=())
    """Modules the forkserver imports once, so that every worker starts with them."""


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:MESSAGE_LIMIT]


def error_code(exc: BaseException) -> str:
    """The stage's own code when it has one (extract.errors), else the exception's type."""
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and code else type(exc).__name__


def resolve(target: str) -> Callable[..., Any]:
    """'package.module:function' -> the function (imported in the worker, not the parent)."""
    module, _, name = target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return fn


# --- worker side --------------------------------------------------------------------------


def address_space() -> int:
    """This process's address space in bytes (VmSize, what RLIMIT_AS caps); 0 where /proc
    does not tell (RLIMIT_AS is then the limit alone)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()


def _limit_memory(limit_mb: int | None) -> None:
    """Cap the address space at what the warm worker holds plus `limit_mb`."""
    if limit_mb is None:
        return
    limit = address_space() + limit_mb * MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def freeze_warm_state() -> None:
    """Take what the warm-up built out of the garbage collector's sight (gc.freeze).

    Why: the lexicon and the spaCy pipeline are hundreds of thousands of objects that live as
    long as the worker, and every full collection walks them all (about 0.1 s each, a few
    times per 22 PDFs: 3% of the stages' CPU, measured with gc callbacks). Frozen after a
    collection, they are never walked again; in the forkserver, before it forks, the workers
    also keep sharing those pages instead of copying them (the gc module's documentation)."""
    gc.collect()
    gc.freeze()


def _worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Serve stage calls until told to stop; exit after a MemoryError (state is suspect)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    for target in config.warm:
        with contextlib.suppress(Exception):
            resolve(target)()
    if config.warm:
        freeze_warm_state()
    _limit_memory(config.memory_limit_mb)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        target, args, kwargs = request
        try:
            conn.send(("ok", resolve(target)(*args, **kwargs)))
        except MemoryError:
            limit = config.memory_limit_mb
            conn.send(
                ("err", StageFailure(MEMORY_LIMIT, f"exceeded the memory limit of {limit} MB"))
            )
            return
        except Exception as exc:
            conn.send(("err", StageFailure(error_code(exc), one_line(exc))))


def _exit_now() -> None:
    if hasattr(sys, "last_value"):
        return  # an uncaught error was printed: exit as Python does, with its status
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def exit_quickly() -> None:
    """Make this worker-serving process (the forkserver, a subprocess-started worker) skip
    the interpreter's teardown when it exits normally.

    Why: it holds the lexicon and spaCy pipeline, hundreds of thousands of objects that a
    normal exit frees one by one (0.6-1 s on the two-core machine) for nothing: it writes no
    files. An exit after an uncaught error keeps Python's own path and status."""
    import atexit

    atexit.register(_exit_now)


def _exit_when_orphaned(parent: int) -> None:
    """A subprocess-started worker outlives a killed parent (no daemon flag reaps it): it
    exits when its parent is gone, even in the middle of a stage."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def serve(fd: int, parent: int) -> None:
    """Entry point of a subprocess-started worker: the config arrives first on `fd`, then
    stage calls, as for a forkserver worker (whose preload imports are done here)."""
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    conn = Connection(fd)
    config: WorkerConfig = conn.recv()
    for module in config.preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    _worker_main(conn, config)


_SERVE = (
    "import sys; sys.path[:] = sys.argv[3:]; "
    "from flows.sandbox import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"
)
"""The `python -c` program of a subprocess-started worker; it imports from the parent's
sys.path, so stage modules the parent can import (a test's stand-ins) import there too."""


class _Subprocess:
    """A subprocess-started worker, behind the calls the pool makes on a multiprocessing
    Process (is_alive, kill, join, exitcode, pid)."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self._popen = popen
        self.pid = popen.pid

    def is_alive(self) -> bool:
        return self._popen.poll() is None

    def kill(self) -> None:
        self._popen.kill()

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout)

    @property
    def exitcode(self) -> int | None:
        """Negative for a signal, as multiprocessing reports it."""
        return self._popen.poll()


def default_start() -> StartMethod:
    """forkserver where multiprocessing may start children, else subprocess (a daemon)."""
    return SUBPROCESS if multiprocessing.current_process().daemon else FORKSERVER


# --- parent side --------------------------------------------------------------------------


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    """True once the worker said it has imported and warmed the stages."""

    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(STOP_GRACE_S)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(STOP_GRACE_S)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def _death_reason(process: Any) -> StageFailure:
    code = process.exitcode
    if isinstance(code, int) and code < 0:
        how = f"killed by signal {signal.Signals(-code).name}"
    else:
        how = f"exited with status {code}"
    return StageFailure(WORKER_CRASHED, f"the worker process {how} while on this PDF")


class WorkerPool:
    """`size` worker processes; `run` lends one to a caller thread for one stage call.

    Thread-safe: the flow's task threads call `run` concurrently, each blocking on its own
    worker. A worker that was killed (time limit) or died is replaced on its next use.
    `start` is how workers are started (default_start() when not given).
    """

    def __init__(self, size: int, config: WorkerConfig, start: StartMethod | None = None) -> None:
        self.size = size
        self.config = config
        self.start = start or default_start()
        self._ctx = multiprocessing.get_context(FORKSERVER)
        if config.preload and self.start == FORKSERVER:
            self._ctx.set_forkserver_preload(list(config.preload))
        self._idle: queue.SimpleQueue[_Worker | None] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._starter: threading.Thread | None = None
        self.restarts = 0
        for _ in range(size):
            self._idle.put(None)  # started lazily, in the caller's thread

    def _spawn(self) -> _Worker:
        if self.start == SUBPROCESS:
            worker = self._spawn_subprocess()
        else:
            parent, child = self._ctx.Pipe()
            process = self._ctx.Process(
                target=_worker_main,
                args=(child, self.config),
                name="caselines-worker",
                daemon=True,
            )
            process.start()
            child.close()
            worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _spawn_subprocess(self) -> _Worker:
        ours, theirs = socket.socketpair()
        with theirs:
            fd = theirs.fileno()
            argv = [sys.executable, "-c", _SERVE, str(fd), str(os.getpid()), *sys.path]
            popen = subprocess.Popen(argv, pass_fds=(fd,), stdin=subprocess.DEVNULL)
        conn = Connection(ours.detach())
        conn.send(self.config)
        return _Worker(_Subprocess(popen), conn)

    def _await_ready(self, worker: _Worker) -> _Worker:
        try:
            if not worker.conn.poll(START_TIMEOUT_S):
                raise EOFError
            worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(STOP_GRACE_S)
            failure = _death_reason(worker.process)
            self._retire(worker)
            raise StageFailed(failure) from None
        worker.ready = True
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self.restarts += 1

    def start_all(self) -> None:
        """Start every idle worker now without waiting: they warm up while the flow plans.

        A worker that cannot be started here is left to `run`, which starts it again and
        reports why it failed against the PDF it was meant for."""
        idle: list[_Worker | None] = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for w in idle:
            if w is None:
                try:
                    w = self._spawn()
                except Exception:
                    w = None
            self._idle.put(w)

    def start_in_background(self) -> None:
        """`start_all` from a thread, returning at once.

        Why: starting the forkserver blocks until it has imported the stages and warmed the
        lexicon and spaCy pipeline (seconds of CPU). Begun before this process imports
        Prefect, the two proceed side by side on two cores instead of one after the other.
        A caller that wants a worker meanwhile simply waits for it (`run` takes workers
        from the idle queue, which `start_all` refills as each worker is forked)."""
        self._starter = threading.Thread(
            target=self.start_all, name="caselines-pool-start", daemon=True
        )
        self._starter.start()

    def run(
        self,
        target: str,
        args: Sequence[Any],
        kwargs: dict[str, Any] | None = None,
        *,
        time_limit_s: float,
    ) -> Any:
        """Call `target(*args, **kwargs)` in a worker; raise StageFailed on any failure."""
        worker = self._idle.get()
        try:
            if worker is not None and not worker.alive():
                self._retire(worker)
                worker = None
            if worker is None:
                worker = self._spawn()
            if not worker.ready:
                try:
                    self._await_ready(worker)
                except StageFailed:
                    worker = None
                    raise
            started = time.monotonic()
            try:
                worker.conn.send((target, tuple(args), dict(kwargs or {})))
                ready = worker.conn.poll(max(time_limit_s, 0.0))
            except (BrokenPipeError, EOFError, OSError):
                failure = _death_reason(worker.process)
                self._retire(worker)
                worker = None
                raise StageFailed(failure) from None
            if not ready:
                self._retire(worker)
                worker = None
                elapsed = time.monotonic() - started
                raise StageFailed(
                    StageFailure(TIME_LIMIT, f"stopped after {elapsed:.0f} s (time limit)")
                )
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(STOP_GRACE_S)
                failure = _death_reason(worker.process)
                self._retire(worker)
                worker = None
                raise StageFailed(failure) from None
            if kind == "err":
                if payload.code == MEMORY_LIMIT:
                    self._retire(worker)
                    worker = None
                raise StageFailed(payload)
            return payload
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        if self._starter is not None:  # no worker is forked after close
            self._starter.join(START_TIMEOUT_S)
        with self._lock:
            workers, self._all = list(self._all), []
        for w in workers:
            w.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_prestarted: dict[tuple[int, WorkerConfig], WorkerPool] = {}
"""Pools started ahead of the flow that will use them (`prestart`), by size and config."""
_prestarted_lock = threading.Lock()


def prestart(size: int, config: WorkerConfig) -> WorkerPool:
    """Start a pool in the background for a flow this process is about to run; the flow
    takes it with `take_prestarted` (same size and config), else `close_prestarted` ends it.

    Why: a one-PDF ingest otherwise imports Prefect, starts the flow run, and only then
    starts the forkserver and waits for it; begun at the command's start, the workers are
    warm by the time the first stage is called."""
    pool = WorkerPool(size, config)
    pool.start_in_background()
    with _prestarted_lock:
        previous = _prestarted.pop((size, config), None)
        _prestarted[(size, config)] = pool
    if previous is not None:
        previous.close()
    return pool


def take_prestarted(size: int, config: WorkerConfig) -> WorkerPool | None:
    """The pool `prestart` began for this size and config, now owned by the caller."""
    with _prestarted_lock:
        return _prestarted.pop((size, config), None)


def close_prestarted() -> None:
    """End every pool started ahead that no flow took (the command failed before its flow)."""
    with _prestarted_lock:
        pools = list(_prestarted.values())
        _prestarted.clear()
    for pool in pools:
        pool.close()


def worker_pids(pool: WorkerPool) -> list[int]:
    """Process ids of the live workers (for tests and diagnostics)."""
    return [w.process.pid for w in list(pool._all) if w.alive()]


def current_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


__all__ = [
    "FORKSERVER",
    "MEMORY_LIMIT",
    "SUBPROCESS",
    "TIME_LIMIT",
    "WORKER_CRASHED",
    "StageFailed",
    "StageFailure",
    "WorkerConfig",
    "WorkerPool",
    "close_prestarted",
    "one_line",
    "prestart",
    "take_prestarted",
]
