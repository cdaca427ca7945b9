"""The cohort page (the report's index): every patient and line in one table, the combined
swimmer plot, Kaplan-Meier curves of PFS and the treatment sequences.

The table is rendered whole in the HTML, so it reads without script; cohort.js (a file of
the report folder, allowed by the page's `script-src 'self'`) only sorts, filters and
downloads the rows shown. Every value a row carries for the script is an attribute that
Jinja escapes: `data-v` (the cell's raw value, for sorting and the CSV) and `data-filters`
(JSON of the row's filter values).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from report.case_tables import iso
from report.cohort_plot import cohort_swimmer_svg
from report.evidence import Cell, EvidenceIndex
from report.km import CAVEAT, GroupBy, KmFigure, km_svg
from report.plot import SwimmerPlot
from report.read import Warehouse
from report.records import CaseRow, PatientLineRow
from report.sequence import SequenceDiagram, sequence_svg

NO_RESPONSE = "not reported"
"""The best-response filter's value for a line without one."""
SCRIPT_NAME = "cohort.js"
CSV_NAME = "caselines-cohort.csv"


@dataclass(frozen=True)
class Column:
    header: str
    csv: str
    """Column name in the CSV download."""
    kind: str
    """'text', 'num' or 'date': how the script sorts it and the CSS aligns it."""


COLUMNS = (
    Column("Case", "case", "text"),
    Column("Age", "age", "num"),
    Column("Sex", "sex", "text"),
    Column("Cancer site", "primary_site", "text"),
    Column("Histology", "histology", "text"),
    Column("Line", "line_no", "num"),
    Column("Regimen", "regimen", "text"),
    Column("Drugs", "drugs", "text"),
    Column("Drug classes", "drug_classes", "text"),
    Column("Start", "start_date", "date"),
    Column("End", "end_date", "date"),
    Column("PFS (months)", "pfs_months", "num"),
    Column("PFS event", "pfs_event", "text"),
    Column("Censored on", "censored_on", "date"),
    Column("Best response", "best_response", "text"),
)
LIST_SEPARATOR = "; "
"""Joins a list value in the CSV (a comma would read as a column break to the eye)."""


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class CohortRow:
    href: str
    """The case page, relative to index.html."""
    case_label: str
    title: str
    cells: tuple[Cell, ...]
    """Cells after the first (Case) column, one per COLUMNS[1:]."""
    values: tuple[str, ...]
    """Raw value of every column, for sorting and the CSV."""
    filters_json: str
    doi: str
    """For the CSV: the article a row came from, beside the title shown."""


@dataclass(frozen=True)
class CohortSection:
    columns: tuple[Column, ...]
    rows: tuple[CohortRow, ...]
    filters: tuple[Filter, ...]
    n_patients: int
    swimmer: SwimmerPlot
    km: tuple[KmFigure, ...]
    caveat: str
    sequences: SequenceDiagram
    script: str
    csv_name: str


def _raw(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _filters_of(line: PatientLineRow) -> dict[str, list[str]]:
    return {
        "site": [line.primary_site] if line.primary_site else [],
        "drug": list(line.drugs),
        "class": list(line.drug_classes),
        "line": [str(line.line_no)],
        "response": [line.best_response or NO_RESPONSE],
    }


FILTER_LABELS = (
    ("site", "Cancer site"),
    ("drug", "Drug"),
    ("class", "Drug class"),
    ("line", "Line"),
    ("response", "Best response"),
)


def filters(lines: Sequence[PatientLineRow]) -> tuple[Filter, ...]:
    """Each filter's options: the values present, sorted (line numbers as numbers)."""
    out = []
    for key, label in FILTER_LABELS:
        values = {v for line in lines for v in _filters_of(line)[key]}
        ordered = sorted(values, key=lambda v: (int(v), v) if key == "line" else (0, v))
        out.append(Filter(key, label, tuple(ordered)))
    return tuple(out)


def cohort_row(
    ev: EvidenceIndex, line: PatientLineRow, case: CaseRow | None, href: str
) -> CohortRow:
    patient = (case.page, case.evidence) if case else (None, None)
    own = (line.page, line.evidence)
    values: tuple[tuple[object, tuple[int | None, str | None]], ...] = (
        (line.age, patient), (line.sex, patient), (line.primary_site, patient),
        (line.histology, patient), (line.line_no, own), (line.regimen, own),
        (line.drugs, own), (line.drug_classes, own), (iso(line.start_date), own),
        (iso(line.end_date), own),
        (None if line.pfs_months is None else f"{line.pfs_months:.1f}", own),
        (line.pfs_event, own), (iso(line.censored_on), own), (line.best_response, own),
    )  # fmt: skip
    title = line.title or line.doc_id
    case_label = f"case {line.case_id}"
    return CohortRow(
        href=href,
        case_label=case_label,
        title=title,
        cells=tuple(ev.cell(v, page, sentence) for v, (page, sentence) in values),
        values=(f"{title} · {case_label}", *(_raw(v) for v, _ in values)),
        filters_json=json.dumps(_filters_of(line), ensure_ascii=False, sort_keys=True),
        doi=line.doi or "",
    )


def cohort_section(
    wh: Warehouse,
    ev: EvidenceIndex,
    hrefs: Mapping[tuple[str, int], str],
    colours: Mapping[str, str],
) -> CohortSection:
    cases = {(c.doc_id, c.case_id): c for c in wh.cases}
    lines = wh.patient_lines
    rows = tuple(
        cohort_row(ev, x, cases.get((x.doc_id, x.case_id)), hrefs[(x.doc_id, x.case_id)])
        for x in lines
        if (x.doc_id, x.case_id) in hrefs
    )
    return CohortSection(
        columns=COLUMNS,
        rows=rows,
        filters=filters(lines),
        n_patients=len({(x.doc_id, x.case_id) for x in lines}),
        swimmer=cohort_swimmer_svg(lines, wh.assessments, wh.cases, colours),
        km=tuple(km_svg(wh.survival, by, colours) for by in GroupBy),
        caveat=CAVEAT,
        sequences=sequence_svg([s.drug_classes for s in wh.sequences], colours),
        script=SCRIPT_NAME,
        csv_name=CSV_NAME,
    )
