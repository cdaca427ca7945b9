"""The `caselines` command line: ingest, query, text, report, audit, serve, export, and the
commands registered from flows/cli_*.py (show, cases, drug, server).

Typer for the commands, Rich for tables and the progress bar. Prefect is configured with
its embedded defaults (ephemeral server, no telemetry) before it is imported, and imported
only by the commands that run a flow: the others answer in about a second. Shared helpers
(one-line errors, opening the warehouse, tables that fit the terminal) are in
flows/cli_common.py.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup
from typer.exceptions import TyperException

from extract.types import PDF_BACKENDS, PdfBackend
from flows import cli_patient, cli_server
from flows.cli_cohort import register as register_cohort
from flows.cli_common import (
    EXIT_FAILED,
    NOT_DUCKDB_MARKERS,
    SHORT_HASH,
    CliError,
    DbOption,
    FormatOption,
    OutputFormat,
    check_warehouse,
    console_for,
    db_path,
    describe,
    emit,
    fetch,
    one_line,
    open_warehouse,
    package_version,
    plural,
    precheck_ingest_db,
    render_table,
    say_error,
    warn,
)
from flows.cli_corrections import CorrectionsOption, refresh_corrections
from flows.cli_corrections import register as register_corrections
from flows.ingest_checks import Counts, check_inputs
from flows.settings import (
    DEFAULT_CORPUS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_PDF_BACKEND,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_WORKERS,
    apply_prefect_defaults,
)

if TYPE_CHECKING:
    import duckdb

    from export import ExportResult

DEBUG_ENV = "CASELINES_DEBUG"


class CaselinesGroup(TyperGroup):
    """The command group: a fault a command did not handle becomes one line on stderr and
    an exit code (flows/cli_common.py:describe); its traceback only with --debug."""

    def invoke(self, ctx: Any) -> Any:  # click.Context (typer 0.2x vendors its own click)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            if ctx.params.get("debug") or os.environ.get(DEBUG_ENV):
                raise
            label, code, message = describe(exc)
            say_error(label, message)
            raise typer.Exit(code) from exc


app = typer.Typer(
    cls=CaselinesGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Oncology case-report PDFs -> a DuckDB warehouse of lines of therapy and PFS.",
)

console = console_for()
err = console_for(stderr=True)


def _version(value: bool) -> None:
    if value:
        from flows.settings import PIPELINE_VERSION

        console.print(f"caselines {package_version()} (pipeline {PIPELINE_VERSION})")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help=f"Show the Python traceback of an error (also ${DEBUG_ENV}=1)."
        ),
    ] = False,
) -> None:
    """Oncology case-report PDFs -> a DuckDB warehouse of lines of therapy and PFS."""


DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Run extract and transform on the Dask scheduler at ADDRESS "
        "(e.g. tcp://host:8786; needs caselines[dask]). Loading stays here.",
    ),
]


class PdfBackendChoice(StrEnum):
    """`--pdf-backend`: the values of extract.types.PdfBackend."""

    pdfplumber = "pdfplumber"
    pdfium = "pdfium"


DEFAULT_BACKEND_CHOICE = PdfBackendChoice(DEFAULT_PDF_BACKEND)
PdfBackendOption = Annotated[
    PdfBackendChoice,
    typer.Option(
        "--pdf-backend",
        help="Library that reads the PDFs' characters: pdfium (the default, fast) or "
        "pdfplumber (the reference, the same blocks, about five times slower).",
    ),
]


class QueryRefused(CliError):
    """A statement that `caselines query` will not run (it is read-only, one statement)."""

    label = "refused"


def _backend(choice: PdfBackendChoice) -> PdfBackend:
    return next(b for b in PDF_BACKENDS if b == choice.value)


def _fail(label: str, exc: BaseException, code: int) -> NoReturn:
    """One red line on stderr (the reason on one line, markup escaped), then exit `code`."""
    say_error(label, one_line(exc))
    raise typer.Exit(code) from exc


# --- query ------------------------------------------------------------------------------


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement; QueryRefused for anything else, duckdb.Error as raised."""
    import duckdb

    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"expected one SQL statement, got {len(statements)}")
    try:
        rel = con.execute(sql)
    except (duckdb.InvalidInputException, duckdb.PermissionException) as exc:
        raise QueryRefused(
            f"the warehouse is opened read-only; `caselines query` runs queries only ({exc})"
        ) from exc
    if rel.description is None:
        return [], []
    return [d[0] for d in rel.description], rel.fetchall()


def _names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    return [r[0] for r in rows]


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Run one read-only SQL statement against the warehouse."""
    import duckdb

    from flows.docref import prefix_hint
    from flows.sql_errors import explain

    with open_warehouse(db) as con:
        try:
            columns, rows = run_query(con, sql)
        except duckdb.Error as exc:
            say_error("SQL error", explain(str(exc), _names(con)))
            raise typer.Exit(EXIT_FAILED) from exc
        hint = None if rows else prefix_hint(con, sql)
    emit(columns, rows, fmt)
    if hint:
        err.print(f"[yellow]note:[/yellow] {escape(hint)}", soft_wrap=True)


def print_table(columns: list[str], rows: list[tuple[Any, ...]], title: str | None = None) -> None:
    """Rows as a table that fits the terminal (flows/cli_common.py:render_table), for the
    commands registered from other modules."""
    render_table(console_for(), columns, rows, title)  # the terminal's width as it is now


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
        int,
        typer.Option(
            "--memory-limit", min=256, help="MB of address space a worker may add for one PDF."
        ),
    ] = DEFAULT_MEMORY_LIMIT_MB,
    pdf_backend: PdfBackendOption = DEFAULT_BACKEND_CHOICE,
    dask: DaskOption = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the summary (counts, failures, warnings) as JSON."),
    ] = False,
    corrections: CorrectionsOption = None,
) -> None:
    """Ingest PDFs into the warehouse (new or changed ones only unless --force)."""
    corpus = list(paths or [DEFAULT_CORPUS])
    db_file = db_path(db)
    precheck_ingest_db(db_file)  # not a DuckDB file, an older schema: one line, exit 2
    inputs = check_inputs(corpus)  # a missing path: the same, before Prefect is imported
    for folder in inputs.empty_folders:
        warn(f"no PDFs in {folder}")
    if inputs.pdfs == 0:
        _print_summary(Counts(0, 0, 0, 0, 0, 0), db_file, as_json)
        return
    from flows.plan import unchanged_corpus
    from flows.settings import pipeline_version

    backend = _backend(pdf_backend)
    unchanged = unchanged_corpus(corpus, db_file, force, pipeline_version(backend))
    if unchanged is not None:
        # nothing to load, move or report: answered without starting Prefect's server
        found = unchanged.found
        refresh_corrections(db_file, corrections)  # a file edited by hand since the load
        _print_summary(Counts(found, 0, found, 0, 0, 0), db_file, as_json)
        return
    pool_size = min(workers, inputs.pdfs)  # one PDF needs one worker warmed, not all
    if dask is None:  # the workers warm up while Prefect is imported and the flow starts
        from flows import stages
        from flows.sandbox import prestart

        prestart(pool_size, stages.worker_config(memory_limit or None))
    from flows.background_server import use_if_running

    server = use_if_running()  # before Prefect is imported: it reads PREFECT_API_URL once
    if server is not None and not as_json:
        err.print(f"using the background Prefect server at {server}", soft_wrap=True)
    apply_prefect_defaults(ephemeral=dask is None)
    from flows import progress
    from flows.ingest import ingest_flow_for
    from flows.sandbox import close_prestarted

    params: dict[str, Any] = {
        "paths": corpus,
        "db": db_file,
        "workers": pool_size,
        "force": force,
        "time_limit_s": time_limit,
        "max_pages": max_pages,
        "memory_limit_mb": memory_limit,
        "pdf_backend": backend,
        "corrections": corrections,
    }
    with _dask_api(dask):
        flow = ingest_flow_for(dask)
        bar = progress.NullProgress() if as_json else RichProgress()
        previous = progress.install(bar)
        try:
            summary = flow(**params)
        finally:
            progress.install(previous)
            close_prestarted()  # the flow took it, unless it failed before its stages
            # what the run leaves (Prefect's and pandas' objects) lives until the exit: frozen,
            # the collector does not walk it again while the interpreter shuts down (~0.5 s)
            gc.freeze()
    for f in summary.failures:
        err.print(
            f"[red]failed[/red] {escape(f.path)} {escape(f'[{f.stage}: {f.error}]')} "
            f"{escape(f.message)}",
            soft_wrap=True,
        )
    for w in summary.warnings:
        warn(w)
    _print_summary(Counts.of(summary), db_file, as_json)
    if not summary.ok:
        raise typer.Exit(EXIT_FAILED)


def _print_summary(counts: Counts, db: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(counts.as_json(db), ensure_ascii=False) + "\n")
        return
    done = (
        f"; {plural(counts.lines, 'line')} of therapy, {plural(counts.drugs, 'drug')}"
        if counts.loaded
        else ""
    )
    nothing = " (nothing new to load)" if counts.new == 0 and counts.failed == 0 else ""
    console.print(
        f"{counts.found} found, {counts.loaded} loaded, {counts.unchanged} unchanged, "
        f"{counts.failed} failed{done}{nothing}",
        soft_wrap=True,
    )


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
    """The cluster's size, or exit 2 with what is wrong (no scheduler, no workers)."""
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

    index = write_report(check_warehouse(db), out)
    console.print(f"report written: {index}", soft_wrap=True)


@app.command()
def audit(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Print the consistency findings (reported vs computed PFS, responses, date order)."""
    with open_warehouse(db) as con:
        columns, rows = fetch(con, "audit")
    if fmt is not OutputFormat.table:
        emit(columns, rows, fmt)
        return
    if not rows:
        console.print("no findings")
        return
    # the terminal gets what fits it: the file name, and the message that says the rest
    emit(
        ["document", "case", "line", "kind", "message", "page"],
        [(Path(r[0]).name, r[1], r[2], r[3], r[4], r[7]) for r in rows],
        fmt,
        title=plural(len(rows), "finding"),
    )


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

    Uses the Prefect server at $PREFECT_API_URL, else the background one (`caselines server
    start`); without either, starts a local server for as long as it serves. Stops on Ctrl-C
    or SIGTERM.
    """
    apply_prefect_defaults()
    from flows.serve import ServeConfig, serve_ingest

    if dask is not None:
        _check_dask(dask)

    config = ServeConfig(
        cron=cron,
        corpus=str(Path(corpus).resolve()),
        db=str(Path(db_path(db)).resolve()),
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
        if any(marker in str(exc) for marker in NOT_DUCKDB_MARKERS):
            _fail("error", ValueError("--db is not a DuckDB database (is --db right?)"), 2)
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

    _run_export(lambda: export_omop(db_path(db), out, OmopFormat(fmt.value)), "OMOP CDM 5.4")


@export_app.command("parquet")
def export_parquet_command(out: OutOption, db: DbOption = None) -> None:
    """Every warehouse table and view as <name>.parquet, with manifest.json (row counts)."""
    from export import export_parquet

    _run_export(lambda: export_parquet(db_path(db), out), "Parquet")


app.add_typer(cli_server.server_app, name="server")
app.command("show")(cli_patient.show)
app.command("cases")(cli_patient.cases)
app.command("drug")(cli_patient.drug)


register_corrections(app)
register_cohort(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
