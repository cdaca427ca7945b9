"""The ingest flow: find PDFs, skip known ones, extract -> transform per PDF, load, report.

The flow only composes tasks. One flow run per ingest (tasks inside it), because each flow
run costs Prefect about a second. Retries are set only on the I/O tasks (reading files,
writing the warehouse); a PDF that fails to parse fails the same way twice.

Parallelism and limits: the extract and transform tasks of each PDF run on Prefect's
ThreadPoolTaskRunner, but a task's thread only hands its stage to a worker process from
`flows.sandbox.WorkerPool` and waits. So `workers` processes do the CPU work in parallel, a
stage that passes its time limit is killed with its process, and a memory bomb hits the
worker's RLIMIT_AS. Loading stays in the flow process: one writer, batches of documents.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import load
from extract.records import Document
from extract.types import PdfBackend
from flows import progress, stages
from flows.discover import PdfFile, discover
from flows.plan import Plan, make_plan
from flows.sandbox import StageFailed, StageFailure, WorkerConfig, WorkerPool, one_line
from flows.settings import (
    DEFAULT_CORPUS,
    DEFAULT_LOAD_BATCH,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_PDF_BACKEND,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_WORKERS,
    IN_FLIGHT_PER_WORKER,
    MAX_TASK_THREADS,
    TIME_LIMIT_GRACE_S,
    pdf_backend_named,
)
from flows.settings import pipeline_version as versioned
from transform.records import Extraction

EXTRACT = "extract"
TRANSFORM = "transform"
LOAD = "load"

_pool: contextvars.ContextVar[WorkerPool] = contextvars.ContextVar("caselines_worker_pool")
"""The flow run's worker pool; Prefect copies the context into every task thread."""
_process_pool: list[WorkerPool] = []
"""A pool for tasks run away from the flow (e.g. on a Dask worker), made on first use."""


def _worker_pool_here() -> WorkerPool:
    """The flow's pool, or, where a task runner ships tasks to other machines, one per process."""
    pool = _pool.get(None)
    if pool is not None:
        return pool
    if not _process_pool:
        config = WorkerConfig(DEFAULT_MEMORY_LIMIT_MB, warm=stages.WARM, preload=stages.modules())
        _process_pool.append(WorkerPool(os.cpu_count() or 1, config))
    return _process_pool[0]


@dataclass(frozen=True)
class Limits:
    """Per-PDF limits every stage call runs under."""

    time_limit_s: float
    max_pages: int
    pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
    """Travels to the worker as a plain string argument of the extract stage."""


@dataclass(frozen=True)
class LoadResult:
    loaded: int
    failures: tuple[load.Failure, ...] = ()
    """Documents the warehouse refused (a constraint a transform bug broke): stage 'load'."""


@dataclass(frozen=True)
class IngestSummary:
    found: int
    new: int
    skipped: int
    loaded: int
    failures: tuple[load.Failure, ...]
    lines: int
    drugs: int
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures


def failure_from(pdf: PdfFile, stage: str, exc: BaseException) -> load.Failure:
    """A Failure row from what a stage raised (a StageFailed carries code and reason)."""
    if isinstance(exc, StageFailed):
        f: StageFailure = exc.failure
        return load.Failure(pdf.path, pdf.sha256, stage, f.code, f.message)
    code = getattr(exc, "code", None)
    error = code if isinstance(code, str) and code else type(exc).__name__
    return load.Failure(pdf.path, pdf.sha256, stage, error, one_line(exc))


# --- tasks -------------------------------------------------------------------------------


@task(name="discover", retries=2, retry_delay_seconds=1)
def discover_task(paths: list[str]) -> tuple[list[PdfFile], list[load.Failure]]:
    return discover(paths)


@task(name="plan")
def plan_task(files: list[PdfFile], db: str, force: bool, pipeline_version: str) -> Plan:
    """Skip PDFs whose content and pipeline version are already loaded (unless forced)."""
    con = load.connect(db)
    try:
        known = load.known_documents(con)
    finally:
        con.close()
    return make_plan(files, known, force, pipeline_version)


@task(name="record-moves", retries=2, retry_delay_seconds=1)
def record_moves_task(db: str, moved: dict[str, str]) -> int:
    """Keep documents.path current for renamed PDFs (a later change in place finds them)."""
    con = load.connect(db)
    try:
        load.update_paths(con, moved)
    finally:
        con.close()
    return len(moved)


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(pdf: PdfFile, limits: Limits) -> Document | StageFailure:
    """PDF -> Document in a worker process (killed past the limit); no retries: CPU-bound.

    A bad PDF is an expected outcome, returned as its StageFailure (the task completes), so
    Prefect logs no ERROR lines for it; the flow logs one WARNING and records the failure.
    """
    try:
        doc: Document = _worker_pool_here().run(
            stages.EXTRACT,
            (pdf.path,),
            {
                "time_limit_s": limits.time_limit_s,
                "max_pages": limits.max_pages,
                "backend": limits.pdf_backend,
            },
            time_limit_s=limits.time_limit_s + TIME_LIMIT_GRACE_S,
        )
    except StageFailed as exc:
        return exc.failure
    return doc


@task(name="transform", cache_policy=NO_CACHE)
def transform_task(doc: Document, limits: Limits) -> Extraction | StageFailure:
    """Document -> Extraction in a worker process, under the same per-stage time limit."""
    try:
        ext: Extraction = _worker_pool_here().run(
            stages.TRANSFORM, (doc,), time_limit_s=limits.time_limit_s + TIME_LIMIT_GRACE_S
        )
    except StageFailed as exc:
        return exc.failure
    return ext


@task(name="sync-synonyms", retries=2, retry_delay_seconds=1)
def sync_synonyms_task(db: str) -> bool:
    from transform.mentions.lexicon import get_lexicon

    lexicon = get_lexicon()
    con = load.connect(db)
    try:
        return load.sync_synonyms(con, lexicon.synonym_rows(), lexicon.version)
    finally:
        con.close()


@task(name="load", retries=2, retry_delay_seconds=2)
def load_task(
    db: str,
    extractions: list[Extraction],
    failures: list[load.Failure],
    replaces: dict[str, tuple[str, ...]],
    pipeline_version: str,
    run_id: str | None,
) -> LoadResult:
    """The single writer: each document in its own transaction, then the failures.

    A document the warehouse refuses (a constraint) becomes a 'load' failure and the batch
    goes on; an I/O error raises, for the task's retries (reloading a document is idempotent).
    """
    con = load.connect(db)
    refused: list[load.Failure] = []
    try:
        for ext in extractions:
            try:
                load.load_extraction(con, ext, pipeline_version, replaces.get(ext.doc_id, ()))
            except duckdb.IOException:
                raise
            except duckdb.Error as exc:
                refused.append(load.Failure(ext.path, ext.doc_id, LOAD, "refused", one_line(exc)))
        load.record_failures(con, [*failures, *refused], run_id)
    finally:
        con.close()
    return LoadResult(len(extractions) - len(refused), tuple(refused))


# --- composition helpers (run in the flow; they only submit tasks and collect states) -----


@contextlib.contextmanager
def _worker_pool(workers: int, memory_limit_mb: int | None) -> Iterator[WorkerPool]:
    config = WorkerConfig(memory_limit_mb, warm=stages.WARM, preload=stages.modules())
    pool = WorkerPool(workers, config)
    token = _pool.set(pool)
    try:
        yield pool
    finally:
        _pool.reset(token)
        pool.close()


def _pipelines(
    todo: Sequence[PdfFile], limits: Limits, workers: int
) -> Iterator[tuple[PdfFile, Extraction | load.Failure]]:
    """extract -> transform for every PDF, `workers` at a time; yields outcomes as they finish.

    At most IN_FLIGHT_PER_WORKER * workers PDFs are submitted ahead, so results are loaded
    (and dropped) as they come and memory stays flat however long the corpus.
    """
    done: queue.SimpleQueue[tuple[PdfFile, str, PrefectFuture[Any]]] = queue.SimpleQueue()

    def submit(pdf: PdfFile, stage: str, future: PrefectFuture[Any]) -> None:
        future.add_done_callback(lambda f: done.put((pdf, stage, f)))

    waiting = list(reversed(todo))
    in_flight = 0
    window = max(1, workers * IN_FLIGHT_PER_WORKER)
    while waiting or in_flight:
        while waiting and in_flight < window:
            pdf = waiting.pop()
            submit(pdf, EXTRACT, extract_task.submit(pdf, limits))
            in_flight += 1
        pdf, stage, future = done.get()
        result: Any = future.result(raise_on_failure=False)
        if isinstance(result, StageFailure):
            in_flight -= 1
            yield pdf, load.Failure(pdf.path, pdf.sha256, stage, result.code, result.message)
        elif isinstance(result, BaseException):
            in_flight -= 1
            yield pdf, failure_from(pdf, stage, result)
        elif stage == EXTRACT:
            doc: Any = quote(result)  # hand the Document over as is, not walked for futures
            submit(pdf, TRANSFORM, transform_task.submit(doc, limits))
        else:
            in_flight -= 1
            yield pdf, result


def _summary_markdown(summary: IngestSummary) -> str:
    rows = "\n".join(
        f"| {f.path} | {f.stage} | {f.error} | {f.message} |" for f in summary.failures
    )
    failures = (
        f"\n\n### Failures\n\n| path | stage | error | message |\n|---|---|---|---|\n{rows}"
        if rows
        else ""
    )
    return (
        "## caselines ingest\n\n| found | new | skipped | loaded | failed | lines | drugs |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| {summary.found} | {summary.new} | {summary.skipped} | {summary.loaded} "
        f"| {summary.failed} | {summary.lines} | {summary.drugs} |" + failures
    )


@flow(
    name="caselines-ingest",
    task_runner=ThreadPoolTaskRunner(max_workers=MAX_TASK_THREADS),  # type: ignore[arg-type]
)
def ingest_flow(
    paths: list[str] | None = None,
    db: str = "caselines.duckdb",
    workers: int = DEFAULT_WORKERS,
    force: bool = False,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    max_pages: int = DEFAULT_MAX_PAGES,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    pipeline_version: str | None = None,
    pdf_backend: str = DEFAULT_PDF_BACKEND,
) -> IngestSummary:
    """Ingest case-report PDFs into the DuckDB warehouse at `db`.

    Holds the warehouse's writer lock for the whole run: a second ingest waits for it.
    `pdf_backend` names an extract.types.PdfBackend; `pipeline_version` defaults to
    flows.settings.pipeline_version(pdf_backend).
    """
    logger = get_run_logger()
    backend = pdf_backend_named(pdf_backend)
    version = pipeline_version or versioned(backend)
    with load.writer_lock(db, on_wait=logger.warning):
        files, failures = discover_task(list(paths or [DEFAULT_CORPUS]))
        plan = plan_task(files, db, force, version)
        logger.info(
            "%d PDFs found, %d to process, %d unchanged",
            len(files),
            len(plan.todo),
            len(plan.skipped),
        )
        if plan.moved:
            record_moves_task(db, plan.moved)
        with _worker_pool(max(1, workers), memory_limit_mb or None) as pool:
            if plan.todo:
                pool.start_all()  # workers warm up while the synonyms sync
            sync_synonyms_task(db)
            summary = _ingest_planned(
                db,
                files,
                failures,
                plan,
                Limits(time_limit_s, max_pages, backend),
                workers,
                version,
            )
    create_markdown_artifact(
        key="caselines-ingest-summary",
        markdown=_summary_markdown(summary),
        description="PDFs found, loaded, skipped and failed in this run",
    )
    return summary


def _ingest_planned(
    db: str,
    files: list[PdfFile],
    failures: list[load.Failure],
    plan: Plan,
    limits: Limits,
    workers: int,
    pipeline_version: str,
) -> IngestSummary:
    """Run the planned PDFs through the stages and load them in batches (single writer)."""
    logger = get_run_logger()
    bar = progress.current()
    bar.start(len(plan.todo))
    run_id = str(flow_run.get_id() or "")
    batch: list[Extraction] = []
    loaded = lines = 0
    drugs: set[str] = set()
    warnings: list[str] = []
    all_failures: list[load.Failure] = list(failures)
    pending: list[load.Failure] = list(failures)

    def flush() -> None:
        nonlocal loaded, batch, pending
        result = load_task(db, batch, pending, plan.replaces, pipeline_version, run_id)
        loaded += result.loaded
        all_failures.extend(result.failures)
        batch, pending = [], []

    try:
        for pdf, outcome in _pipelines(plan.todo, limits, workers):
            if isinstance(outcome, load.Failure):
                logger.warning(
                    "%s failed at %s (%s): %s",
                    pdf.path,
                    outcome.stage,
                    outcome.error,
                    outcome.message,
                )
                all_failures.append(outcome)
                pending.append(outcome)
            else:
                batch.append(outcome)
                lines += len(outcome.lines)
                drugs.update(x.drug for x in outcome.exposures)
                warnings.extend(f"{pdf.path}: {w}" for w in outcome.warnings)
            bar.advance(pdf.path, not isinstance(outcome, load.Failure))
            if len(batch) >= DEFAULT_LOAD_BATCH:
                flush()
        if batch or pending:
            flush()
    finally:
        bar.finish()
    return IngestSummary(
        found=len(files),
        new=len(plan.todo),
        skipped=len(plan.skipped),
        loaded=loaded,
        failures=tuple(all_failures),
        lines=lines,
        drugs=len(drugs),
        warnings=tuple(warnings),
    )
