"""The ingest flow: find PDFs, skip known ones, extract -> transform per PDF, load, report.

The flow only composes tasks. One flow run per ingest (tasks inside it), because each flow
run costs Prefect about a second. Retries are set only on the I/O tasks (reading files,
writing the warehouse); a PDF that fails to parse fails the same way twice.

Parallelism and limits: the extract and transform tasks of each PDF run on Prefect's
ThreadPoolTaskRunner, but a task's thread only hands its stage to a worker process from
`flows.sandbox.WorkerPool` and waits. So `workers` processes do the CPU work in parallel, a
stage that passes its time limit is killed with its process, and a memory bomb hits the
worker's RLIMIT_AS. Loading stays in the flow process: one writer, batches of documents.

On Dask (`ingest_flow_for(address)`) the extract and transform tasks run on the Dask workers
instead, each worker through its own sandbox pool (made on first use), so the same limits
hold there. What travels is plain data: the PDF's path and hash, the limits, the stage names,
and the Document and Extraction records coming back; loading still happens here.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import Flow, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import load
from extract.records import Document
from extract.types import PdfBackend
from flows import cluster, progress, stages
from flows.discover import PdfFile, discover
from flows.plan import Plan, make_plan
from flows.sandbox import (
    StageFailed,
    StageFailure,
    WorkerConfig,
    WorkerPool,
    one_line,
    take_prestarted,
)
from flows.settings import (
    DEFAULT_CORPUS,
    DEFAULT_LOAD_BATCH,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_PDF_BACKEND,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_WORKERS,
    IN_FLIGHT_PER_WORKER,
    LOAD_FLUSH_S,
    MAX_TASK_THREADS,
    TIME_LIMIT_GRACE_S,
    pdf_backend_named,
)
from flows.settings import pipeline_version as versioned
from load.corrections import CorrectionsInvalid, read_document, store_dir
from transform.records import Extraction

EXTRACT = "extract"
TRANSFORM = "transform"
LOAD = "load"

_pool: contextvars.ContextVar[WorkerPool] = contextvars.ContextVar("caselines_worker_pool")
"""The flow run's worker pool; Prefect copies the context into every task thread."""
_process_pools: dict[WorkerConfig, WorkerPool] = {}
"""Pools for tasks run away from the flow (on a Dask worker), one per config, made on first use
and kept for the life of that process, so the stages stay warm across flow runs."""
_process_pools_lock = threading.Lock()


@dataclass(frozen=True)
class Limits:
    """Per-PDF limits every stage call runs under."""

    time_limit_s: float
    max_pages: int
    memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB
    """RLIMIT_AS of each worker process; None leaves it unlimited."""
    pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
    """Travels to the worker as a plain string argument of the extract stage."""


@dataclass(frozen=True)
class StageCalls:
    """The stage functions by name, read in the flow process and sent with every task.

    Why sent: a task on a Dask worker runs what the flow named, not what that process's
    flows.stages happens to say (a test points the stages at stand-ins in the flow process).
    """

    extract: str
    transform: str
    warm: tuple[str, ...]
    preload: tuple[str, ...]

    @classmethod
    def current(cls) -> StageCalls:
        return cls(stages.EXTRACT, stages.TRANSFORM, stages.WARM, stages.modules())

    def worker_config(self, memory_limit_mb: int | None) -> WorkerConfig:
        return WorkerConfig(memory_limit_mb, warm=self.warm, preload=self.preload)


def _worker_pool_here(calls: StageCalls, limits: Limits) -> WorkerPool:
    """The flow's pool, or, where the task runs in another process (a Dask worker), that
    process's own pool, sized to the tasks it runs at once."""
    pool = _pool.get(None)
    if pool is not None:
        return pool
    config = calls.worker_config(limits.memory_limit_mb)
    with _process_pools_lock:
        pool = _process_pools.get(config)
        if pool is None:
            # a Dask worker started with Dask's defaults is a daemonic process: the pool
            # starts its workers as subprocesses there (flows.sandbox.default_start)
            pool = _process_pools[config] = WorkerPool(cluster.threads_here(), config)
    return pool


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


def failure_from(pdf: PdfFile, stage: str, exc: BaseException | StageFailure) -> load.Failure:
    """A Failure row from what a stage returned or raised (a StageFailure, or a StageFailed
    carrying one, has its code and reason; anything else is named by its class)."""
    if isinstance(exc, StageFailed):
        exc = exc.failure
    if isinstance(exc, StageFailure):
        return load.Failure(pdf.path, pdf.sha256, stage, exc.code, exc.message)
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
def extract_task(pdf: PdfFile, limits: Limits, calls: StageCalls) -> Document | StageFailure:
    """PDF -> Document in a worker process (killed past the limit); no retries: CPU-bound.

    A bad PDF is an expected outcome, returned as its StageFailure (the task completes), so
    Prefect logs no ERROR lines for it; the flow logs one WARNING and records the failure.
    """
    try:
        doc: Document = _worker_pool_here(calls, limits).run(
            calls.extract,
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
def transform_task(doc: Document, limits: Limits, calls: StageCalls) -> Extraction | StageFailure:
    """Document -> Extraction in a worker process, under the same per-stage time limit."""
    try:
        ext: Extraction = _worker_pool_here(calls, limits).run(
            calls.transform, (doc,), time_limit_s=limits.time_limit_s + TIME_LIMIT_GRACE_S
        )
    except StageFailed as exc:
        return exc.failure
    return ext


@task(name="sync-synonyms", retries=2, retry_delay_seconds=1)
def sync_synonyms_task(db: str) -> bool:
    from transform.mentions.lexicon import get_lexicon
    from transform.mentions.lexicon.loader import lexicon_version

    con = load.connect(db)
    try:
        if load.loaded_lexicon_version(con) == lexicon_version():
            return False  # current: the lexicon is not built only to say so (seconds)
        lexicon = get_lexicon()
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
    """The single writer: the batch in one transaction, then the failures.

    A document the warehouse refuses (a constraint) becomes a 'load' failure and the others
    load (load_extractions retries a refused batch one document at a time); an I/O error
    raises, for the task's retries (reloading a document is idempotent).
    """
    con = load.connect(db)
    try:
        refused = [
            load.Failure(r.ext.path, r.ext.doc_id, LOAD, "refused", one_line(r.error))
            for r in load.load_extractions(con, extractions, pipeline_version, replaces)
        ]
        load.record_failures(con, [*failures, *refused], run_id)
    finally:
        con.close()
    return LoadResult(len(extractions) - len(refused), tuple(refused))


def curated(ext: Extraction, corrections: Path) -> Extraction | load.Failure:
    """The extraction with its document's corrections applied (docs/corrections.md), in the
    flow process: the stored corrections are read here, once, not in every worker. A file
    that does not parse fails the document (its older rows stay) with the file and line."""
    try:
        found = read_document(corrections, ext.doc_id)
    except (CorrectionsInvalid, OSError, UnicodeDecodeError) as exc:
        return load.Failure(ext.path, ext.doc_id, TRANSFORM, "CorrectionsInvalid", one_line(exc))
    if not found:
        return ext
    from transform.assemble import assemble  # a tenth of a second most runs need not pay

    return assemble(ext, found)


def stale_warnings(ext: Extraction) -> list[str]:
    """One line per correction whose target the pipeline no longer finds (kept, not applied)."""
    return [
        f"{ext.path}: correction {o.correction.number} ({o.target}) not applied, stale: "
        f"{o.reason} [{o.correction.source}]"
        for o in ext.corrections
        if o.status == "stale"
    ]


# --- composition helpers (run in the flow; they only submit tasks and collect states) -----


@contextlib.contextmanager
def _worker_pool(
    workers: int, calls: StageCalls, limits: Limits, remote: bool
) -> Iterator[WorkerPool | None]:
    """The flow's own worker pool; none when the tasks run on a cluster (each Dask worker
    makes its own)."""
    if remote:
        yield None
        return
    config = calls.worker_config(limits.memory_limit_mb)
    # the command line may have started it already, beside Prefect's import (sandbox.prestart)
    pool = take_prestarted(workers, config) or WorkerPool(workers, config)
    token = _pool.set(pool)
    try:
        yield pool
    finally:
        _pool.reset(token)
        pool.close()


def _cluster_threads() -> int | None:
    """Threads of the Dask cluster this flow run's tasks go to; None when they run here."""
    ctx = FlowRunContext.get()
    if ctx is None or isinstance(ctx.task_runner, ThreadPoolTaskRunner):
        return None  # local: asking the cluster module would import Dask (a third of a second)
    return cluster.runner_threads(ctx.task_runner)


def _drain_cluster() -> None:
    """The Dask workers send this run's queued Prefect events before the run ends."""
    ctx = FlowRunContext.get()
    if ctx is not None:
        cluster.drain_workers(ctx.task_runner)


def _outcome(future: PrefectFuture[Any]) -> Any:
    """A task's result, or the exception that ended it, including the task runner's own
    (a Dask task whose workers all died raises KilledWorker here): a failure row, not a
    lost run."""
    try:
        return future.result(raise_on_failure=False)
    except Exception as exc:
        return exc


def _pipelines(
    todo: Sequence[PdfFile], limits: Limits, calls: StageCalls, slots: int, remote: bool
) -> Iterator[tuple[PdfFile, Extraction | load.Failure]]:
    """extract -> transform for every PDF, `slots` at a time; yields outcomes as they finish.

    At most IN_FLIGHT_PER_WORKER * slots PDFs are submitted ahead, so results are loaded
    (and dropped) as they come and memory stays flat however long the corpus.

    Locally the Document is handed to the transform task quoted (not walked for futures).
    On Dask it goes plain: Dask rebuilds tuples in task arguments, and Prefect's quote is a
    tuple, so the task would receive `(doc,)`; walking a Document costs a few milliseconds.
    """
    done: queue.SimpleQueue[tuple[PdfFile, str, PrefectFuture[Any]]] = queue.SimpleQueue()

    def submit(pdf: PdfFile, stage: str, future: PrefectFuture[Any]) -> None:
        future.add_done_callback(lambda f: done.put((pdf, stage, f)))

    waiting = list(reversed(todo))
    in_flight = 0
    window = max(1, slots * IN_FLIGHT_PER_WORKER)
    while waiting or in_flight:
        while waiting and in_flight < window:
            pdf = waiting.pop()
            submit(pdf, EXTRACT, extract_task.submit(pdf, limits, calls))
            in_flight += 1
        pdf, stage, future = done.get()
        result: Any = _outcome(future)
        if isinstance(result, StageFailure | BaseException):
            in_flight -= 1
            yield pdf, failure_from(pdf, stage, result)
        elif stage == EXTRACT:
            doc: Any = result if remote else quote(result)
            submit(pdf, TRANSFORM, transform_task.submit(doc, limits, calls))
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
    corrections: str | None = None,
) -> IngestSummary:
    """Ingest case-report PDFs into the DuckDB warehouse at `db`.

    `corrections` is the folder of the researchers' corrections (default `<db>.corrections`),
    applied to every document loaded (docs/corrections.md).

    Holds the warehouse's writer lock for the whole run: a second ingest waits for it.
    `workers` is the size of the local worker pool; when the flow runs on a Dask cluster
    (`ingest_flow_for`), the cluster's threads decide how many PDFs are worked on at once.
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
        limits = Limits(time_limit_s, max_pages, memory_limit_mb or None, backend)
        calls = StageCalls.current()
        threads = _cluster_threads()
        with _worker_pool(max(1, workers), calls, limits, remote=threads is not None) as pool:
            if plan.todo and pool is not None:
                pool.start_all()  # workers warm up while the synonyms sync
            sync_synonyms_task(db)
            summary = _ingest_planned(
                db,
                files,
                failures,
                plan,
                limits,
                calls,
                threads or max(1, workers),
                threads is not None,
                version,
                store_dir(db, corrections),
            )
            if threads is not None:
                _drain_cluster()
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
    calls: StageCalls,
    slots: int,
    remote: bool,
    pipeline_version: str,
    corrections: Path,
) -> IngestSummary:
    """Run the planned PDFs through the stages and load them in batches (single writer): a
    batch is written when it is full or LOAD_FLUSH_S after the last write, whichever first."""
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
    flushed_at = time.monotonic()

    def flush() -> None:
        nonlocal loaded, batch, pending, flushed_at
        result = load_task(db, batch, pending, plan.replaces, pipeline_version, run_id)
        loaded += result.loaded
        all_failures.extend(result.failures)
        batch, pending = [], []
        flushed_at = time.monotonic()

    try:
        for pdf, result in _pipelines(plan.todo, limits, calls, slots, remote):
            outcome = result if isinstance(result, load.Failure) else curated(result, corrections)
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
                warnings.extend(stale_warnings(outcome))
            bar.advance(pdf.path, not isinstance(outcome, load.Failure))
            if len(batch) >= DEFAULT_LOAD_BATCH or (
                batch and time.monotonic() - flushed_at >= LOAD_FLUSH_S
            ):
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


def ingest_flow_for(dask_address: str | None) -> Flow[..., IngestSummary]:
    """The ingest flow, with its extract and transform tasks on the Dask cluster at
    `dask_address` when one is given (prefect-dask's DaskTaskRunner)."""
    if dask_address is None:
        return ingest_flow
    return ingest_flow.with_options(task_runner=cluster.task_runner(dask_address))
