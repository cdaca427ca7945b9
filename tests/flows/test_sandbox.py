"""The worker pool on its own: results, the hard time and memory limits, recovery, parallelism,
with either way of starting the workers (forkserver, and the subprocesses a daemonic process
such as a stock Dask worker must use)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from flows.sandbox import (
    FORKSERVER,
    MEMORY_LIMIT,
    SUBPROCESS,
    TIME_LIMIT,
    WORKER_CRASHED,
    StageFailed,
    StartMethod,
    WorkerConfig,
    WorkerPool,
    close_prestarted,
    prestart,
    take_prestarted,
    worker_pids,
)
from tests.flows.helpers import FAKE_EXTRACT

SLEEP = "time:sleep"


@pytest.fixture(params=[FORKSERVER, SUBPROCESS])
def start(request: pytest.FixtureRequest) -> StartMethod:
    method: StartMethod = request.param
    return method


@pytest.fixture
def pool(start: StartMethod) -> Iterator[WorkerPool]:
    with WorkerPool(2, WorkerConfig(memory_limit_mb=1024), start) as p:
        p.start_all()
        yield p


def test_runs_the_target_in_another_process(pool: WorkerPool) -> None:
    import os

    assert pool.run("os:getpid", (), time_limit_s=30) != os.getpid()
    assert pool.run("math:hypot", (3, 4), time_limit_s=30) == 5.0


def test_a_stage_past_its_time_limit_is_killed_and_the_pool_recovers(pool: WorkerPool) -> None:
    started = time.monotonic()
    with pytest.raises(StageFailed) as caught:
        pool.run("tests.flows.fake_stages:_spin", (), time_limit_s=1.0)
    assert caught.value.failure.code == TIME_LIMIT
    assert time.monotonic() - started < 10
    assert pool.restarts == 1
    assert pool.run("math:sqrt", (16,), time_limit_s=30) == 4.0


def test_a_memory_bomb_hits_the_address_space_limit(pool: WorkerPool) -> None:
    with pytest.raises(StageFailed) as caught:
        pool.run("builtins:bytearray", (4 << 30,), time_limit_s=30)
    assert caught.value.failure.code == MEMORY_LIMIT
    assert "1024 MB" in caught.value.failure.message
    assert pool.run("math:sqrt", (9,), time_limit_s=30) == 3.0


def test_a_dying_worker_is_reported_and_replaced(pool: WorkerPool) -> None:
    with pytest.raises(StageFailed) as caught:
        pool.run("os:_exit", (3,), time_limit_s=30)
    assert caught.value.failure.code == WORKER_CRASHED
    assert "status 3" in caught.value.failure.message
    assert pool.run("math:sqrt", (4,), time_limit_s=30) == 2.0


def test_a_typed_stage_error_keeps_its_code(pool: WorkerPool, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"BAD")
    with pytest.raises(StageFailed) as caught:
        pool.run(FAKE_EXTRACT, (str(bad),), {"time_limit_s": 1, "max_pages": 1}, time_limit_s=30)
    assert caught.value.failure.code == "corrupt"
    assert caught.value.failure.message == "the file ends before its cross-reference table"


def test_other_errors_carry_their_type_on_one_line(pool: WorkerPool) -> None:
    with pytest.raises(StageFailed) as caught:
        pool.run(
            FAKE_EXTRACT,
            ("/nonexistent.pdf",),
            {"time_limit_s": 1, "max_pages": 1},
            time_limit_s=30,
        )
    assert caught.value.failure.code == "FileNotFoundError"
    assert "\n" not in caught.value.failure.message


def test_two_workers_run_two_stages_at_once(pool: WorkerPool) -> None:
    pool.run(SLEEP, (0,), time_limit_s=30)  # both workers ready
    pool.run(SLEEP, (0,), time_limit_s=30)
    started = time.monotonic()
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(lambda _: pool.run(SLEEP, (1.0,), time_limit_s=30), range(2)))
    assert time.monotonic() - started < 1.8
    assert len(worker_pids(pool)) == 2


def test_close_stops_every_worker(start: StartMethod) -> None:
    pool = WorkerPool(2, WorkerConfig(), start)
    pool.start_all()
    pool.run(SLEEP, (0,), time_limit_s=30)
    pids = worker_pids(pool)
    pool.close()
    assert pids
    assert worker_pids(pool) == []


def _pool_in_a_daemon(out: Any) -> None:
    """In a daemonic process (as in a Dask worker with Dask's defaults): a pool there."""
    with WorkerPool(1, WorkerConfig(memory_limit_mb=1024)) as pool:
        results: list[object] = [pool.start, pool.run("math:hypot", (3, 4), time_limit_s=60)]
        bad: list[tuple[str, tuple[object, ...]]] = [
            ("tests.flows.fake_stages:_spin", ()),
            ("builtins:bytearray", (4 << 30,)),
        ]
        for target, args in bad:
            try:
                pool.run(target, args, time_limit_s=2.0)
            except StageFailed as exc:
                results.append(exc.failure.code)
        out.put(results)


def test_a_pool_in_a_daemonic_process_starts_subprocesses_under_the_same_limits() -> None:
    """multiprocessing refuses children to a daemon; the pool starts subprocesses there."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_pool_in_a_daemon, args=(out,), daemon=True)
    child.start()
    got = out.get(timeout=120)
    child.join(10)
    assert got == [SUBPROCESS, 5.0, TIME_LIMIT, MEMORY_LIMIT]


def _busy_worker(out: Any) -> None:
    pool = WorkerPool(1, WorkerConfig(), SUBPROCESS)
    pool.start_all()
    pool.run("math:sqrt", (4,), time_limit_s=60)
    out.put(worker_pids(pool)[0])
    pool.run("tests.flows.fake_stages:_spin", (), time_limit_s=600)


def _gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()
    except FileNotFoundError:
        return True


def test_a_subprocess_worker_exits_when_its_parent_is_killed_mid_stage() -> None:
    """No daemon flag reaps a subprocess: a Dask worker killed while its sandbox worker spins
    must not leave that worker spinning."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    parent = ctx.Process(target=_busy_worker, args=(out,))
    parent.start()
    worker = out.get(timeout=120)
    time.sleep(0.5)  # the worker is inside the spinning stage
    assert not _gone(worker)
    os.kill(parent.pid, signal.SIGKILL)
    parent.join(10)
    deadline = time.monotonic() + 15
    while not _gone(worker):
        assert time.monotonic() < deadline, "the orphaned worker is still running"
        time.sleep(0.2)


# --- started ahead (sandbox.prestart), and a quick exit (sandbox.exit_quickly) --------------


def test_a_pool_started_ahead_is_taken_once_by_its_size_and_config() -> None:
    config = WorkerConfig(memory_limit_mb=1024)
    pool = prestart(1, config)
    try:
        assert take_prestarted(2, config) is None  # another size
        assert take_prestarted(1, WorkerConfig(memory_limit_mb=512)) is None  # another config
        assert take_prestarted(1, config) is pool
        assert take_prestarted(1, config) is None  # taken: now the caller's to close
        assert pool.run("os:getpid", (), time_limit_s=60) != os.getpid()
    finally:
        pool.close()


def test_a_pool_started_ahead_and_never_taken_is_closed() -> None:
    pool = prestart(1, WorkerConfig(memory_limit_mb=1024))
    pool.run(SLEEP, (0,), time_limit_s=60)
    assert len(worker_pids(pool)) == 1
    close_prestarted()
    assert worker_pids(pool) == []
    assert take_prestarted(1, WorkerConfig(memory_limit_mb=1024)) is None


def test_a_stage_called_while_the_workers_start_in_the_background_waits_for_one() -> None:
    with WorkerPool(2, WorkerConfig(memory_limit_mb=1024)) as pool:
        pool.start_in_background()
        with ThreadPoolExecutor(2) as ex:  # both calls are served, each by a started worker
            pids = set(ex.map(lambda _: pool.run(SLEEP, (0.5,), time_limit_s=60), range(2)))
        assert pids == {None}
        assert len(worker_pids(pool)) == 2


EXIT_PROBE = """
import atexit, sys
from flows.sandbox import exit_quickly
atexit.register(lambda: print("torn down"))  # registered first: runs after exit_quickly's
exit_quickly()
print("done")
if sys.argv[1] == "fail":
    raise ValueError("boom")
"""


def test_a_worker_serving_process_skips_the_teardown_but_not_an_errors_status() -> None:
    quick = subprocess.run(
        [sys.executable, "-c", EXIT_PROBE, "ok"], capture_output=True, text=True, check=False
    )
    assert (quick.returncode, quick.stdout) == (0, "done\n")  # printed, flushed, no teardown
    failed = subprocess.run(
        [sys.executable, "-c", EXIT_PROBE, "fail"], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1 and "ValueError: boom" in failed.stderr
    assert failed.stdout == "done\ntorn down\n"  # Python's own exit after an uncaught error


def test_a_warmed_worker_freezes_its_warm_state(start: StartMethod) -> None:
    """After its warm-up a worker takes the warm state out of the garbage collector's sight
    (gc.freeze): full collections no longer walk the lexicon and the spaCy pipeline."""
    with WorkerPool(1, WorkerConfig(warm=("gc:collect",)), start) as warmed:
        assert warmed.run("gc:get_freeze_count", (), time_limit_s=30) > 0
    if start == SUBPROCESS:
        # (a forkserver is one per test process: one an earlier test warmed froze its state
        # for every worker it forks after; a subprocess-started worker starts afresh)
        with WorkerPool(1, WorkerConfig(), start) as cold:
            assert cold.run("gc:get_freeze_count", (), time_limit_s=30) == 0
