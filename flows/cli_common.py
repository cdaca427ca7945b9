"""What every `caselines` command shares: typed one-line errors, opening the warehouse
read-only, and rendering rows as a table that fits the terminal, as CSV or as JSON.

Why a module of its own: each command lives in its own `flows/cli_<feature>.py`; they all
open the warehouse and print rows the same way, and a user sees the same one-line error
for the same fault whichever command met it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.settings import default_db

if TYPE_CHECKING:
    import duckdb

PIPE_WIDTH = 200
"""Columns of a table written to a pipe or file: Rich's 80 would cut every cell."""
BUSY_TIMEOUT_ENV = "CASELINES_BUSY_TIMEOUT"
"""Seconds a reading command waits for a warehouse another process is writing."""
DEFAULT_BUSY_TIMEOUT_S = 10.0
EXIT_USAGE = 2
"""Bad input: a missing path or warehouse, an unknown document, a refused statement."""
EXIT_FAILED = 1
"""The command ran and failed (an SQL error, a PDF that did not load)."""
EXIT_BUSY = 3
"""The warehouse is held by another process past the wait."""
SHORT_HASH = 12
"""Characters of a SHA-256 shown in tables (like git's short hashes); csv and json keep it all."""
HASH_COLUMNS = frozenset({"doc_id", "sha256"})
PFS_DECIMALS = 1
"""PFS in months is shown to one decimal (a month is ~30 days; more digits are noise)."""
FLOAT_DECIMALS = 2
"""Any other float is shown to two decimals; the data keep every digit."""
MIN_COLUMN = 6
"""Narrowest a table column is shrunk to: below it a value is unreadable."""
TABLE_OVERHEAD_PER_COLUMN = 3
"""A column's border and padding characters in Rich's default box."""
MAX_CELL = 60
"""Longest text a table cell shows before it is cut with an ellipsis (evidence sentences)."""


# --- errors -----------------------------------------------------------------------------


class CliError(Exception):
    """A fault the user can fix, said in one line (`label: message`) with an exit code."""

    label = "error"
    code = EXIT_USAGE

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class WarehouseError(CliError):
    """The --db file is missing, not a DuckDB database, or of an older schema."""


class WarehouseBusyError(CliError):
    label = "busy"
    code = EXIT_BUSY


def one_line(exc: BaseException) -> str:
    """The exception's message with its whitespace (newlines included) folded to spaces."""
    return " ".join(str(exc).split()) or type(exc).__name__


def console_for(stderr: bool = False) -> Console:
    """A Rich console; written to a pipe (no COLUMNS set) it is PIPE_WIDTH wide."""
    stream = sys.stderr if stderr else sys.stdout
    wide = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(stderr=stderr, width=PIPE_WIDTH if wide else None)


def say_error(label: str, message: str) -> None:
    """Print `label: message` in red on stderr, markup escaped, never wrapped."""
    Console(stderr=True).print(f"[red]{escape(label)}:[/red] {escape(message)}", soft_wrap=True)


# --- the warehouse ----------------------------------------------------------------------

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB file (default: $CASELINES_DB, else caselines.duckdb)."),
]


def db_path(db: str | None) -> str:
    return db or default_db()


def busy_timeout_s() -> float:
    raw = os.environ.get(BUSY_TIMEOUT_ENV)
    try:
        return float(raw) if raw else DEFAULT_BUSY_TIMEOUT_S
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


NOT_DUCKDB_MARKERS = ("not a valid DuckDB database", "is not a DuckDB", "Could not read from file")


def check_path(db: str) -> None:
    """WarehouseError unless `db` names a file (before DuckDB is even imported)."""
    path = Path(db)
    if not path.exists():
        raise WarehouseError(
            f"no warehouse at {db}: run `caselines ingest FOLDER --db {db}` first "
            "(or pass --db / set CASELINES_DB)"
        )
    if not path.is_file():
        raise WarehouseError(f"{db} is a folder, not a warehouse file")


@contextlib.contextmanager
def open_warehouse(db: str | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse opened read-only and checked, or a typed one-line error: missing,
    not a DuckDB database, made by an older caselines, or busy past the wait."""
    import duckdb

    import load

    path = db_path(db)
    check_path(path)
    try:
        con = load.connect(path, read_only=True, busy_timeout_s=busy_timeout_s())
    except load.WarehouseBusy as exc:
        raise WarehouseBusyError(one_line(exc)) from exc
    except duckdb.Error as exc:
        message = str(exc)
        if any(m in message for m in NOT_DUCKDB_MARKERS):
            raise WarehouseError(f"{path} is not a DuckDB database (is --db right?)") from exc
        raise WarehouseError(f"cannot open {path}: {one_line(exc)}") from exc
    try:
        try:
            load.check_schema(con)
        except load.SchemaOutdated as exc:
            raise WarehouseError(one_line(exc)) from exc
        yield con
    finally:
        con.close()


def check_warehouse(db: str | None) -> str:
    """Open and close the warehouse as `open_warehouse` does: for commands that open it
    themselves (report, export), so that they fail the same way before doing anything."""
    with open_warehouse(db):
        pass
    return db_path(db)


# --- output -----------------------------------------------------------------------------


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="table, csv or json (a list of row objects)."),
]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def decimals_for(column: str) -> int:
    """Display precision of a float column: PFS (and any months) to one decimal."""
    name = column.lower()
    return PFS_DECIMALS if "pfs" in name or "month" in name else FLOAT_DECIMALS


def rounded(column: str, value: float) -> str:
    """PFS to one fixed decimal ('6.6', '6.0'); other floats to two at most ('500', '1.25')."""
    places = decimals_for(column)
    text = f"{value:.{places}f}"
    if places == PFS_DECIMALS:
        return text
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(column: str, value: Any) -> str:
    """A value as a table shows it: short hashes, rounded floats, lists joined, nulls blank.
    For display only: csv and json keep the stored value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal):
        return rounded(column, float(value))
    if column in HASH_COLUMNS and isinstance(value, str) and len(value) > SHORT_HASH:
        return value[:SHORT_HASH]
    if isinstance(value, list | tuple):
        return ", ".join(display(column, v) for v in value)
    return str(jsonable(value))


def clip(text: str, limit: int = MAX_CELL) -> str:
    """Text cut to `limit` characters with an ellipsis (the table shows, csv/json keep)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def new_table(
    columns: Sequence[str], title: str | None = None, widths: Sequence[int] | None = None
) -> Table:
    """A table whose cells never wrap: a value too long for its column is cut with an
    ellipsis instead of folding letter by letter."""
    table = Table(title=title, show_lines=False)
    for k, c in enumerate(columns):
        width = widths[k] if widths is not None else None
        table.add_column(c, overflow="ellipsis", no_wrap=True, width=width)
    return table


def column_widths(natural: Sequence[int], width: int) -> list[int] | None:
    """Widths for columns of these natural widths in a table `width` wide: as they are when
    they fit, else the widest cut down to one common cap (water-filling), never below
    MIN_COLUMN; None when even that does not fit (too many columns)."""
    room = width - TABLE_OVERHEAD_PER_COLUMN * len(natural) - 1
    if sum(natural) <= room:
        return list(natural)
    floor = [min(w, MIN_COLUMN) for w in natural]
    if sum(floor) > room:
        return None
    cap = MIN_COLUMN
    while sum(min(w, cap + 1) for w in natural) <= room:
        cap += 1
    return [min(w, cap) for w in natural]


def render_table(
    console: Console,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
) -> None:
    """Rows as a table fitting the console; too many columns for it, one block per row
    (`column  value` lines, as psql's expanded display)."""
    cells = [[clip(display(c, v)) for c, v in zip(columns, row, strict=True)] for row in rows]
    natural = [max([len(c), *(len(r[k]) for r in cells)]) for k, c in enumerate(columns)]
    widths = column_widths(natural, console.width)
    if widths is not None:
        table = new_table(columns, title, widths)
        for row_cells in cells:
            table.add_row(*row_cells)
        console.print(table)
        return
    if title:
        console.print(title, style="italic")
    for n, row_cells in enumerate(cells, start=1):
        block = Table(title=f"row {n} of {len(cells)}", show_header=False, title_justify="left")
        block.add_column("column", no_wrap=True, style="bold")
        block.add_column("value", overflow="ellipsis", no_wrap=True)
        for c, v in zip(columns, row_cells, strict=True):
            block.add_row(c, v)
        console.print(block)


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: OutputFormat) -> str:
    """CSV (header first) or JSON (a list of row objects), every value as stored."""
    if fmt is OutputFormat.json:
        return json.dumps(
            [{c: jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            ensure_ascii=False,
        )
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else jsonable(v) for v in row])
        return buf.getvalue().rstrip("\n")
    raise ValueError(fmt)


def emit(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: OutputFormat,
    title: str | None = None,
) -> None:
    """Rows to stdout in the chosen format."""
    if fmt is OutputFormat.table:
        render_table(console_for(), columns, rows, title)
    else:
        sys.stdout.write(format_rows(columns, rows, fmt) + "\n")


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 line', '2 lines': counts said right."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def warn(message: str) -> None:
    """A yellow `warning:` line on stderr."""
    Console(stderr=True).print(f"[yellow]warning:[/yellow] {escape(message)}", soft_wrap=True)


def package_version() -> str:
    """The installed caselines version (pyproject's), or 'unknown' outside an install."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("caselines")
    except PackageNotFoundError:
        return "unknown"


def precheck_ingest_db(db: str) -> None:
    """Before an ingest starts anything: an existing --db must be a DuckDB file of this
    schema (a missing one is created; a busy one is the flow's to wait for)."""
    path = Path(db)
    if not path.exists():
        return
    if not path.is_file():
        raise WarehouseError(f"{db} is a folder, not a warehouse file")
    import duckdb

    import load

    try:
        con = load.connect(db, read_only=True, busy_timeout_s=QUICK_BUSY_TIMEOUT_S)
    except load.WarehouseBusy:
        return
    except duckdb.Error as exc:
        if any(m in str(exc) for m in NOT_DUCKDB_MARKERS):
            raise WarehouseError(f"{db} is not a DuckDB database (is --db right?)") from exc
        raise WarehouseError(f"cannot open {db}: {one_line(exc)}") from exc
    try:
        load.check_schema(con)
    except load.SchemaOutdated as exc:
        raise WarehouseError(one_line(exc)) from exc
    finally:
        con.close()


QUICK_BUSY_TIMEOUT_S = 0.5
"""How long the ingest pre-check waits for a busy warehouse before leaving it to the flow."""
DEBUG_HINT = "run with --debug for the traceback"


def describe(exc: BaseException) -> tuple[str, int, str]:
    """(label, exit code, one-line message) for an error no command handled itself."""
    if isinstance(exc, CliError):
        return exc.label, exc.code, one_line(exc)
    import duckdb

    import load

    if isinstance(exc, load.WarehouseBusy | load.WarehouseLocked):
        return "busy", EXIT_BUSY, one_line(exc)
    if isinstance(exc, load.SchemaOutdated | FileNotFoundError):
        return "error", EXIT_USAGE, one_line(exc)
    if isinstance(exc, duckdb.Error):
        return "error", EXIT_FAILED, f"{one_line(exc)} ({DEBUG_HINT})"
    if isinstance(exc, OSError):
        return "error", EXIT_FAILED, one_line(exc)
    return "error", EXIT_FAILED, f"{type(exc).__name__}: {one_line(exc)} ({DEBUG_HINT})"


CLI_SQL_DIR = "cli"
"""warehouse/cli/: the commands' read queries, one .sql file each (package data)."""


def cli_sql(name: str) -> str:
    """The SQL of warehouse/cli/<name>.sql."""
    from importlib import resources

    return resources.files("warehouse").joinpath(CLI_SQL_DIR, f"{name}.sql").read_text("utf-8")


def fetch(
    con: duckdb.DuckDBPyConnection, query: str, **params: Any
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run warehouse/cli/<query>.sql with named parameters: (columns, rows)."""
    rel = con.execute(cli_sql(query), params)
    return [d[0] for d in rel.description], rel.fetchall()
