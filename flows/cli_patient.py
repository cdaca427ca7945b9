"""`caselines show DOC[:CASE]`, `caselines cases` and `caselines drug NAME`: a patient's
course, the list of patients, and what a printed drug name is stored as.

Functions registered from flows/cli.py; reading in flows/course.py and warehouse/cli/*.sql.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from flows.cli_common import (
    EXIT_FAILED,
    SHORT_HASH,
    CliError,
    DbOption,
    FormatOption,
    OutputFormat,
    clip,
    console_for,
    emit,
    fetch,
    jsonable,
    open_warehouse,
    plural,
)
from flows.course import (
    CaseCourse,
    DocHeader,
    LineCourse,
    adverse_event_text,
    dose_text,
    event_text,
    patient_text,
    pfs_text,
    read_courses,
    read_header,
    when,
)
from flows.docref import resolve_doc, split_case

DocRefArgument = Annotated[
    str,
    typer.Argument(
        metavar="DOC[:CASE]",
        help="A doc_id prefix, a PDF path or file name, or words of the title; "
        ":N picks case N (default: every case of the document).",
    ),
]
CLOSE_DRUG_SCORE = 0.85
"""Jaro-Winkler similarity from which an unknown drug name is offered a near name."""
CLOSE_DRUG_LIMIT = 5


class UnknownDrug(CliError):
    code = EXIT_FAILED


# --- show -----------------------------------------------------------------------------------


class CourseFormat(StrEnum):
    """`show --format`: the terminal view, or the same records as one JSON document (a
    course is nested, so csv has no shape for it)."""

    table = "table"
    json = "json"


CourseFormatOption = Annotated[
    CourseFormat,
    typer.Option(
        "--format",
        help="table (the terminal view) or json (the same content as one JSON document).",
    ),
]


def show(
    ref: DocRefArgument, db: DbOption = None, fmt: CourseFormatOption = CourseFormat.table
) -> None:
    """One patient's course: lines, doses, responses, PFS, adverse events, death, pages.

    Each line shows its regimen, drugs with doses, dates, best response, PFS (one decimal)
    and its event; then the adverse events and the death, each with its page.
    --format json prints the same records, every value as stored."""
    target = split_case(ref)
    with open_warehouse(db) as con:
        doc_id = resolve_doc(con, target.doc)
        header = read_header(con, doc_id)
        courses = read_courses(con, doc_id, target.case_id)
    if not courses:
        which = f"case {target.case_id}" if target.case_id is not None else "any case"
        raise CliError(f"document {doc_id[:SHORT_HASH]} has no {which} (`caselines cases`)")
    if fmt is CourseFormat.json:
        sys.stdout.write(json.dumps(course_document(header, courses), ensure_ascii=False) + "\n")
        return
    console = console_for()
    for course in courses:
        render_course(console, header, course)


def course_document(header: DocHeader, courses: list[CaseCourse]) -> dict[str, object]:
    """The document and its cases as one JSON-ready object, built from the very records the
    terminal view renders (so the two cannot disagree): dates as ISO strings, numbers as
    stored (PFS unrounded), each line with its doses, then adverse events and deaths."""
    document: dict[str, object] = jsonable(asdict(header))
    document["cases"] = [jsonable(asdict(course)) for course in courses]
    return document


def _title(header: DocHeader) -> str:
    bits = [header.title or Path(header.path).name]
    if header.journal or header.year:
        bits.append(" ".join(str(x) for x in (header.journal, header.year) if x))
    return " · ".join(bits)


def _page(page: int | None) -> str:
    return "" if page is None else f"p. {page}"


def render_course(console: Console, header: DocHeader, course: CaseCourse) -> None:
    """The case as a panel of short lines (they wrap between words on a narrow terminal):
    who, each line of therapy with its doses, the adverse events, the death."""
    out = Text()
    out.append(f"{patient_text(course)}", style="bold")
    diagnosed = when(course.diagnosis_date, course.diagnosis_date_precision)
    out.append(f"{', diagnosed ' + diagnosed if diagnosed else ''}  {_page(course.page)}\n")
    out.append(f"{header.path}  doc {header.doc_id[:SHORT_HASH]}\n", style="dim")
    if not course.lines:
        out.append("\nNo lines of therapy.\n")
    for line in course.lines:
        out.append(f"\nLine {line.line_no}", style="bold cyan")
        out.append(f"  {line.regimen or ', '.join(line.drugs)}  {_page(line.page)}\n")
        facts = [
            _span(line),
            f"best response {line.best_response}" if line.best_response else "",
            f"PFS {pfs_text(line)}" if pfs_text(line) else "",
            event_text(line),
        ]
        out.append(INDENT + " · ".join(f for f in facts if f) + "\n")
        for dose in line.doses:
            out.append(f"{INDENT}{dose_text(dose)}  {_page(dose.page)}\n")
    if course.doses_outside_lines:
        out.append("\nOther anticancer treatment\n", style="bold")
        for dose in course.doses_outside_lines:
            out.append(f"{INDENT}{dose_text(dose)}  {_page(dose.page)}\n")
    if course.adverse_events:
        out.append("\nAdverse events\n", style="bold")
        for ae in course.adverse_events:
            out.append(f"{INDENT}{adverse_event_text(ae)}  {_page(ae.page)}\n")
    else:
        out.append("\nNo adverse events recorded.\n")
    out.append("\n")
    out.append_text(_death_text(course))
    console.print(
        Panel(
            out,
            title=escape(f"case {course.case_id} · {_title(header)}"),
            title_align="left",
            expand=False,
        )
    )


INDENT = "    "


def _span(line: LineCourse) -> str:
    start = when(line.start_date, line.start_date_precision)
    end = when(line.end_date, line.end_date_precision)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else "dates not given"


def _death_text(course: CaseCourse) -> Text:
    if course.deaths:
        first = course.deaths[0]
        day = when(first.event_date, first.event_date_precision) or when(
            course.death_date, course.death_date_precision
        )
        return Text(
            f"Died{' ' + day if day else ''} ({_page(first.page)}): {clip(first.evidence)}",
            style="bold",
        )
    if course.death_date is not None:
        return Text(f"Died {when(course.death_date, course.death_date_precision)}", style="bold")
    return Text("No death reported.")


# --- cases ----------------------------------------------------------------------------------


def cases(
    doc: Annotated[
        str | None, typer.Option("--doc", help="Only this document (doc_id prefix, path, title).")
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The patients: document, case, age, sex, cancer, number of lines."""
    with open_warehouse(db) as con:
        doc_id = resolve_doc(con, doc) if doc is not None else None
        columns, rows = fetch(con, "cases", doc_id=doc_id)
    if fmt is OutputFormat.table:  # narrower for the terminal: the file's stem, short names
        columns = ["doc_id", "document", "case", "age", "sex", "cancer", "lines"]
        rows = [(r[0], Path(r[1]).stem, *r[2:]) for r in rows]
    emit(columns, rows, fmt, title=plural(len(rows), "case"))


# --- drug -----------------------------------------------------------------------------------


def drug(
    name: Annotated[str, typer.Argument(help="A drug name as printed: brand, abbreviation...")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The stored name of a printed drug name (brand, abbreviation), and where it appears."""
    with open_warehouse(db) as con:
        _, found = fetch(con, "drug_names", name=name)
        names = [(d, via) for d, via in found] + regimen_names(name)
        if not names:
            _, close = fetch(
                con, "drug_close", name=name, min_score=CLOSE_DRUG_SCORE, limit=CLOSE_DRUG_LIMIT
            )
            near = "; ".join(f"{s} ({d})" for s, d, _score in close)
            raise UnknownDrug(
                f"no drug called {name!r} in the lexicon or the warehouse"
                + (f"; close: {near}" if near else "")
            )
        stored = sorted({n for n, _via in names})
        columns, rows = fetch(con, "drug_appearances", drugs=stored)
    if fmt is not OutputFormat.table:
        emit(columns, rows, fmt)
        return
    console = console_for()
    for stored_name in stored:
        vias = "; ".join(v for n, v in names if n == stored_name)
        console.print(f"{escape(name)} -> [bold]{escape(stored_name)}[/bold] ({escape(vias)})")
    documents = {r[0] for r in rows}
    if rows:
        console.print(f"{plural(len(rows), 'exposure')} in {plural(len(documents), 'document')}")
    else:
        console.print("given in no document of this warehouse")
    if rows:  # the table keeps what fits a terminal; csv and json have every column
        emit(
            ["doc_id", "document", "case", "line", "as printed", "dose", "page"],
            [(r[0], Path(r[1]).stem, r[2], r[3], r[5], _dose(r[6], r[7]), r[8]) for r in rows],
            OutputFormat.table,
        )


def regimen_names(name: str) -> list[tuple[str, str]]:
    """(drug, how) for each drug of a standard regimen called `name` (FOLFOX), from the
    shipped regimen table the pipeline reads (transform/mentions/lexicon/regimens.tsv)."""
    from transform.mentions.abbreviations import builtin_regimens

    return [
        (drug, f"regimen {r.short} = {r.expansion}")
        for r in builtin_regimens()
        if r.short.lower() == name.lower()
        for drug in r.drugs
    ]


def _dose(amount: float | None, unit: str | None) -> str:
    return "" if amount is None else f"{amount:g} {unit or ''}".strip()
