"""The `caselines` command line: ingest, query, text, report, audit, serve, export.

Typer for the commands, Rich for tables and the progress bar. Prefect is configured with
its embedded defaults (ephemeral server, no telemetry) before it is imported.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extract.types import PDF_BACKENDS, PdfBackend
from flows.cli_cohort import register as register_cohort
from flows.cli_corrections import CorrectionsOption
from flows.cli_corrections import register as register_corrections
from flows.settings import (
    DEFAULT_CORPUS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_PDF_BACKEND,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_WORKERS,
    apply_prefect_defaults,
    default_db,
)

if TYPE_CHECKING:
    from export import ExportResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Oncology case-report PDFs -> a DuckDB warehouse of lines of therapy and PFS.",
)
PIPE_WIDTH = 200
"""Columns of a table written to a pipe or file: Rich's 80 would fold every cell."""


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    wide = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(stderr=stderr, width=PIPE_WIDTH if wide else None)


console = _console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB file (default: $CASELINES_DB, else caselines.duckdb)."),
]


DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Run extract and transform on the Dask scheduler at ADDRESS "
        "(e.g. tcp://host:8786; needs caselines[dask]). Loading stays here.",
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class PdfBackendChoice(StrEnum):
    """`--pdf-backend`: the values of extract.types.PdfBackend."""

    pdfplumber = "pdfplumber"
    pdfium = "pdfium"


DEFAULT_BACKEND_CHOICE = PdfBackendChoice(DEFAULT_PDF_BACKEND)
PdfBackendOption = Annotated[
    PdfBackendChoice,
    typer.Option(
        "--pdf-backend",
        help="Library that reads the PDFs' characters: pdfplumber (the reference) or pdfium "
        "(many times faster, the same blocks).",
    ),
]


class QueryRefused(Exception):
    """A statement that `caselines query` will not run (it is read-only, one statement)."""


def _backend(choice: PdfBackendChoice) -> PdfBackend:
    return next(b for b in PDF_BACKENDS if b == choice.value)


def _db(db: str | None) -> str:
    return db or default_db()


def _fail(label: str, exc: BaseException, code: int) -> NoReturn:
    """One red line on stderr (the reason on one line, markup escaped), then exit `code`."""
    err.print(f"[red]{label}:[/red] {escape(' '.join(str(exc).split()))}", soft_wrap=True)
    raise typer.Exit(code) from exc


# --- query ------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def run_query(sql: str, db: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement; raise QueryRefused for anything else."""
    import duckdb

    import load

    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"expected one SQL statement, got {len(statements)}")
    con = load.connect(db, read_only=True)
    try:
        try:
            rel = con.execute(sql)
        except (duckdb.InvalidInputException, duckdb.PermissionException) as exc:
            raise QueryRefused(
                f"the warehouse is opened read-only; `caselines query` runs queries only ({exc})"
            ) from exc
        if rel.description is None:
            return [], []
        columns = [d[0] for d in rel.description]
        return columns, rel.fetchall()
    finally:
        con.close()


def format_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return json.dumps(
            [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            ensure_ascii=False,
        )
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else _jsonable(v) for v in row])
        return buf.getvalue().rstrip("\n")
    raise ValueError(fmt)


SHORT_HASH = 12
"""Characters of a SHA-256 shown in tables (like git's short hashes); csv and json keep it all."""
HASH_COLUMNS = frozenset({"doc_id", "sha256"})


def _cell(column: str, value: Any) -> str:
    """A value as a table shows it: short hashes, lists joined, nulls blank."""
    if value is None:
        return ""
    if column in HASH_COLUMNS and isinstance(value, str) and len(value) > SHORT_HASH:
        return value[:SHORT_HASH]
    if isinstance(value, list | tuple):
        return ", ".join(str(_jsonable(v)) for v in value)
    return str(_jsonable(value))


def print_table(columns: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(c, v) for c, v in zip(columns, row, strict=True)))
    console.print(table)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    db: DbOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json (a list of row objects).")
    ] = OutputFormat.table,
) -> None:
    """Run one read-only SQL statement against the warehouse."""
    import duckdb

    from load import WarehouseBusy

    try:
        columns, rows = run_query(sql, _db(db))
    except QueryRefused as exc:
        _fail("refused", exc, 2)
    except FileNotFoundError as exc:
        _fail("error", exc, 2)
    except WarehouseBusy as exc:
        _fail("busy", exc, 3)
    except duckdb.Error as exc:
        _fail("SQL error", exc, 1)
    if fmt is OutputFormat.table:
        print_table(columns, rows)
    else:
        sys.stdout.write(format_rows(columns, rows, fmt) + "\n")


# --- ingest -----------------------------------------------------------------------------


class RichProgress:
    """The terminal progress bar: PDFs done / total, with the failures counted."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        )
        self._task: Any = None
        self._failed = 0

    def start(self, total: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("ingest", total=total, failed=0)

    def advance(self, path: str, ok: bool) -> None:
        if not ok:
            self._failed += 1
        self._progress.update(self._task, advance=1, failed=self._failed)

    def finish(self) -> None:
        self._progress.stop()


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="PDF files and folders (default: corpus/).")
    ] = None,
    db: DbOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Parallel PDF worker processes (default: the CPUs this process may use)."
        ),
    ] = DEFAULT_WORKERS,
    force: Annotated[bool, typer.Option(help="Re-ingest PDFs already loaded.")] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds per PDF per stage.")
    ] = DEFAULT_TIME_LIMIT_S,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="Longer PDFs are refused unread.")
    ] = DEFAULT_MAX_PAGES,
    memory_limit: Annotated[
        int, typer.Option("--memory-limit", min=256, help="MB of address space per worker.")
    ] = DEFAULT_MEMORY_LIMIT_MB,
    pdf_backend: PdfBackendOption = DEFAULT_BACKEND_CHOICE,
    dask: DaskOption = None,
    corrections: CorrectionsOption = None,
) -> None:
    """Ingest PDFs into the warehouse (new or changed ones only unless --force)."""
    apply_prefect_defaults(ephemeral=dask is None)
    from flows.plan import outdated_schema, unchanged_corpus
    from flows.settings import pipeline_version

    corpus = list(paths or [DEFAULT_CORPUS])
    backend = _backend(pdf_backend)
    outdated = outdated_schema(_db(db))
    if outdated is not None:
        _fail("error", outdated, 2)
    unchanged = unchanged_corpus(corpus, _db(db), force, pipeline_version(backend))
    if unchanged is not None:
        # nothing to load, move or report: answered without starting Prefect's server
        console.print(
            f"{unchanged.found} found, 0 loaded, {unchanged.found} unchanged, 0 failed "
            "(nothing new to load)",
            soft_wrap=True,
        )
        return
    from flows import progress
    from flows.ingest import ingest_flow_for

    params: dict[str, Any] = {
        "paths": corpus,
        "db": _db(db),
        "workers": workers,
        "force": force,
        "time_limit_s": time_limit,
        "max_pages": max_pages,
        "memory_limit_mb": memory_limit,
        "pdf_backend": backend,
        "corrections": corrections,
    }
    with _dask_api(dask):
        flow = ingest_flow_for(dask)
        previous = progress.install(RichProgress())
        try:
            summary = flow(**params)
        finally:
            progress.install(previous)
    for f in summary.failures:
        err.print(
            f"[red]failed[/red] {escape(f.path)} {escape(f'[{f.stage}: {f.error}]')} "
            f"{escape(f.message)}",
            soft_wrap=True,
        )
    for w in summary.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(w)}", soft_wrap=True)
    nothing = " (nothing new to load)" if summary.new == 0 and summary.failed == 0 else ""
    console.print(
        f"{summary.found} found, {summary.loaded} loaded, {summary.skipped} unchanged, "
        f"{summary.failed} failed; {summary.lines} lines of therapy, {summary.drugs} drugs"
        f"{nothing}",
        soft_wrap=True,
    )
    if not summary.ok:
        raise typer.Exit(1)


@contextlib.contextmanager
def _dask_api(dask: str | None) -> Iterator[None]:
    """For --dask: check the cluster, and give the flow a Prefect API its Dask workers reach
    (the configured one, else a local server for this run). Nothing to do without --dask."""
    if dask is None:
        yield
        return
    from flows.prefect_server import prefect_api

    _check_dask(dask)
    with prefect_api(lambda m: err.print(m, soft_wrap=True)) as api_url:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            try:
                yield
            finally:
                _drain_prefect_logs()


def _check_dask(address: str) -> None:
    """The cluster's size, or exit 2 with what is wrong (no scheduler, no or daemonic workers)."""
    from flows.cluster import ClusterError, check

    try:
        info = check(address)
    except ClusterError as exc:
        err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    err.print(
        f"Dask cluster at {info.address}: {info.workers} workers, {info.threads} threads",
        soft_wrap=True,
    )


def _drain_prefect_logs() -> None:
    """Send the run's queued logs and events before the local server they go to stops."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    from flows.cluster import DRAIN_TIMEOUT_S

    with contextlib.suppress(RuntimeError):
        APILogWorker.drain_all(timeout=DRAIN_TIMEOUT_S)
    EventsWorker.drain_all(timeout=DRAIN_TIMEOUT_S)


# --- text, report, audit, serve ---------------------------------------------------------


@app.command()
def text(
    pdf: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A PDF file.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON list of blocks.")] = False,
    pdf_backend: PdfBackendOption = DEFAULT_BACKEND_CHOICE,
) -> None:
    """Print a PDF's text in reading order with section markers, then its captions."""
    from extract.errors import ExtractError
    from extract.pdf import read_document
    from extract.text import render_json, render_text

    try:
        doc = read_document(pdf, backend=_backend(pdf_backend))
    except ExtractError as exc:
        err.print(f"[red]cannot read {pdf}:[/red] {exc.reason}", soft_wrap=True)
        raise typer.Exit(1) from exc
    sys.stdout.write((render_json(doc) if as_json else render_text(doc)) + "\n")


@app.command()
def report(
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the HTML report.")] = Path(
        "caselines-report"
    ),
) -> None:
    """Write the HTML report: swimmer plots, tables, and the evidence behind every value."""
    from report import write_report

    index = write_report(_db(db), out)
    console.print(f"report written: {index}")


@app.command()
def audit(db: DbOption = None) -> None:
    """Print the consistency findings (reported vs computed PFS, responses, date order)."""
    columns, rows = run_query(
        "select d.path, f.case_id, f.line_no, f.kind, f.message, f.reported, f.computed, "
        "f.page, f.evidence from audit_findings f join documents d using (doc_id) "
        "order by d.path, f.case_id, f.line_no, f.kind",
        _db(db),
    )
    if not rows:
        console.print("no findings")
        return
    print_table(columns, rows, title=f"{len(rows)} findings")


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help="Cron schedule.")] = "0 2 * * *",
    corpus: Annotated[str, typer.Option(help="Folder of PDFs to ingest.")] = DEFAULT_CORPUS,
    db: DbOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Parallel PDF worker processes (default: the CPUs this process may use)."
        ),
    ] = DEFAULT_WORKERS,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "scheduled",
    dask: DaskOption = None,
) -> None:
    """Serve the ingest flow as a Prefect deployment on a schedule.

    Uses the Prefect server at $PREFECT_API_URL; without one, starts a local server for as
    long as it serves. Stops on Ctrl-C or SIGTERM.
    """
    apply_prefect_defaults()
    from flows.serve import ServeConfig, serve_ingest

    if dask is not None:
        _check_dask(dask)

    config = ServeConfig(
        cron=cron,
        corpus=str(Path(corpus).resolve()),
        db=str(Path(_db(db)).resolve()),
        workers=workers,
        name=name,
        dask=dask,
    )
    serve_ingest(config, say=lambda m: err.print(m, soft_wrap=True))


# --- export -----------------------------------------------------------------------------

export_app = typer.Typer(
    no_args_is_help=True,
    help="Export the warehouse (read-only): OMOP CDM v5.4 tables, or every table as Parquet.",
)
app.add_typer(export_app, name="export")

OutOption = Annotated[
    Path, typer.Option("--out", help="New (or empty) folder for the files; never overwritten.")
]


class OmopFileFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _run_export(run: Callable[[], ExportResult], what: str) -> None:
    """Run one export; a bad --db or --out is one line on stderr and exit 2, nothing written."""
    import duckdb

    from export import ExportError
    from load import WarehouseBusy

    try:
        result = run()
    except (FileNotFoundError, ExportError) as exc:
        _fail("error", exc, 2)
    except WarehouseBusy as exc:
        _fail("busy", exc, 3)
    except OSError as exc:
        _fail("cannot write", exc, 1)
    except duckdb.Error as exc:
        _fail("export failed", exc, 1)
    for case in result.skipped:
        err.print(
            f"[yellow]skipped[/yellow] case {case.case_id} of {case.doc_id[:SHORT_HASH]}: "
            f"{escape(case.reason)}",
            soft_wrap=True,
        )
    counts = ", ".join(f"{f.name} {f.rows}" for f in result.files)
    console.print(f"{what} written to {escape(str(result.out))}: {counts}", soft_wrap=True)


@export_app.command("omop")
def export_omop_command(
    out: OutOption,
    db: DbOption = None,
    fmt: Annotated[
        OmopFileFormat, typer.Option("--format", help="csv (OHDSI loaders) or parquet.")
    ] = OmopFileFormat.csv,
) -> None:
    """OMOP CDM v5.4 tables: PERSON, DRUG_EXPOSURE, EPISODE (lines, progressions), NOTE_NLP, ..."""
    from export import OmopFormat, export_omop

    _run_export(lambda: export_omop(_db(db), out, OmopFormat(fmt.value)), "OMOP CDM 5.4")


@export_app.command("parquet")
def export_parquet_command(out: OutOption, db: DbOption = None) -> None:
    """Every warehouse table and view as <name>.parquet, with manifest.json (row counts)."""
    from export import export_parquet

    _run_export(lambda: export_parquet(_db(db), out), "Parquet")


register_corrections(app)
register_cohort(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
