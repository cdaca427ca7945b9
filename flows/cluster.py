"""Running the extract and transform tasks on an existing Dask cluster (`--dask ADDRESS`).

Why a module of its own: prefect-dask and distributed are an optional extra
(`caselines[dask]`), imported only here and only when a Dask address is given, so a plain
install never loads them.

What a Dask worker needs: this package installed and the PDFs at the same path. Every Dask
worker runs the stages through its own local sandbox pool (flows.sandbox, made on first use),
so the per-PDF time and memory limits hold there as they do locally. `dask worker` runs its
worker process as a daemon by default, and multiprocessing refuses a daemon children: the
pool starts its workers as plain subprocesses there, so a stock `dask worker ADDRESS` (or a
managed cluster's) needs no setting.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from typing import Any

CONNECT_TIMEOUT_S = 30.0
"""How long the check waits for the scheduler before it says the address is wrong."""
DRAIN_TIMEOUT_S = 30.0
"""How long a worker may take to send its queued Prefect events and logs after a run."""
INSTALL_HINT = "pip install 'caselines[dask]'"


class ClusterError(RuntimeError):
    """The Dask cluster cannot run the stages (unreachable, no workers)."""


@dataclass(frozen=True)
class ClusterInfo:
    address: str
    workers: int
    threads: int
    """Threads over all workers: how many PDFs the cluster works on at once."""


def _require_dask() -> None:
    try:
        import distributed  # noqa: F401
        import prefect_dask  # noqa: F401
    except ImportError as exc:
        raise ClusterError(f"--dask needs prefect-dask and distributed: {INSTALL_HINT}") from exc


def task_runner(address: str) -> Any:
    """A DaskTaskRunner on the scheduler at `address` (the flow's task runner for --dask)."""
    _require_dask()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


def check(address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> ClusterInfo:
    """Connect to the scheduler and count its workers and threads.

    Done before the flow starts, so a wrong address or a mis-started worker is one clear
    message instead of a failure row for every PDF.
    """
    _require_dask()
    import distributed

    try:
        client = distributed.Client(address, timeout=timeout_s, set_as_default=False)
    except OSError as exc:
        raise ClusterError(f"no Dask scheduler answers at {address}: {exc}") from exc
    try:
        nthreads: dict[str, int] = client.nthreads()
        if not nthreads:
            raise ClusterError(f"the Dask scheduler at {address} has no workers")
    finally:
        client.close()
    return ClusterInfo(address, len(nthreads), sum(nthreads.values()))


def threads_here() -> int:
    """Tasks this process runs at once: the Dask worker's threads, else the CPU count."""
    try:
        from distributed import get_worker

        return int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return os.cpu_count() or 1


def runner_threads(runner: object) -> int | None:
    """Threads of the Dask cluster behind a flow's task runner; None for a local runner."""
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        return None
    if not isinstance(runner, DaskTaskRunner):
        return None
    nthreads: dict[str, int] = runner.client.nthreads()
    return sum(nthreads.values()) or None


def _drain_now() -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    with contextlib.suppress(RuntimeError):  # never started in this process
        APILogWorker.drain_all(timeout=DRAIN_TIMEOUT_S)
    EventsWorker.drain_all(timeout=DRAIN_TIMEOUT_S)


def drain_prefect_services() -> None:
    """Run on each Dask worker after a flow run: send its queued events and logs now.

    Why: a worker process keeps one Prefect events service for its whole life, bound to the
    API URL of the first run it served; when that server is gone (a later `ingest --dask`
    starts its own), every later event fails there. Drained, the service is made afresh
    with the next run's URL. In a thread of its own because Dask calls this on the worker's
    event loop, where Prefect's drain would only return a coroutine.
    """
    thread = threading.Thread(target=_drain_now, name="caselines-drain", daemon=True)
    thread.start()
    thread.join(DRAIN_TIMEOUT_S * 2)


def drain_workers(runner: object) -> None:
    """After a run on the cluster behind `runner`: every worker drains (see above)."""
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        return
    if isinstance(runner, DaskTaskRunner):
        runner.client.run(drain_prefect_services)
