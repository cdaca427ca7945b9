"""`caselines cohort` and `caselines km`: the cohort of every patient and line, and its
Kaplan-Meier curves of PFS.

Registered on the main Typer app by `register(app)`; the shared helpers of flows/cli.py
(query runner, formats, errors) are imported when a command runs, so this module and
flows/cli.py do not import each other at load time.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

COHORT_VIEW = "patient_lines"
TABLE_COLUMNS = (
    "doc_id",
    "case_id",
    "cancer_type",
    "line_no",
    "regimen",
    "drug_classes",
    "start_date",
    "end_date",
    "pfs_months",
    "pfs_event",
    "censored_on",
    "best_response",
)
"""What the terminal table shows; csv and json carry every column of the view."""


class CohortFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class KmBy(StrEnum):
    line = "line"
    drug_class = "drug_class"


def cohort_sql(where: str | None) -> str:
    """The one statement `caselines cohort` runs; `--where` filters the view's columns."""
    sql = f"select * from {COHORT_VIEW}"
    if where and where.strip():
        sql += f" where ({where})"
    return sql + " order by doc_id, case_id, line_no"


def cohort(
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            metavar="SQL",
            help="A condition on the columns of patient_lines, e.g. \"cancer_type = 'breast' "
            'and line_no = 1" or "list_contains(drugs, \'trastuzumab\')".',
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="DuckDB file (default: $CASELINES_DB, else caselines.duckdb)."),
    ] = None,
    fmt: Annotated[
        CohortFormat,
        typer.Option("--format", help="table, csv or json (one object per line of therapy)."),
    ] = CohortFormat.table,
) -> None:
    """Print every patient and line of therapy (the patient_lines view), optionally filtered."""
    import duckdb

    from flows import cli
    from flows.cli_common import EXIT_FAILED, one_line, open_warehouse, say_error

    # a missing, foreign, older or busy warehouse and a refused statement: one line each
    with open_warehouse(db) as con:
        try:
            columns, rows = cli.run_query(con, cohort_sql(where))
        except duckdb.Error as exc:
            say_error("SQL error", one_line(exc))  # a --where fragment: its message suffices
            raise typer.Exit(EXIT_FAILED) from exc
    if fmt is CohortFormat.table:
        keep = [columns.index(c) for c in TABLE_COLUMNS if c in columns]
        cli.print_table(
            [columns[i] for i in keep],
            [tuple(row[i] for i in keep) for row in rows],
            title=f"{len(rows)} line(s) of therapy",
        )
    else:
        from flows.cli_common import OutputFormat, format_rows

        sys.stdout.write(format_rows(columns, rows, OutputFormat(fmt.value)) + "\n")


def km(
    out: Annotated[Path, typer.Option("--out", help="Figure file: .svg or .png.")],
    by: Annotated[
        KmBy, typer.Option("--by", help="line (1, 2, 3+) or drug_class (of the line).")
    ] = KmBy.line,
    db: Annotated[
        str | None,
        typer.Option("--db", help="DuckDB file (default: $CASELINES_DB, else caselines.duckdb)."),
    ] = None,
) -> None:
    """Write Kaplan-Meier curves of PFS (lifelines; median, 95% CI, numbers at risk)."""
    import duckdb

    from flows import cli
    from flows.cli_common import check_warehouse
    from load import WarehouseBusy
    from report.km import FigureFormatError, GroupBy, write_km
    from report.read import read_survival

    try:
        rows = read_survival(check_warehouse(db))
        summaries, notes = write_km(rows, GroupBy(by.value), out)
    except (FileNotFoundError, FigureFormatError) as exc:
        cli._fail("error", exc, 2)
    except WarehouseBusy as exc:
        cli._fail("busy", exc, 3)
    except ValueError as exc:
        cli._fail("no data", exc, 1)
    except (OSError, duckdb.Error) as exc:
        cli._fail("cannot write", exc, 1)
    cli.print_table(
        ["curve", "lines", "events", "median months", "95% CI"],
        [
            (
                s.label,
                s.n,
                s.events,
                "not reached" if s.median is None else f"{s.median:.1f}",
                f"{_bound(s.ci_low)}-{_bound(s.ci_high)}",
            )
            for s in summaries
        ],
        title=f"PFS by {by.value}",
    )
    for note in notes:
        cli.err.print(note, soft_wrap=True, markup=False)
    cli.console.print(f"figure written: {out}", soft_wrap=True, markup=False)


def _bound(value: float | None) -> str:
    return "NR" if value is None else f"{value:.1f}"


def register(app: typer.Typer) -> None:
    """Add `cohort` and `km` to the main command line."""
    app.command("cohort")(cohort)
    app.command("km")(km)
