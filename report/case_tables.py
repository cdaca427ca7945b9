"""The tables of a case page, each value a cell backed by its evidence sentences.

Pure functions from warehouse records to `Table`s; `pages.py` decides which rows go in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from report.evidence import Cell, EvidenceIndex, fmt
from report.recist_sums import LesionSum, lesion_sums
from report.records import (
    AdverseEventRow,
    AssessmentRow,
    AuditRow,
    EventRow,
    ExposureRow,
    LesionRow,
    LineRow,
)
from report.tables import Table

PERCENT_FMT = "{:+.1f}%"
MONTHS_FMT = "{:.1f}"
CM_FMT = "{:.1f}"


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def num(template: str, value: float | None) -> str | None:
    return None if value is None else template.format(value)


def lines_table(
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
                Cell(fmt(line.line_no), own, line.curated),
                Cell(fmt(line.regimen), own),
                Cell(fmt(line.drugs), drug_refs or own),
                Cell(iso(line.start_date), own),
                Cell(iso(line.end_date), own),
                Cell(fmt(line.best_response), response_refs or own),
                Cell(fmt(line.pfs_event), event_refs or own),
                Cell(iso(line.pfs_event_date), event_refs or own),
                Cell(num(MONTHS_FMT, line.pfs_months_reported), own),
                Cell(num(MONTHS_FMT, line.pfs_months), computed),
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


DRUG_COLUMN = 3
"""Position of the drug in a drugs-table row: where a curated exposure shows its badge."""


def _exposure_cells(ev: EvidenceIndex, e: ExposureRow) -> tuple[Cell, ...]:
    cells = [
        ev.cell(v, e.page, e.evidence)
        for v in (e.setting, e.line_no, e.regimen, _drug_name(e), e.drug_class, _dose(e),
                  e.schedule, e.route, iso(e.start_date), iso(e.end_date), e.cycles,
                  e.maintenance)
    ]  # fmt: skip
    cells[DRUG_COLUMN] = dataclasses.replace(cells[DRUG_COLUMN], curated=e.curated)
    return tuple(cells)


def drugs_table(ev: EvidenceIndex, exposures: Sequence[ExposureRow]) -> Table:
    rows = tuple(_exposure_cells(ev, e) for e in exposures)
    return Table(
        key="drugs",
        caption="Drugs and doses",
        headers=("Setting", "Line", "Regimen", "Drug", "Class", "Dose", "Schedule", "Route",
                 "Start", "End", "Cycles", "Maintenance"),
        rows=rows,
        empty_note="No drug exposures recorded for this case.",
    )  # fmt: skip


def assessments_table(ev: EvidenceIndex, assessments: Sequence[AssessmentRow]) -> Table:
    return Table(
        key="assessments",
        caption="Response assessments",
        headers=("Line", "Date", "Modality", "Response"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence)
                  for v in (a.line_no, iso(a.assessed_on), a.modality, a.response))
            for a in assessments
        ),
        empty_note="No response assessments recorded for this case.",
    )  # fmt: skip


def adverse_table(ev: EvidenceIndex, rows: Sequence[AdverseEventRow]) -> Table:
    return Table(
        key="adverse-events",
        caption="Adverse events",
        headers=("Line", "Event", "CTCAE grade", "Drug", "Onset", "Action"),
        rows=tuple(
            tuple(ev.cell(v, a.page, a.evidence)
                  for v in (a.line_no, a.event, a.grade, a.drug, iso(a.onset_date), a.action))
            for a in rows
        ),
        empty_note="No adverse events recorded for this case.",
    )  # fmt: skip


def _response(s: LesionSum) -> str | None:
    if s.response is None:
        return None
    return f"{s.response} (new lesion)" if s.new_lesion else s.response


def lesion_tables(ev: EvidenceIndex, lesions: Sequence[LesionRow]) -> list[Table]:
    measurements = Table(
        key="lesions",
        caption="Lesion measurements",
        headers=("Date", "Site", "Size (cm)", "Lymph node", "Figure", "Panel"),
        rows=tuple(
            tuple(ev.cell(v, x.page, x.evidence)
                  for v in (iso(x.measured_on), x.site,
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
                for v in (s.series, iso(s.measured_on), str(len(s.lesions)),
                          CM_FMT.format(s.sld_cm), CM_FMT.format(s.recist_cm),
                          num(PERCENT_FMT, s.change_from_baseline_pct),
                          num(PERCENT_FMT, s.change_from_nadir_pct), _response(s))
            )
        )  # fmt: skip
    recist = Table(
        key="recist",
        caption="RECIST 1.1 sums (computed from the measurements; lymph nodes by short axis)",
        headers=("Figure", "Date", "Lesions", "Sum of longest diameters (cm)", "RECIST sum (cm)",
                 "Change from first scan", "Change from smallest sum", "RECIST response"),
        rows=tuple(sums),
        empty_note="No lesion measurements to sum.",
    )  # fmt: skip
    return [measurements, recist]


def events_table(ev: EvidenceIndex, events: Sequence[EventRow]) -> Table:
    return Table(
        key="events",
        caption="Clinical events",
        headers=("Date", "Event", "Detail"),
        rows=tuple(
            tuple(ev.cell(v, e.page, e.evidence) for v in (iso(e.event_date), e.kind, e.detail))
            for e in events
        ),
        empty_note="No dated clinical events recorded for this case.",
    )


def audit_table(ev: EvidenceIndex, rows: Sequence[AuditRow]) -> Table:
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
