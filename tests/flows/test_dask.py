"""The ingest flow on a real Dask cluster: `dask scheduler` and two `dask worker` processes
on 127.0.0.1 (tests/flows/dask_cluster.py), started once for the module with Dask's default
settings (their worker processes are daemons, as `dask worker ADDRESS` starts them).

What must hold there as it does locally: the warehouse gets the same rows, a hostile PDF on a
worker is one ingest_failures row (the sandbox's limits run on the Dask workers too), and a
Dask worker lost mid-run loses no PDF.
"""

from __future__ import annotations

import pickle
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import stages
from flows.cli import app
from flows.cluster import ClusterError, check
from flows.ingest import IngestSummary, ingest_flow, ingest_flow_for
from flows.prefect_server import free_port
from flows.sandbox import WORKER_CRASHED, StageFailed, StageFailure
from tests.conftest import ROOT, SEED_PDF
from tests.flows.dask_cluster import DaskCluster, dask_cluster
from tests.flows.helpers import FAKE_EXTRACT, FAKE_TRANSFORM, counts, rows

ROBUST = ROOT / "tests" / "fixtures" / "robust"
FAKE_LIMITS = {"time_limit_s": 1.0, "memory_limit_mb": 1024}
RUN_TIMEOUT_S = 300
"""No ingest here may take longer; a hung run fails the test instead of hanging CI."""
CORPUS_RUN_TIMEOUT_S = 900
"""The same guard for the 53-PDF runs (about 45 s each on an idle 2-core machine)."""
PFS_SQL = "select * from pfs_by_line order by all"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    with dask_cluster(tmp_path_factory.mktemp("dask"), n_workers=2) as c:
        yield c


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in stages; the flow sends their names to the Dask workers with every task."""
    monkeypatch.setattr(stages, "EXTRACT", FAKE_EXTRACT)
    monkeypatch.setattr(stages, "TRANSFORM", FAKE_TRANSFORM)


def _in_background(fn: Callable[..., IngestSummary], **kwargs: object) -> Future[IngestSummary]:
    """Run an ingest in a daemon thread: a run that hangs past its timeout fails the test
    and cannot keep the test process from exiting."""
    future: Future[IngestSummary] = Future()

    def run() -> None:
        try:
            future.set_result(fn(**kwargs))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True, name="ingest").start()
    return future


def _in_time(
    fn: Callable[..., IngestSummary], timeout_s: float = RUN_TIMEOUT_S, **kwargs: object
) -> IngestSummary:
    return _in_background(fn, **kwargs).result(timeout=timeout_s)


def _dask_ingest(
    cluster: DaskCluster, folder: Path, db: Path, timeout_s: float = RUN_TIMEOUT_S, **kw: object
) -> IngestSummary:
    flow = ingest_flow_for(cluster.address)
    return _in_time(flow, timeout_s, paths=[str(folder)], db=str(db), **kw)


def _corpus(folder: Path, sources: list[Path]) -> Path:
    folder.mkdir(parents=True)
    for src in sources:
        shutil.copy(src, folder / src.name)
    return folder


def _same_rows(remote: Path, local: Path) -> None:
    assert counts(remote) == counts(local)
    assert counts(remote)["lines_of_therapy"] > 0
    assert rows(remote, PFS_SQL) == rows(local, PFS_SQL)


def _daemonic() -> bool:
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def test_the_workers_run_with_dask_defaults(cluster: DaskCluster) -> None:
    """The stock set-up this module's tests run against: daemonic worker processes (which
    multiprocessing refuses children), nothing set for caselines."""
    import distributed

    with distributed.Client(cluster.address, set_as_default=False) as client:
        daemonic = client.run(_daemonic)
    assert list(daemonic.values()) == [True, True]


@pytest.mark.usefixtures("prefect_harness")
def test_the_seed_loads_the_same_rows_over_dask_as_locally(
    cluster: DaskCluster, seed_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "dask.duckdb"
    summary = _dask_ingest(cluster, _corpus(tmp_path / "c", [SEED_PDF]), db)
    assert summary.failures == (), summary.failures
    assert summary.loaded == 1
    _same_rows(db, seed_db)


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_seed_and_the_robust_corpus_load_the_same_rows_over_dask(
    cluster: DaskCluster, tmp_path: Path
) -> None:
    robust = sorted(ROBUST.glob("*.pdf"))
    assert len(robust) == 52
    folder = _corpus(tmp_path / "c", [SEED_PDF, *robust])
    local, remote = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    timeout_s = CORPUS_RUN_TIMEOUT_S
    here = _in_time(ingest_flow, timeout_s, paths=[str(folder)], db=str(local), workers=2)
    there = _dask_ingest(cluster, folder, remote, timeout_s=timeout_s)
    assert here.failures == there.failures == ()
    assert there.loaded == here.loaded == 53
    _same_rows(remote, local)


def _pdf(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.mark.usefixtures("prefect_harness", "fake")
def test_a_hanging_a_crashing_and_a_memory_hungry_pdf_fail_alone_on_dask_workers(
    cluster: DaskCluster, tmp_path: Path
) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    for i in range(3):
        _pdf(corpus, f"good{i}.pdf", b"good %d" % i)
    _pdf(corpus, "hang.pdf", b"HANG")
    _pdf(corpus, "crash.pdf", b"CRASH")
    _pdf(corpus, "bomb.pdf", b"BOMB")
    _pdf(corpus, "bad.pdf", b"BAD")
    summary = _dask_ingest(cluster, corpus, db, **FAKE_LIMITS)
    assert summary.loaded == 3
    got = set(rows(db, "select regexp_extract(path, '[^/]+$'), stage, error from ingest_failures"))
    assert got == {
        ("hang.pdf", "extract", "time_limit"),
        ("crash.pdf", "extract", WORKER_CRASHED),
        ("bomb.pdf", "extract", "memory_limit"),
        ("bad.pdf", "extract", "corrupt"),
    }
    assert counts(db)["documents"] == 3


@pytest.mark.usefixtures("prefect_harness", "fake")
def test_a_dask_worker_killed_mid_run_loses_no_pdf(cluster: DaskCluster, tmp_path: Path) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    names = {f"nap{i:02d}.pdf" for i in range(10)}
    for name in names:
        _pdf(corpus, name, b"NAP " + name.encode())
    flow = ingest_flow_for(cluster.address)
    run = _in_background(flow, paths=[str(corpus)], db=str(db), **FAKE_LIMITS)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while len(list(corpus.glob("*.started"))) < 3:  # both workers are on their PDFs
        assert time.monotonic() < deadline, "the run never started its PDFs"
        assert not run.done(), run.result()
        time.sleep(0.1)
    cluster.kill_worker(cluster.workers[0])
    summary = run.result(timeout=RUN_TIMEOUT_S)
    loaded = {p.rsplit("/", 1)[-1] for (p,) in rows(db, "select path from documents")}
    failed = {p.rsplit("/", 1)[-1] for (p,) in rows(db, "select path from ingest_failures")}
    assert loaded | failed == names
    assert not loaded & failed
    assert summary.loaded == len(loaded)
    assert summary.failed == len(failed)
    assert len(loaded) >= len(names) - 1  # a lost worker's PDFs are run again on the other
    cluster.add_worker()  # the next test gets two workers again
    cluster.wait_for_workers(2)


@pytest.mark.usefixtures("prefect_harness", "fake")
def test_caselines_ingest_dask_runs_on_the_cluster_and_names_the_failures(
    cluster: DaskCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))  # the harness's server
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    _pdf(corpus, "good.pdf", b"good")
    _pdf(corpus, "other.pdf", b"other")
    _pdf(corpus, "hang.pdf", b"HANG")
    result = CliRunner().invoke(
        app,
        ["ingest", str(corpus), "--db", str(db), "--time-limit", "1", "--dask", cluster.address],
    )
    assert result.exit_code == 1, result.output
    assert f"Dask cluster at {cluster.address}: 2 workers, 2 threads" in result.output
    assert "hang.pdf" in result.output
    assert "time_limit" in result.output
    assert "2 loaded" in result.output
    assert counts(db)["documents"] == 2


def test_a_dask_address_with_no_scheduler_is_one_clear_error() -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(ClusterError, match=f"no Dask scheduler answers at {address}"):
        check(address, timeout_s=2)
    assert time.monotonic() - started < 30


def test_the_dask_flow_uses_a_dask_task_runner_on_that_address() -> None:
    from prefect_dask import DaskTaskRunner

    assert ingest_flow_for(None) is ingest_flow
    runner = ingest_flow_for("tcp://127.0.0.1:8786").task_runner
    assert isinstance(runner, DaskTaskRunner)
    assert runner.address == "tcp://127.0.0.1:8786"


def test_a_stage_failure_survives_the_trip_back_from_a_worker() -> None:
    exc = pickle.loads(pickle.dumps(StageFailed(StageFailure("time_limit", "stopped after 6 s"))))
    assert isinstance(exc, StageFailed)
    assert exc.failure == StageFailure("time_limit", "stopped after 6 s")
    assert str(exc) == "time_limit: stopped after 6 s"


class _LostFuture:
    """A task future as prefect-dask's looks when Dask gave up on the task."""

    def result(self, raise_on_failure: bool = True) -> object:
        from types import SimpleNamespace

        from distributed import KilledWorker

        last_worker = SimpleNamespace(address="tcp://127.0.0.1:1")
        raise KilledWorker("task-1", last_worker, allowed_failures=3)  # type: ignore[arg-type]


def test_a_task_dask_gave_up_on_is_a_failure_row_not_a_lost_run() -> None:
    from flows.discover import PdfFile
    from flows.ingest import EXTRACT, _outcome, failure_from

    outcome = _outcome(_LostFuture())  # type: ignore[arg-type]
    assert type(outcome).__name__ == "KilledWorker"
    pdf = PdfFile(path="/c/a.pdf", sha256="ab" * 32, size=3)
    row = failure_from(pdf, EXTRACT, outcome)
    assert (row.path, row.stage, row.error) == ("/c/a.pdf", EXTRACT, "KilledWorker")
    assert "task-1" in row.message
