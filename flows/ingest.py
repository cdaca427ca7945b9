"""The ingest flow: find PDFs, skip known ones, extract -> transform per PDF, load, report.

The flow only composes tasks. One flow run per ingest (tasks inside it), because each flow
run costs Prefect about a second. Retries are set only on the I/O tasks (reading files,
writing the warehouse); a PDF that fails to parse fails the same way twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run
from prefect.states import State

import load
from extract.errors import ExtractError
from extract.pdf import read_document
from extract.records import Document
from flows import progress
from flows.discover import PdfFile, discover
from flows.settings import (
    DEFAULT_LOAD_BATCH,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIME_LIMIT_S,
    PIPELINE_VERSION,
)
from transform.lexicon import get_lexicon
from transform.pipeline import transform_document
from transform.records import Extraction

MESSAGE_LIMIT = 300
"""Characters of an error message kept in ingest_failures (one line)."""


@dataclass(frozen=True)
class Plan:
    todo: tuple[PdfFile, ...]
    skipped: tuple[PdfFile, ...]
    replaces: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """sha256 of a new PDF -> doc_ids of older versions of the same file path."""


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


def one_line(exc: BaseException) -> str:
    """A one-line reason for the terminal and ingest_failures."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:MESSAGE_LIMIT]


def failure_from(pdf: PdfFile, stage: str, exc: BaseException) -> load.Failure:
    code = exc.code if isinstance(exc, ExtractError) else type(exc).__name__
    return load.Failure(pdf.path, pdf.sha256, stage, code, one_line(exc))


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
    todo: list[PdfFile] = []
    skipped: list[PdfFile] = []
    replaces: dict[str, tuple[str, ...]] = {}
    for pdf in files:
        doc = known.get(pdf.sha256)
        if not force and doc is not None and doc.pipeline_version == pipeline_version:
            skipped.append(pdf)
            continue
        todo.append(pdf)
        older = tuple(
            k.doc_id for k in known.values() if k.path == pdf.path and k.doc_id != pdf.sha256
        )
        if older:
            replaces[pdf.sha256] = older
    return Plan(tuple(todo), tuple(skipped), replaces)


@task(name="extract")
def extract_task(pdf: PdfFile, time_limit_s: float, max_pages: int) -> Document:
    return read_document(pdf.path, time_limit_s=time_limit_s, max_pages=max_pages)


@task(name="transform")
def transform_task(doc: Document) -> Extraction:
    return transform_document(doc)


@task(name="sync-synonyms", retries=2, retry_delay_seconds=1)
def sync_synonyms_task(db: str) -> bool:
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
) -> int:
    """The single writer: each document in its own transaction, then the failures."""
    con = load.connect(db)
    try:
        for ext in extractions:
            load.load_extraction(con, ext, pipeline_version, replaces.get(ext.doc_id, ()))
        load.record_failures(con, failures, run_id)
    finally:
        con.close()
    return len(extractions)


def _process(pdf: PdfFile, time_limit_s: float, max_pages: int) -> Extraction | load.Failure:
    """extract -> transform for one PDF; a failing stage becomes a Failure record."""
    state: State = extract_task(pdf, time_limit_s, max_pages, return_state=True)
    if state.is_failed():
        return failure_from(pdf, "extract", state.result(raise_on_failure=False))
    doc = state.result()
    state = transform_task(doc, return_state=True)
    if state.is_failed():
        return failure_from(pdf, "transform", state.result(raise_on_failure=False))
    result: Extraction = state.result()
    return result


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


@flow(name="caselines-ingest")
def ingest_flow(
    paths: Sequence[str] = ("corpus",),
    db: str = "caselines.duckdb",
    workers: int = 1,
    force: bool = False,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    max_pages: int = DEFAULT_MAX_PAGES,
    pipeline_version: str = PIPELINE_VERSION,
) -> IngestSummary:
    """Ingest case-report PDFs into the DuckDB warehouse at `db`."""
    logger = get_run_logger()
    files, failures = discover_task(list(paths))
    plan = plan_task(files, db, force, pipeline_version)
    logger.info(
        "%d PDFs found, %d to process, %d unchanged", len(files), len(plan.todo), len(plan.skipped)
    )
    sync_synonyms_task(db)
    bar = progress.current()
    bar.start(len(plan.todo))
    run_id = str(flow_run.get_id() or "")
    batch: list[Extraction] = []
    loaded = lines = 0
    drugs: set[str] = set()
    warnings: list[str] = []
    all_failures: list[load.Failure] = list(failures)
    pending_failures: list[load.Failure] = list(failures)
    for pdf in plan.todo:
        outcome = _process(pdf, time_limit_s, max_pages)
        if isinstance(outcome, load.Failure):
            logger.warning("%s failed at %s: %s", pdf.path, outcome.stage, outcome.message)
            all_failures.append(outcome)
            pending_failures.append(outcome)
        else:
            batch.append(outcome)
            lines += len(outcome.lines)
            drugs.update(x.drug for x in outcome.exposures)
            warnings.extend(f"{pdf.path}: {w}" for w in outcome.warnings)
        bar.advance(pdf.path, not isinstance(outcome, load.Failure))
        if len(batch) >= DEFAULT_LOAD_BATCH:
            loaded += load_task(
                db, batch, pending_failures, plan.replaces, pipeline_version, run_id
            )
            batch, pending_failures = [], []
    if batch or pending_failures:
        loaded += load_task(db, batch, pending_failures, plan.replaces, pipeline_version, run_id)
    bar.finish()
    summary = IngestSummary(
        found=len(files),
        new=len(plan.todo),
        skipped=len(plan.skipped),
        loaded=loaded,
        failures=tuple(all_failures),
        lines=lines,
        drugs=len(drugs),
        warnings=tuple(warnings),
    )
    create_markdown_artifact(
        key="caselines-ingest-summary",
        markdown=_summary_markdown(summary),
        description="PDFs found, loaded, skipped and failed in this run",
    )
    return summary
