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
from typing import Protocol, TypeVar

from report.case_tables import (
    adverse_table,
    assessments_table,
    audit_table,
    drugs_table,
    events_table,
    iso,
    lesion_tables,
    lines_table,
)
from report.cohort import CohortSection, cohort_section
from report.evidence import Cell, EvidenceIndex, EvidenceRef
from report.plot import SwimmerPlot, class_colours, swimmer_svg
from report.read import Warehouse
from report.records import (
    AbbreviationRow,
    CaseRow,
    DocumentRow,
)
from report.tables import Table

CASES_DIR = "cases"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
SLUG_CHARS = 12


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
    """Documents with at least one line of therapy, in ingestion order."""
    no_timeline: tuple[DocumentSection, ...]
    """Documents without an oncology timeline (no line of therapy): one collapsed list."""
    cohort: CohortSection
    evidence: tuple[EvidenceRef, ...]

    @property
    def n_documents(self) -> int:
        return len(self.documents) + len(self.no_timeline)


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
         iso(case.diagnosis_date), iso(case.death_date))
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
            tuple(
                ev.cell(v, a.page, a.evidence)
                for v in (a.abbreviation, a.drugs, a.expansion, a.source)
            )
            for a in rows
        ),
        empty_note="No abbreviations recorded.",
    )


def index_page(wh: Warehouse) -> IndexPage:
    ev = EvidenceIndex()
    doc_ids = [d.doc_id for d in wh.documents]
    doc_ids += sorted({c.doc_id for c in wh.cases} - set(doc_ids))
    docs = {d.doc_id: d for d in wh.documents}
    hrefs = {(d, c): case_filename(d, c) for d in doc_ids for c in _case_ids(wh, d)}
    colours = class_colours([e.drug_class for e in wh.exposures])
    cohort = cohort_section(wh, ev, hrefs, colours)
    with_lines = {line.doc_id for line in wh.lines}
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
    return IndexPage(
        documents=tuple(s for s in sections if s.doc_id in with_lines),
        no_timeline=tuple(s for s in sections if s.doc_id not in with_lines),
        cohort=cohort,
        evidence=ev.entries,
    )


# --- case pages -------------------------------------------------------------------------


def _case_row(wh: Warehouse, doc_id: str, case_id: int) -> CaseRow | None:
    return next((c for c in wh.cases if c.doc_id == doc_id and c.case_id == case_id), None)


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
             iso(case.diagnosis_date), iso(case.death_date))
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
            lines_table(ev, lines, exposures, assessments, events),
            drugs_table(ev, exposures),
            assessments_table(ev, assessments),
            adverse_table(ev, of_case(wh.adverse_events, doc_id, case_id)),
            *lesion_tables(ev, of_case(wh.lesions, doc_id, case_id)),
            events_table(ev, events),
            audit_table(ev, of_case(wh.audit, doc_id, case_id)),
        ),
        evidence=ev.entries,
    )


def case_pages(wh: Warehouse) -> list[CasePage]:
    colours = class_colours([e.drug_class for e in wh.exposures])
    doc_ids = list(dict.fromkeys([d.doc_id for d in wh.documents] + [c.doc_id for c in wh.cases]))
    return [case_page(wh, d, c, colours) for d in doc_ids for c in _case_ids(wh, d)]
