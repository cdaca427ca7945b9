"""Page contexts: the warehouse rows of one case (or the index) turned into cells and tables.

Everything a template prints is decided here, as frozen records; the templates only lay it
out. Each page owns an `EvidenceIndex`, so its evidence list holds exactly the sentences
its values cite.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from flows.report.evidence import Cell, EvidenceIndex, EvidenceRef, fmt
from flows.report.plot import SwimmerPlot, class_colours, swimmer_svg
from flows.report.read import Warehouse
from flows.report.recist_sums import lesion_sums
from flows.report.records import (
    AbbreviationRow,
    AssessmentRow,
    CaseRow,
    DocumentRow,
    EventRow,
    ExposureRow,
    LineRow,
)
from flows.report.tables import Table

CASES_DIR = "cases"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
SLUG_CHARS = 12
NO_CASES_NOTE = "No case presentation was found in this document."
PERCENT_FMT = "{:+.1f}%"
MONTHS_FMT = "{:.1f}"
CM_FMT = "{:.2g}"


@dataclass(frozen=True)
class CaseLink:
    case_id: int
    href: str
    """Relative to index.html."""
    n_lines: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DocumentSection:
    doc_id: str
    doc: DocumentRow | None
    """None when fact rows name a document the documents table lacks."""
    display_title: str
    cases: tuple[CaseLink, ...]
    case_headers: tuple[str, ...]
    abbreviations: Table


@dataclass(frozen=True)
class IndexPage:
    documents: tuple[DocumentSection, ...]
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True)
class CasePage:
    doc: DocumentRow | None
    doc_id: str
    display_title: str
    case_id: int
    filename: str
    """Relative to the output folder."""
    summary: tuple[tuple[str, Cell], ...]
    plot: SwimmerPlot
    tables: tuple[Table, ...]
    evidence: tuple[EvidenceRef, ...]


def doc_slug(doc_id: str) -> str:
    """A short file-name-safe key: the hash's head, or a hash of an id that is not one."""
    if SHA256_HEX.fullmatch(doc_id):
        return doc_id[:SLUG_CHARS]
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:SLUG_CHARS]


def case_filename(doc_id: str, case_id: int) -> str:
    return f"{CASES_DIR}/{doc_slug(doc_id)}-case-{case_id}.html"


def display_title(doc: DocumentRow | None, doc_id: str) -> str:
    if doc is None:
        return f"Document {doc_id[:SLUG_CHARS]} (not in the documents table)"
    return doc.title or doc.path or doc.doc_id


class _OfCase(Protocol):
    @property
    def doc_id(self) -> str: ...
    @property
    def case_id(self) -> int | None: ...


RowT = TypeVar("RowT", bound=_OfCase)


def of_case(rows: Sequence[RowT], doc_id: str, case_id: int) -> list[RowT]:
    return [r for r in rows if r.doc_id == doc_id and r.case_id == case_id]


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _num(template: str, value: float | None) -> str | None:
    return None if value is None else template.format(value)


# --- index ------------------------------------------------------------------------------

CASE_HEADERS = ("Case", "Age", "Sex", "Primary site", "Histology", "Grade", "Diagnosed", "Died")


def _case_ids(wh: Warehouse, doc_id: str) -> list[int]:
    """Cases of a document, from the cases table and from any fact table that names one."""
    ids = {c.case_id for c in wh.cases if c.doc_id == doc_id}
    ids |= {line.case_id for line in wh.lines if line.doc_id == doc_id}
    ids |= {e.case_id for e in wh.exposures if e.doc_id == doc_id}
    return sorted(ids)


def _case_link(wh: Warehouse, ev: EvidenceIndex, doc_id: str, case_id: int) -> CaseLink:
    case = _case_row(wh, doc_id, case_id)
    page, sentence = (case.page, case.evidence) if case else (None, None)
    values: Sequence[object] = (
        (case_id, case.age, case.sex, case.primary_site, case.histology, case.grade,
         _date(case.diagnosis_date), _date(case.death_date))
        if case
        else (case_id, None, None, None, None, None, None, None)
    )  # fmt: skip
    n_lines = sum(1 for x in wh.lines if x.doc_id == doc_id and x.case_id == case_id)
    return CaseLink(
        case_id=case_id,
        href=case_filename(doc_id, case_id),
        n_lines=n_lines,
        cells=tuple(ev.cell(v, page, sentence) for v in values),
    )


def _abbreviation_table(ev: EvidenceIndex, rows: Sequence[AbbreviationRow]) -> Table:
    return Table(
        key="abbreviations",
        caption="Abbreviations",
        headers=("Abbreviation", "Drugs", "Expansion", "Source"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence) for v in (a.abbreviation, a.drugs, a.expansion,
                                                             a.source))
            for a in rows
        ),
        empty_note="No abbreviations recorded.",
    )


def index_page(wh: Warehouse) -> IndexPage:
    ev = EvidenceIndex()
    doc_ids = [d.doc_id for d in wh.documents]
    doc_ids += sorted({c.doc_id for c in wh.cases} - set(doc_ids))
    docs = {d.doc_id: d for d in wh.documents}
    sections = []
    for doc_id in doc_ids:
        doc = docs.get(doc_id)
        sections.append(
            DocumentSection(
                doc_id=doc_id,
                doc=doc,
                display_title=display_title(doc, doc_id),
                cases=tuple(_case_link(wh, ev, doc_id, c) for c in _case_ids(wh, doc_id)),
                case_headers=CASE_HEADERS,
                abbreviations=_abbreviation_table(
                    ev, [a for a in wh.abbreviations if a.doc_id == doc_id]
                ),
            )
        )
    return IndexPage(tuple(sections), ev.entries)


# --- case pages -------------------------------------------------------------------------


def _case_row(wh: Warehouse, doc_id: str, case_id: int) -> CaseRow | None:
    return next((c for c in wh.cases if c.doc_id == doc_id and c.case_id == case_id), None)


def _lines_table(
    ev: EvidenceIndex,
    lines: Sequence[LineRow],
    exposures: Sequence[ExposureRow],
    assessments: Sequence[AssessmentRow],
    events: Sequence[EventRow],
) -> Table:
    rows = []
    for line in lines:
        own = ev.ref(line.page, line.evidence)
        drug_refs = ev.refs((e.page, e.evidence) for e in exposures if e.line_no == line.line_no)
        response_refs = ev.refs(
            (a.page, a.evidence)
            for a in assessments
            if a.line_no == line.line_no and a.response == line.best_response
        )
        event_refs = ev.refs(
            (e.page, e.evidence)
            for e in events
            if e.kind == line.pfs_event and e.event_date == line.pfs_event_date
        )
        computed = own + tuple(r for r in event_refs if r not in own)
        rows.append(
            (
                Cell(fmt(line.line_no), own),
                Cell(fmt(line.regimen), own),
                Cell(fmt(line.drugs), drug_refs or own),
                Cell(_date(line.start_date), own),
                Cell(_date(line.end_date), own),
                Cell(fmt(line.best_response), response_refs or own),
                Cell(fmt(line.pfs_event), event_refs or own),
                Cell(_date(line.pfs_event_date), event_refs or own),
                Cell(_num(MONTHS_FMT, line.pfs_months_reported), own),
                Cell(_num(MONTHS_FMT, line.pfs_months), computed),
                Cell(fmt(line.pfs_consistent), computed),
            )
        )
    return Table(
        key="lines",
        caption="Lines of therapy",
        headers=("Line", "Regimen", "Drugs", "Start", "End", "Best response", "PFS event",
                 "PFS event date", "PFS reported (mo)", "PFS computed (mo)", "Consistent"),
        rows=tuple(rows),
        empty_note="No lines of therapy recorded for this case.",
    )  # fmt: skip


def _dose(e: ExposureRow) -> str | None:
    if e.dose_amount is None:
        return None
    return f"{fmt(e.dose_amount)} {e.dose_unit or ''}".strip()


def _drug_name(e: ExposureRow) -> str:
    if e.drug_as_printed and e.drug_as_printed.lower() != e.drug.lower():
        return f"{e.drug} (printed: {e.drug_as_printed})"
    return e.drug


def _drugs_table(ev: EvidenceIndex, exposures: Sequence[ExposureRow]) -> Table:
    rows = tuple(
        tuple(
            ev.cell(v, e.page, e.evidence)
            for v in (e.setting, e.line_no, e.regimen, _drug_name(e), e.drug_class, _dose(e),
                      e.schedule, e.route, _date(e.start_date), _date(e.end_date), e.cycles,
                      e.maintenance)
        )
        for e in exposures
    )  # fmt: skip
    return Table(
        key="drugs",
        caption="Drugs and doses",
        headers=("Setting", "Line", "Regimen", "Drug", "Class", "Dose", "Schedule", "Route",
                 "Start", "End", "Cycles", "Maintenance"),
        rows=rows,
        empty_note="No drug exposures recorded for this case.",
    )  # fmt: skip


def _assessments_table(ev: EvidenceIndex, assessments: Sequence[AssessmentRow]) -> Table:
    return Table(
        key="assessments",
        caption="Response assessments",
        headers=("Line", "Date", "Modality", "Response"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence)
                  for v in (a.line_no, _date(a.assessed_on), a.modality, a.response))
            for a in assessments
        ),
        empty_note="No response assessments recorded for this case.",
    )  # fmt: skip


def _adverse_table(ev: EvidenceIndex, wh: Warehouse, doc_id: str, case_id: int) -> Table:
    rows = of_case(wh.adverse_events, doc_id, case_id)
    return Table(
        key="adverse-events",
        caption="Adverse events",
        headers=("Line", "Event", "CTCAE grade", "Drug", "Onset", "Action"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence)
                  for v in (a.line_no, a.event, a.grade, a.drug, _date(a.onset_date), a.action))
            for a in rows
        ),
        empty_note="No adverse events recorded for this case.",
    )  # fmt: skip


def _lesions_tables(ev: EvidenceIndex, wh: Warehouse, doc_id: str, case_id: int) -> list[Table]:
    lesions = of_case(wh.lesions, doc_id, case_id)
    measurements = Table(
        key="lesions",
        caption="Lesion measurements",
        headers=("Date", "Site", "Size (cm)", "Lymph node", "Figure", "Panel"),
        rows=tuple(
            tuple(ev.cell(v, x.page, x.evidence)
                  for v in (_date(x.measured_on), x.site,
                            " × ".join(fmt(d) or "" for d in (x.dim1_cm, x.dim2_cm) if d),
                            x.lymph_node, x.figure, x.panel))
            for x in lesions
        ),
        empty_note="No lesion measurements recorded for this case.",
    )  # fmt: skip
    sums = []
    for s in lesion_sums(lesions):
        refs = ev.refs((x.page, x.evidence) for x in s.lesions)
        sums.append(
            tuple(
                Cell(v, refs)
                for v in (s.series, _date(s.measured_on), str(len(s.lesions)),
                          CM_FMT.format(s.sld_cm), CM_FMT.format(s.recist_cm),
                          _num(PERCENT_FMT, s.change_from_baseline_pct),
                          _num(PERCENT_FMT, s.change_from_nadir_pct))
            )
        )  # fmt: skip
    recist = Table(
        key="recist",
        caption="RECIST 1.1 sums (computed from the measurements; lymph nodes by short axis)",
        headers=("Figure", "Date", "Lesions", "Sum of longest diameters (cm)", "RECIST sum (cm)",
                 "Change from first scan", "Change from smallest sum"),
        rows=tuple(sums),
        empty_note="No lesion measurements to sum.",
    )  # fmt: skip
    return [measurements, recist]


def _events_table(ev: EvidenceIndex, events: Sequence[EventRow]) -> Table:
    return Table(
        key="events",
        caption="Clinical events",
        headers=("Date", "Event", "Detail"),
        rows=tuple(
            tuple(ev.cell(v, e.page, e.evidence) for v in (_date(e.event_date), e.kind, e.detail))
            for e in events
        ),
        empty_note="No dated clinical events recorded for this case.",
    )


def _audit_table(ev: EvidenceIndex, wh: Warehouse, doc_id: str, case_id: int) -> Table:
    rows = of_case(wh.audit, doc_id, case_id)
    return Table(
        key="audit",
        caption="Audit findings",
        headers=("Line", "Finding", "Message", "Reported", "Computed"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence)
                  for v in (a.line_no, a.kind, a.message, a.reported, a.computed))
            for a in rows
        ),
        empty_note="No audit findings for this case.",
    )  # fmt: skip


SUMMARY_FIELDS = ("Age", "Sex", "Primary site", "Histology", "Grade", "Diagnosed", "Died")


def case_page(wh: Warehouse, doc_id: str, case_id: int, colours: dict[str, str]) -> CasePage:
    ev = EvidenceIndex()
    case = _case_row(wh, doc_id, case_id)

    lines = of_case(wh.lines, doc_id, case_id)
    exposures = of_case(wh.exposures, doc_id, case_id)
    assessments = of_case(wh.assessments, doc_id, case_id)
    events = of_case(wh.events, doc_id, case_id)
    summary = tuple(
        (label, ev.cell(v, case.page if case else None, case.evidence if case else None))
        for label, v in zip(
            SUMMARY_FIELDS,
            (case.age, case.sex, case.primary_site, case.histology, case.grade,
             _date(case.diagnosis_date), _date(case.death_date))
            if case
            else (None,) * len(SUMMARY_FIELDS),
            strict=True,
        )
    )  # fmt: skip
    plot = swimmer_svg(
        prefix=f"c{case_id}",
        lines=lines,
        exposures=exposures,
        assessments=assessments,
        events=events,
        death_date=case.death_date if case else None,
        class_colours=colours,
    )
    doc = next((d for d in wh.documents if d.doc_id == doc_id), None)
    return CasePage(
        doc=doc,
        doc_id=doc_id,
        display_title=display_title(doc, doc_id),
        case_id=case_id,
        filename=case_filename(doc_id, case_id),
        summary=summary,
        plot=plot,
        tables=(
            _lines_table(ev, lines, exposures, assessments, events),
            _drugs_table(ev, exposures),
            _assessments_table(ev, assessments),
            _adverse_table(ev, wh, doc_id, case_id),
            *_lesions_tables(ev, wh, doc_id, case_id),
            _events_table(ev, events),
            _audit_table(ev, wh, doc_id, case_id),
        ),
        evidence=ev.entries,
    )


def case_pages(wh: Warehouse) -> list[CasePage]:
    colours = class_colours([e.drug_class for e in wh.exposures])
    doc_ids = list(dict.fromkeys([d.doc_id for d in wh.documents] + [c.doc_id for c in wh.cases]))
    return [case_page(wh, d, c, colours) for d in doc_ids for c in _case_ids(wh, d)]
