"""Corrections against a loaded warehouse: find a document and a target row, re-derive a
document from its stored machine events with its corrections (`caselines apply-corrections`,
`caselines correct`), list what needs review. No PDF is read again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from extract.records import DocumentMeta
from load.corrections import documents_with_corrections, read_document
from load.writer import machine_events, replace_derived
from transform.assemble import MENTION_FINDINGS, assemble
from transform.curation.fields import DRUG_SEPARATOR, KEY_FIELDS, UNDATED
from transform.records import CorrectionOutcome, CorrectionTarget, Extraction, Finding, Provenance
from transform.types import CorrectionRow


class CorrectionRefused(ValueError):
    """A correction that names no loaded document or row: one line, nothing written."""


@dataclass(frozen=True)
class Reapplied:
    doc_id: str
    path: str
    outcomes: tuple[CorrectionOutcome, ...]
    skipped: str | None = None
    """Why the document was left as it was (loaded before machine events were kept)."""

    @property
    def stale(self) -> tuple[CorrectionOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "stale")


def resolve_doc(con: duckdb.DuckDBPyConnection, prefix: str) -> tuple[str, str | None]:
    """(doc_id, title) of the one loaded document whose doc_id starts with `prefix`."""
    rows = con.execute(
        "select doc_id, title from documents where starts_with(doc_id, ?) order by doc_id",
        [prefix.strip().lower()],
    ).fetchall()
    if not prefix.strip() or not rows:
        raise CorrectionRefused(f"no loaded document's doc_id starts with {prefix!r}")
    if len(rows) > 1:
        raise CorrectionRefused(
            f"{prefix!r} starts {len(rows)} doc_ids ({', '.join(r[0][:12] for r in rows)}): "
            "give more of it"
        )
    return rows[0][0], rows[0][1]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    return con.execute(sql, list(params)).fetchone()


def _canonical_drug(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The DrugBank name of a printed name (drug_synonyms), else the name in lower case."""
    row = _one(con, "select drug from drug_synonyms where synonym = ? limit 1", [name.lower()])
    return str(row[0]) if row else name.strip().lower()


def _key_date(day: date | None) -> str:
    return day.isoformat() if day is not None else UNDATED


def make_target(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    row: CorrectionRow,
    case_id: int | None = None,
    *,
    line: int | None = None,
    drug: str | None = None,
    start: date | None = None,
    kind: str | None = None,
    on: date | None = None,
    event: str | None = None,
    adding: bool = False,
) -> CorrectionTarget:
    """The target with the key that will find the row again after a re-extraction: a line's
    number *and* its drugs, an exposure's drug (and start when given), ...; refused when the
    warehouse has no such row now (an added row needs only its case)."""
    if row == "document":
        return CorrectionTarget("document")
    if case_id is None:
        raise CorrectionRefused("give the case (--case N)")
    if _one(con, "select 1 from cases where doc_id = ? and case_id = ?", [doc_id, case_id]) is None:
        raise CorrectionRefused(f"the document has no case {case_id}")
    if row == "case" or adding:
        return CorrectionTarget(row, case_id)
    key: list[tuple[str, str]] = []
    if row == "line":
        found = _one(
            con,
            "select drugs from lines_of_therapy where doc_id = ? and case_id = ? and line_no = ?",
            [doc_id, case_id, line],
        )
        if found is None:
            raise CorrectionRefused(f"case {case_id} has no line {line}")
        key = [("line", str(line)), ("drugs", DRUG_SEPARATOR.join(sorted(found[0])))]
    elif row == "exposure":
        name = _canonical_drug(con, drug or "")
        sql = "select count(*) from drug_exposures where doc_id = ? and case_id = ? and drug = ?"
        params: list[Any] = [doc_id, case_id, name]
        key = [("drug", name)]
        if start is not None:
            sql += " and start_date = ?"
            params.append(start)
            key.append(("start", _key_date(start)))
        if not (found := _one(con, sql, params)) or not found[0]:
            raise CorrectionRefused(f"case {case_id} has no exposure to {name}")
    elif row == "event":
        sql = "select count(*) from events where doc_id = ? and case_id = ? and kind = ?"
        params = [doc_id, case_id, kind]
        key = [("kind", kind or "")]
        if on is not None:
            sql += " and event_date = ?"
            params.append(on)
            key.append(("date", _key_date(on)))
        if not (found := _one(con, sql, params)) or not found[0]:
            raise CorrectionRefused(f"case {case_id} has no {kind} event on {on or 'any date'}")
    elif row == "adverse_event":
        name = (event or "").strip().lower()
        found = _one(
            con,
            "select count(*) from adverse_events where doc_id = ? and case_id = ? "
            "and lower(event) = ?",
            [doc_id, case_id, name],
        )
        if not found or not found[0]:
            raise CorrectionRefused(f"case {case_id} has no adverse event {name!r}")
        key = [("event", name)]
    else:
        raise CorrectionRefused(
            f"a {row} target is written in the corrections file "
            f"(key fields: {', '.join(KEY_FIELDS[row])}; docs/corrections.md)"
        )
    return CorrectionTarget(row, case_id, tuple(key))


def _shell(con: duckdb.DuckDBPyConnection, doc_id: str) -> Extraction | None:
    row = _one(
        con, "select path, title, n_cases, warnings from documents where doc_id = ?", [doc_id]
    )
    if row is None:
        return None
    return Extraction(
        doc_id=doc_id,
        path=row[0],
        meta=DocumentMeta(title=row[1]),
        warnings=tuple(row[3] or ()),
        machine_cases=machine_events(con, doc_id),
        findings=_mention_findings(con, doc_id),
    )


def _mention_findings(con: duckdb.DuckDBPyConnection, doc_id: str) -> tuple[Finding, ...]:
    """The stored findings of the drug-mention account: re-deriving lines does not make them
    again (it has no sentences), so they are carried over as loaded."""
    rows = con.execute(
        "select case_id, kind, message, page, evidence from audit_findings "
        "where doc_id = ? and list_contains(?, kind)",
        [doc_id, sorted(MENTION_FINDINGS)],
    ).fetchall()
    return tuple(
        Finding(
            case_id=case_id,
            kind=kind,
            message=message,
            prov=Provenance(page, evidence) if page is not None and evidence else None,
        )
        for case_id, kind, message, page, evidence in rows
    )


def reapply(
    con: duckdb.DuckDBPyConnection, folder: Path, doc_ids: Sequence[str] | None = None
) -> list[Reapplied]:
    """Derive each loaded document again from its machine events with the corrections in
    `folder` (none: the machine's own values come back), one transaction per document.
    By default the documents that have a corrections file or had corrections applied (a
    deleted file brings the machine's values back); the others are as their ingest left them.
    A corrections file that does not parse raises CorrectionsInvalid before any write."""
    if doc_ids is None:
        loaded = {r[0] for r in con.execute("select doc_id from documents").fetchall()}
        had = {r[0] for r in con.execute("select doc_id from corrections_applied").fetchall()}
        doc_ids = sorted(loaded & (set(documents_with_corrections(folder)) | had))
    found = {d: read_document(folder, d) for d in doc_ids}
    out: list[Reapplied] = []
    for doc_id, corrections in found.items():
        shell = _shell(con, doc_id)
        if shell is None:
            continue
        n_cases = _one(con, "select count(*) from cases where doc_id = ?", [doc_id])
        if not shell.machine_cases and n_cases and n_cases[0]:
            out.append(
                Reapplied(
                    doc_id,
                    shell.path,
                    (),
                    "loaded before machine events were kept: ingest it again with --force",
                )
            )
            continue
        ext = assemble(shell, corrections)
        replace_derived(con, ext)
        out.append(Reapplied(doc_id, shell.path, ext.corrections))
    return out


REVIEW_COLUMNS = ("priority", "item", "doc_id", "case_id", "line_no", "page", "detail")


def review_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """What needs a human look, most important first (the review_items view)."""
    cols = ", ".join(REVIEW_COLUMNS)
    return con.execute(
        f"select {cols} from review_items order by priority, doc_id, case_id, line_no, page"
    ).fetchall()
