"""A real Dask cluster on 127.0.0.1 for the tests and the benchmark: `dask scheduler` and
`dask worker` processes, as a person would start them by hand (not a LocalCluster inside the
test process).

The scheduler takes a free port (port 0) and writes its address to a scheduler file that
the workers read. Every process runs with this interpreter (the venv that has this package)
and its own process group, so that killing a worker kills its nanny, its worker process and
the sandbox processes under it at once, like a machine that is lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

DASK_ENV_PREFIX = "DASK_"
"""Dask settings from the environment are dropped: the workers run with Dask's defaults."""
START_TIMEOUT_S = 120.0
"""Workers import Prefect and this package before they register: slow on a busy 2-core box."""
STOP_TIMEOUT_S = 15.0
POLL_S = 0.2


def cluster_env() -> dict[str, str]:
    """What `dask worker` needs here: this package importable (tests included, for the
    stand-in stages). Nothing else: the workers run with Dask's defaults (a daemonic worker
    process, as `dask worker ADDRESS` and managed clusters start it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(DASK_ENV_PREFIX)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.pop("PREFECT_API_URL", None)  # the flow sends its own API URL with every task
    return env


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT_S)


@dataclass
class DaskCluster:
    folder: Path
    threads_per_worker: int = 1
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    address: str = ""
    started: int = 0
    """Workers started so far: names stay unique after a kill (the scheduler refuses a
    second worker of the same name)."""

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    def _popen(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *argv],
            env=cluster_env(),
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_scheduler(self) -> str:
        self.scheduler = self._popen(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.scheduler_file)],
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.scheduler_file.exists():
            if self.scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler did not start: {self.log('scheduler')}")
            time.sleep(POLL_S)
        self.address = str(json.loads(self.scheduler_file.read_text())["address"])
        return self.address

    def add_worker(self) -> subprocess.Popen[bytes]:
        name = f"worker{self.started}"
        self.started += 1
        worker = self._popen(
            name,
            ["worker", "--scheduler-file", str(self.scheduler_file), "--host", "127.0.0.1",
             "--nthreads", str(self.threads_per_worker), "--no-dashboard", "--name", name,
             "--local-directory", str(self.folder / name)],
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, n: int, timeout_s: float = START_TIMEOUT_S) -> None:
        """Until the scheduler counts exactly `n` workers (more after a kill is not ready)."""
        import distributed

        with distributed.Client(self.address, timeout=timeout_s, set_as_default=False) as c:
            deadline = time.monotonic() + timeout_s
            while len(c.nthreads()) != n:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{len(c.nthreads())} Dask workers, expected {n}")
                time.sleep(POLL_S)

    def kill_worker(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL a worker's whole process group: nanny, worker process, sandbox."""
        _stop(worker, signal.SIGKILL)
        self.workers.remove(worker)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        for w in self.workers:
            _stop(w)
        self.workers.clear()
        if self.scheduler is not None:
            _stop(self.scheduler)


@contextlib.contextmanager
def dask_cluster(
    folder: Path, n_workers: int, threads_per_worker: int = 1
) -> Iterator[DaskCluster]:
    """A scheduler and `n_workers` workers, all registered; everything stopped on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    cluster = DaskCluster(folder, threads_per_worker)
    try:
        cluster.start_scheduler()
        for _ in range(n_workers):
            cluster.add_worker()
        cluster.wait_for_workers(n_workers)
        yield cluster
    finally:
        cluster.stop()
