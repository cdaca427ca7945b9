"""Read the warehouse, read-only, into the report's frozen records.

The report may run against a warehouse written by an older or newer pipeline, or one whose
schema was never applied: a missing table reads as no rows and a missing column as null, so
the report still renders and says there is no data instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from load.schema import add_missing_views
from report.records import (
    AbbreviationRow,
    AdverseEventRow,
    AssessmentRow,
    AuditRow,
    CaseRow,
    DocumentRow,
    EventRow,
    ExposureRow,
    LesionRow,
    LineRow,
    PatientLineRow,
    SequenceRow,
    SurvivalRow,
)

RowT = TypeVar("RowT")

LIST_COLUMNS = frozenset({"drugs", "warnings", "drug_classes", "regimens"})
"""VARCHAR[] columns: DuckDB returns lists, the frozen records hold tuples."""


@dataclass(frozen=True)
class Warehouse:
    """Every row the report shows, in display order."""

    documents: tuple[DocumentRow, ...]
    cases: tuple[CaseRow, ...]
    lines: tuple[LineRow, ...]
    exposures: tuple[ExposureRow, ...]
    assessments: tuple[AssessmentRow, ...]
    lesions: tuple[LesionRow, ...]
    adverse_events: tuple[AdverseEventRow, ...]
    events: tuple[EventRow, ...]
    audit: tuple[AuditRow, ...]
    abbreviations: tuple[AbbreviationRow, ...]
    patient_lines: tuple[PatientLineRow, ...] = ()
    """The cohort views; empty for a warehouse made before they existed."""
    survival: tuple[SurvivalRow, ...] = ()
    sequences: tuple[SequenceRow, ...] = ()


class WarehouseNotFoundError(FileNotFoundError):
    """The --db file does not exist (opening it read-only would not create it)."""


def _table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = current_schema()"
    ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def _convert(name: str, value: Any) -> Any:
    if name in LIST_COLUMNS:
        return tuple(value or ())
    return value


def _read(
    con: duckdb.DuckDBPyConnection,
    available: dict[str, set[str]],
    table: str,
    record: type[RowT],
    order_by: Sequence[str],
) -> tuple[RowT, ...]:
    present = available.get(table)
    if present is None:
        return ()
    names = [f.name for f in fields(record)]  # type: ignore[arg-type]
    select = ", ".join(f'"{n}"' if n in present else f'null as "{n}"' for n in names)
    order = ", ".join(f'"{c}" nulls last' for c in order_by if c in present)
    sql = f'select {select} from "{table}"' + (f" order by {order}" if order else "")
    return tuple(
        record(**{n: _convert(n, v) for n, v in zip(names, row, strict=True)})
        for row in con.execute(sql).fetchall()
    )


def read_warehouse(db_path: str | os.PathLike[str]) -> Warehouse:
    """Open the DuckDB file read-only and read every table the report shows."""
    path = Path(db_path)
    if not path.is_file():
        raise WarehouseNotFoundError(f"warehouse not found: {path}")
    con = duckdb.connect(str(path), read_only=True)
    try:
        add_missing_views(con)
        cols = _table_columns(con)
        case_order = ("doc_id", "case_id")
        return Warehouse(
            documents=_read(con, cols, "documents", DocumentRow, ("ingested_at", "doc_id")),
            cases=_read(con, cols, "cases", CaseRow, case_order),
            lines=_read(con, cols, "lines_of_therapy", LineRow, (*case_order, "line_no")),
            exposures=_read(con, cols, "drug_exposures", ExposureRow, (*case_order, "exposure_no")),
            assessments=_read(
                con, cols, "assessments", AssessmentRow, (*case_order, "assessed_on", "line_no")
            ),
            lesions=_read(
                con,
                cols,
                "lesion_measurements",
                LesionRow,
                (*case_order, "measured_on", "figure", "panel", "site"),
            ),
            adverse_events=_read(
                con, cols, "adverse_events", AdverseEventRow, (*case_order, "line_no", "onset_date")
            ),
            events=_read(con, cols, "events", EventRow, (*case_order, "event_date", "kind")),
            audit=_read(con, cols, "audit_findings", AuditRow, (*case_order, "line_no", "kind")),
            abbreviations=_read(
                con, cols, "abbreviations", AbbreviationRow, ("doc_id", "abbreviation")
            ),
            patient_lines=_read(
                con, cols, "patient_lines", PatientLineRow, (*case_order, "line_no")
            ),
            survival=_read(con, cols, "pfs_survival", SurvivalRow, (*case_order, "line_no")),
            sequences=_read(con, cols, "line_sequences", SequenceRow, case_order),
        )
    finally:
        con.close()


def read_survival(db_path: str | os.PathLike[str]) -> tuple[SurvivalRow, ...]:
    """The `pfs_survival` rows alone (for `caselines km`), read-only."""
    path = Path(db_path)
    if not path.is_file():
        raise WarehouseNotFoundError(f"warehouse not found: {path}")
    con = duckdb.connect(str(path), read_only=True)
    try:
        add_missing_views(con)
        return _read(
            con, _table_columns(con), "pfs_survival", SurvivalRow, ("doc_id", "case_id", "line_no")
        )
    finally:
        con.close()
