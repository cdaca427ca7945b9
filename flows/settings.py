"""Typed configuration of the flows: defaults a data engineer can override, nothing hidden."""

from __future__ import annotations

import os

from extract.types import PDF_BACKENDS, PdfBackend
from extract.words import DEFAULT_BACKEND

PIPELINE_VERSION = "0.5.1"
"""Bump when extraction logic changes: documents loaded by an older version are re-processed."""
DEFAULT_PDF_BACKEND: PdfBackend = DEFAULT_BACKEND
"""The library that reads the PDFs' characters (extract.types.PdfBackend)."""


def pdf_backend_named(name: str) -> PdfBackend:
    """The backend called `name`; ValueError for any other name. Flow parameters are plain
    strings: a served deployment validates them without the module's type aliases."""
    for backend in PDF_BACKENDS:
        if backend == name:
            return backend
    raise ValueError(f"unknown PDF backend {name!r}; choose one of {', '.join(PDF_BACKENDS)}")


def pipeline_version(pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND) -> str:
    """The version recorded with every loaded document: the extraction logic's, marked with
    the PDF backend when it is not the default ('0.5.1+pdfplumber'), so that switching
    backends re-processes what the other one loaded."""
    if pdf_backend == DEFAULT_PDF_BACKEND:
        return PIPELINE_VERSION
    return f"{PIPELINE_VERSION}+{pdf_backend}"


DB_ENV = "CASELINES_DB"
DEFAULT_DB = "caselines.duckdb"
DEFAULT_CORPUS = "corpus"
DEFAULT_TIME_LIMIT_S = 120.0
"""Per-PDF limit for extraction and transformation; a hostile file cannot hang the run."""
DEFAULT_MAX_PAGES = 500
"""Case reports run to tens of pages; a longer PDF is a book or an error."""
DEFAULT_LOAD_BATCH = 100
"""Most documents per load step (one transaction): bounds the results held in memory; a batch
this size amortises DuckDB's per-statement cost to well under a millisecond a document."""
LOAD_FLUSH_S = 10.0
"""A batch is also written once this long has passed since the last write, so a slow run
(a few PDFs a second) still commits as it goes; a fast one fills whole batches."""
DEFAULT_MEMORY_LIMIT_MB = 4096
"""Address-space cap (RLIMIT_AS) of each worker process: a warm worker (stages imported,
lexicon loaded) maps about 0.3 GB, a sane PDF adds a few hundred MB; a memory bomb fails
alone instead of taking the machine (and the run) down."""
TIME_LIMIT_GRACE_S = 5.0
"""Seconds past the time limit before a stage's worker is killed: the extract stage checks
the limit itself and fails cleanly; the kill is for a PDF stuck where no check runs."""
IN_FLIGHT_PER_WORKER = 2
"""PDFs submitted ahead per worker: keeps workers busy while bounding memory held in results."""


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, as a container or taskset limits it),
    not the machine's count: `os.process_cpu_count()` from Python 3.13, the same by hand
    before it."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


DEFAULT_WORKERS = available_cpus()
"""Worker processes per ingest: one per CPU this process may use."""
MAX_TASK_THREADS = 64
"""Threads of the flow's task runner; they only wait on worker processes, `workers` decides."""

PREFECT_DEFAULTS: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}
"""Embedded defaults: ephemeral Prefect, no telemetry, quiet console (overridable by env).
The first run in a fresh PREFECT_HOME creates Prefect's SQLite database, which on a busy
two-core machine takes longer than Prefect's default 20 s startup wait."""


def default_db() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


EPHEMERAL_SERVER_DEFAULTS: dict[str, str] = {
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
}
"""Only when Prefect runs its ephemeral server inside `caselines ingest`: that server logs its
own shutdown race (task-run events still in flight when the process exits) as tracebacks
after the run has finished and the warehouse is committed. It is Prefect's bookkeeping, not
the user's data; a real server (PREFECT_API_URL, `caselines serve`) keeps its logging."""


def apply_prefect_defaults(*, ephemeral: bool = False) -> None:
    """Set Prefect's embedded defaults unless the user set them; must run before Prefect loads."""
    defaults = dict(PREFECT_DEFAULTS)
    if ephemeral and not os.environ.get("PREFECT_API_URL"):
        defaults.update(EPHEMERAL_SERVER_DEFAULTS)
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
