"""One patient's course as the warehouse holds it, read into frozen records for
`caselines show`: the case, its lines of therapy with their doses, adverse events, death.

Reading (SQL in warehouse/cli/show_*.sql) is kept apart from the pure functions that word
dates, doses and PFS for display, which are tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flows.cli_common import PFS_DECIMALS, fetch

if TYPE_CHECKING:
    import duckdb

DAY = "day"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True)
class DocHeader:
    doc_id: str
    path: str
    title: str | None
    journal: str | None
    year: int | None
    pfs_month_days: float


@dataclass(frozen=True)
class Dose:
    line_no: int | None
    drug: str
    drug_as_printed: str
    dose_amount: float | None
    dose_unit: str | None
    schedule: str | None
    route: str | None
    cycles: int | None
    page: int


@dataclass(frozen=True)
class LineCourse:
    line_no: int
    regimen: str | None
    drugs: tuple[str, ...]
    start_date: date | None
    start_date_precision: str | None
    end_date: date | None
    end_date_precision: str | None
    best_response: str | None
    pfs_months: float | None
    pfs_months_reported: float | None
    pfs_event: str | None
    pfs_event_date: date | None
    page: int | None
    doses: tuple[Dose, ...] = ()


@dataclass(frozen=True)
class AdverseEvent:
    event: str
    grade: int | None
    drug: str | None
    line_no: int | None
    onset_date: date | None
    action: str | None
    page: int


@dataclass(frozen=True)
class Death:
    event_date: date | None
    event_date_precision: str | None
    page: int
    evidence: str


@dataclass(frozen=True)
class CaseCourse:
    case_id: int
    age: int | None
    sex: str | None
    primary_site: str | None
    histology: str | None
    diagnosis_date: date | None
    diagnosis_date_precision: str | None
    death_date: date | None
    death_date_precision: str | None
    page: int | None
    evidence: str | None
    lines: tuple[LineCourse, ...]
    doses_outside_lines: tuple[Dose, ...]
    adverse_events: tuple[AdverseEvent, ...]
    deaths: tuple[Death, ...]


# --- pure wording -------------------------------------------------------------------------


def when(value: date | None, precision: str | None) -> str:
    """A date as precisely as it was printed: '2020-03-01', '2020-03' or '2020'; '' if none."""
    if value is None:
        return ""
    if precision == YEAR:
        return f"{value.year}"
    if precision == MONTH:
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()


def amount(value: float) -> str:
    """A dose amount without a float's tail: 85.0 -> '85', 1.25 -> '1.25'."""
    return f"{value:g}"


def dose_text(dose: Dose) -> str:
    """'oxaliplatin 85 mg/m2 q2w iv, 6 cycles' (what is missing is left out)."""
    parts = [dose.drug]
    if dose.drug_as_printed and dose.drug_as_printed.lower() != dose.drug.lower():
        parts.append(f"({dose.drug_as_printed})")
    if dose.dose_amount is not None:
        parts.append(amount(dose.dose_amount) + (f" {dose.dose_unit}" if dose.dose_unit else ""))
    for extra in (dose.schedule, dose.route):
        if extra:
            parts.append(extra)
    text = " ".join(parts)
    if dose.cycles is not None:
        text += f", {dose.cycles} cycle{'s' if dose.cycles != 1 else ''}"
    return text


def pfs_text(line: LineCourse) -> str:
    """'6.6 months', with the reported figure beside it when it differs at one decimal:
    '11.2 months (reported 11.1)'; '' when neither is known."""
    computed, reported = line.pfs_months, line.pfs_months_reported
    if computed is None:
        return "" if reported is None else f"reported {reported:.{PFS_DECIMALS}f} months"
    text = f"{computed:.{PFS_DECIMALS}f} months"
    if reported is not None and round(reported, PFS_DECIMALS) != round(computed, PFS_DECIMALS):
        text += f" (reported {reported:.{PFS_DECIMALS}f})"
    return text


def event_text(line: LineCourse) -> str:
    """'progression 2020-09-01', 'death', or ''."""
    if line.pfs_event is None:
        return ""
    if line.pfs_event_date is None:
        return line.pfs_event
    return f"{line.pfs_event} {line.pfs_event_date.isoformat()}"


def adverse_event_text(ae: AdverseEvent) -> str:
    """'hypertension, grade 2, rivoceranib, line 2, from 2021-01-04: dose reduced'."""
    parts = [ae.event]
    if ae.grade is not None:
        parts.append(f"grade {ae.grade}")
    if ae.drug:
        parts.append(ae.drug)
    if ae.line_no is not None:
        parts.append(f"line {ae.line_no}")
    if ae.onset_date is not None:
        parts.append(f"from {ae.onset_date.isoformat()}")
    text = ", ".join(parts)
    return f"{text}: {ae.action}" if ae.action else text


def patient_text(case: CaseCourse) -> str:
    """'61-year-old male, sigmoid colon adenocarcinoma' from what the case holds."""
    who = " ".join(
        p for p in (f"{case.age}-year-old" if case.age is not None else None, case.sex) if p
    )
    cancer = " ".join(p for p in (case.primary_site, case.histology) if p)
    return ", ".join(p for p in (who, cancer) if p) or "no age, sex or cancer recorded"


def attach_doses(lines: list[LineCourse], doses: list[Dose]) -> tuple[list[LineCourse], list[Dose]]:
    """Each line with the doses given in it, and the doses that belong to no line (adjuvant,
    neoadjuvant or unplaced exposures)."""
    by_line: dict[int, list[Dose]] = {}
    outside: list[Dose] = []
    known = {line.line_no for line in lines}
    for d in doses:
        if d.line_no is not None and d.line_no in known:
            by_line.setdefault(d.line_no, []).append(d)
        else:
            outside.append(d)
    out = [
        LineCourse(**{**_fields(line), "doses": tuple(by_line.get(line.line_no, ()))})
        for line in lines
    ]
    return out, outside


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


# --- reading ------------------------------------------------------------------------------


def _records(cls: type[Any], columns: list[str], rows: list[tuple[Any, ...]]) -> list[Any]:
    return [cls(**dict(zip(columns, row, strict=True))) for row in rows]


def read_header(con: duckdb.DuckDBPyConnection, doc_id: str) -> DocHeader:
    columns, rows = fetch(con, "show_document", doc_id=doc_id)
    header: DocHeader = _records(DocHeader, columns, rows)[0]
    return header


def read_courses(
    con: duckdb.DuckDBPyConnection, doc_id: str, case_id: int | None
) -> list[CaseCourse]:
    """The courses of one case, or of every case of the document when `case_id` is None."""
    columns, rows = fetch(con, "show_cases", doc_id=doc_id, case_id=case_id)
    courses: list[CaseCourse] = []
    for row in rows:
        base = dict(zip(columns, row, strict=True))
        cid = base["case_id"]
        lc, lr = fetch(con, "show_lines", doc_id=doc_id, case_id=cid)
        lines = [
            LineCourse(**{**dict(zip(lc, r, strict=True)), "drugs": tuple(r[lc.index("drugs")])})
            for r in lr
        ]
        dc, dr = fetch(con, "show_doses", doc_id=doc_id, case_id=cid)
        lines, outside = attach_doses(lines, _records(Dose, dc, dr))
        ac, ar = fetch(con, "show_adverse_events", doc_id=doc_id, case_id=cid)
        xc, xr = fetch(con, "show_deaths", doc_id=doc_id, case_id=cid)
        courses.append(
            CaseCourse(
                **base,
                lines=tuple(lines),
                doses_outside_lines=tuple(outside),
                adverse_events=tuple(_records(AdverseEvent, ac, ar)),
                deaths=tuple(_records(Death, xc, xr)),
            )
        )
    return courses
