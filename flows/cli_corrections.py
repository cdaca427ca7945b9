"""`caselines correct`, `caselines apply-corrections`, `caselines review` (docs/corrections.md).

Registered on the main app by flows/cli.py (`register(app)`); the work is done by
load/corrections.py (the YAML store) and load/curation.py (the warehouse side).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from flows.cli_common import SHORT_HASH, FormatOption, OutputFormat, emit
from flows.settings import default_db
from transform.curation.fields import ADDABLE as ADDABLE_ROWS
from transform.records import Correction, CorrectionOutcome, CorrectionTarget, CuratedValue
from transform.types import CorrectionAction, CorrectionRow

if TYPE_CHECKING:
    import duckdb

err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB file (default: $CASELINES_DB, else caselines.duckdb)."),
]
CorrectionsOption = Annotated[
    str | None,
    typer.Option(
        "--corrections", metavar="DIR", help="Corrections folder (default: <db>.corrections)."
    ),
]


def _fail(label: str, message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]{label}:[/red] {escape(' '.join(message.split()))}", soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def _warehouse(db: str | None, write: bool) -> Iterator[tuple[str, duckdb.DuckDBPyConnection]]:
    """The warehouse (and its writer lock when writing); a missing one is refused."""
    import load

    path = db or default_db()
    if not Path(path).exists():
        raise _fail("error", f"no warehouse at {path}: run `caselines ingest` first")
    if not write:
        con = load.connect(path, read_only=True)
        try:
            yield path, con
        finally:
            con.close()
        return
    with load.writer_lock(path, on_wait=lambda m: err.print(m, soft_wrap=True)):
        con = load.connect(path)
        try:
            yield path, con
        finally:
            con.close()


def _pairs(
    assignments: list[str], row: CorrectionRow, action: CorrectionAction
) -> tuple[tuple[str, CuratedValue], ...]:
    """`--set field=value` parsed and checked as a corrections file's entry would be."""
    from load.corrections import FieldError, field_values

    raw: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _fail("refused", f"--set {item!r}: write field=value")
        raw[name.strip()] = None if value.strip().lower() in ("", "null", "none") else value.strip()
    try:
        return field_values(row, action, raw)
    except FieldError as exc:
        raise _fail("refused", str(exc)) from None


UNKNOWN_USER = "unknown"


def _login() -> str:
    """The login name for `by`; a process with no user entry (a container) says unknown."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return UNKNOWN_USER


def _print_outcomes(path: str, outcomes: tuple[CorrectionOutcome, ...]) -> None:
    for o in outcomes:
        if o.status == "stale":
            err.print(
                f"[yellow]stale[/yellow] {escape(path)}: correction {o.correction.number} "
                f"({escape(o.target)}) not applied: {escape(o.reason or '')}",
                soft_wrap=True,
            )


def correct(
    doc: Annotated[str, typer.Argument(help="The document's doc_id, or a unique prefix of it.")],
    why: Annotated[str, typer.Option("--why", help="Why: what the text says.")],
    case: Annotated[int | None, typer.Option("--case", help="The patient (case_id).")] = None,
    line: Annotated[int | None, typer.Option("--line", help="A line of therapy.")] = None,
    exposure: Annotated[
        str | None, typer.Option("--exposure", help="An exposure, by drug name.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="With --exposure: its start date (YYYY-MM-DD).")
    ] = None,
    event: Annotated[
        str | None, typer.Option("--event", help="A clinical event, by kind (progression...).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="With --event: its date (YYYY-MM-DD).")
    ] = None,
    adverse_event: Annotated[
        str | None, typer.Option("--adverse-event", help="An adverse event, by name.")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="field=value (repeatable); a date as 2015-03-01, 2015-03, 2015."
        ),
    ] = None,
    drop: Annotated[bool, typer.Option("--drop", help="Remove the target row.")] = False,
    drop_exposure: Annotated[
        str | None, typer.Option("--drop-exposure", help="Remove every exposure to this drug.")
    ] = None,
    drop_case: Annotated[bool, typer.Option("--drop-case", help="Remove the patient.")] = False,
    not_oncology: Annotated[
        bool, typer.Option("--not-oncology", help="The document tells no cancer treatment.")
    ] = False,
    add: Annotated[
        str | None,
        typer.Option("--add", help=f"Add a row ({', '.join(ADDABLE_ROWS)}) with --set fields."),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who (default: the login name).")] = None,
    db: DbOption = None,
    corrections: CorrectionsOption = None,
) -> None:
    """Record one correction of a loaded document and apply it at once."""
    from load.corrections import CorrectionsInvalid, append, curated_date, store_dir
    from load.curation import CorrectionRefused, make_target, reapply, resolve_doc

    def day(text: str | None) -> date | None:
        try:
            parsed = curated_date(text)
        except ValueError as exc:
            raise _fail("refused", str(exc)) from None
        return parsed.value if parsed else None

    if drop_exposure:
        exposure, drop = drop_exposure, True
    action: CorrectionAction = "remove" if (drop or drop_case or not_oncology) else "set"
    row: CorrectionRow
    if not_oncology:
        row = "document"
    elif add:
        addable = [r for r in ADDABLE_ROWS if r == add]
        if not addable:
            raise _fail("refused", f"--add {add}: one of {', '.join(ADDABLE_ROWS)}")
        row, action = addable[0], "add"
    elif line is not None:
        row = "line"
    elif exposure:
        row = "exposure"
    elif event:
        row = "event"
    elif adverse_event:
        row = "adverse_event"
    else:
        row = "case"
    if action == "set" and not set_:
        raise _fail("refused", "say what to change: --set field=value, --drop, --add ...")
    values = _pairs(set_ or [], row, action) if action != "remove" else ()
    with _warehouse(db, write=True) as (path, con):
        try:
            doc_id, title = resolve_doc(con, doc)
            target: CorrectionTarget = make_target(
                con,
                doc_id,
                row,
                case,
                line=line,
                drug=exposure,
                start=day(start),
                kind=event,
                on=day(on),
                event=adverse_event,
                adding=action == "add",
            )
        except CorrectionRefused as exc:
            raise _fail("refused", str(exc)) from None
        folder = store_dir(path, corrections)
        who = by or os.environ.get("CASELINES_USER") or _login()
        entry = Correction(action, target, why.strip(), who, date.today(), values)
        if not entry.why:
            raise _fail("refused", "--why cannot be empty")
        try:
            written = append(folder, doc_id, title, entry)
            (result,) = reapply(con, folder, [doc_id])
        except CorrectionsInvalid as exc:
            raise _fail("invalid", str(exc)) from None
    _print_outcomes(result.path, result.outcomes)
    number = max((o.correction.number for o in result.outcomes), default=0)
    stale = any(o.status == "stale" and o.correction.number == number for o in result.outcomes)
    typer.echo(f"{'stale' if stale else 'applied'}: correction {number} in {written}")


def apply_corrections(
    docs: Annotated[
        list[str] | None, typer.Argument(help="doc_ids or prefixes (default: every document).")
    ] = None,
    db: DbOption = None,
    corrections: CorrectionsOption = None,
) -> None:
    """Apply the stored corrections again to loaded documents, without re-reading the PDFs."""
    from load.corrections import CorrectionsInvalid, store_dir
    from load.curation import CorrectionRefused, reapply, resolve_doc

    with _warehouse(db, write=True) as (path, con):
        try:
            ids = [resolve_doc(con, d)[0] for d in docs] if docs else None
            results = reapply(con, store_dir(path, corrections), ids)
        except CorrectionRefused as exc:
            raise _fail("refused", str(exc)) from None
        except CorrectionsInvalid as exc:
            raise _fail("invalid", str(exc)) from None
    applied = stale = 0
    for r in results:
        if r.skipped:
            err.print(f"[yellow]skipped[/yellow] {escape(r.path)}: {escape(r.skipped)}")
        _print_outcomes(r.path, r.outcomes)
        applied += len({o.correction.number for o in r.outcomes if o.status == "applied"})
        stale += len(r.stale)
    typer.echo(f"{len(results)} documents, {applied} corrections applied, {stale} stale")
    if stale:
        raise typer.Exit(1)


def refresh_corrections(db: str, corrections: str | None) -> None:
    """Apply the stored corrections again on an ingest that loads nothing new, so a file
    edited by hand takes effect on the next ingest as a new PDF's do (docs/corrections.md).
    Cheap: lines and PFS are derived again from the stored events, no PDF is read."""
    from load.corrections import CorrectionsInvalid, store_dir
    from load.curation import reapply

    folder = store_dir(db, corrections)
    if not folder.is_dir():
        return
    with _warehouse(db, write=True) as (_path, con):
        try:
            results = reapply(con, folder)
        except CorrectionsInvalid as exc:
            err.print(f"[red]invalid[/red] {escape(str(exc))}: not applied", soft_wrap=True)
            return
    for r in results:
        _print_outcomes(r.path, r.outcomes)


def review(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """What needs a human look, most important first, with document, case and page."""
    from load.curation import REVIEW_COLUMNS, review_rows

    with _warehouse(db, write=False) as (_path, con):
        rows = review_rows(con)
    if fmt is OutputFormat.table:
        # a short doc_id (any unique prefix is taken back) leaves the detail its room
        doc = REVIEW_COLUMNS.index("doc_id")
        rows = [(*r[:doc], str(r[doc])[:SHORT_HASH], *r[doc + 1 :]) for r in rows]
    emit(list(REVIEW_COLUMNS), rows, fmt)


def register(app: typer.Typer) -> None:
    app.command("correct")(correct)
    app.command("apply-corrections")(apply_corrections)
    app.command("review")(review)
