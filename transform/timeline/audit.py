"""The article checked against itself: printed PFS vs its dates, printed vs RECIST response,
dates that cannot be in that order.

Each finding carries the sentence it is about, so a reader can check the article, not us.
Dates printed without a day are compared by the whole period they may mean ('March 2021'
is any day of March), so imprecision alone never makes a finding.

In plain words, with the sources: docs/rules.md (The audit).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from transform.records import (
    Assessment,
    ClinicalEvent,
    DrugExposure,
    Finding,
    LesionMeasurement,
    Line,
    Provenance,
)
from transform.timeline.pfs import pfs_days
from transform.timeline.recist import RecistPoint, evaluate_by_line
from transform.types import DatePrecision, FindingKind

__all__ = ["audit"]

_KIND_ORDER: tuple[FindingKind, ...] = (
    "pfs_mismatch",
    "response_mismatch",
    "line_end_before_start",
    "dates_out_of_order",
    "implausible_dose",
)


def _latest(day: date, precision: DatePrecision | None) -> date:
    """The last day a printed date may mean: end of its month or year when no day was printed."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def _surely_before(end: date, end_precision: DatePrecision | None, start: date) -> bool:
    """Is `end` before `start` whatever days they stand for? (an imprecise date is stored as
    the first day of its period, the earliest it may mean)"""
    return _latest(end, end_precision) < start


# --- PFS ---------------------------------------------------------------------------------------


def _pfs_findings(lines: Iterable[Line]) -> list[Finding]:
    out = []
    for line in lines:
        if line.pfs_consistent is not False:
            continue
        days = pfs_days(line)
        out.append(
            Finding(
                case_id=line.case_id,
                kind="pfs_mismatch",
                message=(
                    f"case {line.case_id} line {line.line_no}: PFS printed as "
                    f"{line.pfs_months_reported} months, but {line.start_date} to "
                    f"{line.pfs_event_date} ({days} days) gives {line.pfs_months}"
                ),
                prov=line.pfs_reported_prov or line.prov,
                line_no=line.line_no,
                reported=f"{line.pfs_months_reported}",
                computed=f"{line.pfs_months}",
            )
        )
    return out


# --- responses -----------------------------------------------------------------------------


def _describe(point: RecistPoint) -> str:
    return (
        f"{point.response} (sum {point.sum_cm:g} cm, {point.change_from_baseline_pct:+g}% "
        f"from baseline, {point.change_from_nadir_pct:+g}% from nadir"
        f"{', new lesion' if point.new_lesion else ''})"
        if point.change_from_baseline_pct is not None and point.change_from_nadir_pct is not None
        else f"{point.response} (new lesion)"
    )


def _response_findings(
    lines: Sequence[Line], assessments: Iterable[Assessment], lesions: Sequence[LesionMeasurement]
) -> list[Finding]:
    """A dated response statement that the measurements of that date contradict."""
    readings: dict[tuple[int | None, date], list[RecistPoint]] = {}
    for point in evaluate_by_line(lesions, lines):
        if not point.baseline and point.response is not None:
            readings.setdefault((point.case_id, point.date), []).append(point)
    out = []
    seen: set[tuple[int, date, str]] = set()
    for assessment in assessments:
        if assessment.assessed_on is None:
            continue
        points = readings.get((assessment.case_id, assessment.assessed_on), [])
        if not points or any(p.response == assessment.response for p in points):
            continue
        key = (assessment.case_id, assessment.assessed_on, assessment.response)
        if key in seen:
            continue
        seen.add(key)
        point = points[0]
        out.append(
            Finding(
                case_id=assessment.case_id,
                kind="response_mismatch",
                message=(
                    f"case {assessment.case_id}: the text reads {assessment.response} on "
                    f"{assessment.assessed_on}; RECIST 1.1 on the printed sizes gives "
                    f"{_describe(point)}"
                ),
                prov=assessment.prov,
                line_no=assessment.line_no or point.line_no,
                reported=assessment.response,
                computed=point.response,
            )
        )
    return out


# --- dates ---------------------------------------------------------------------------------


def _line_date_findings(lines: Iterable[Line]) -> list[Finding]:
    out = []
    for line in lines:
        if line.start_date is None:
            continue
        if line.end_date is not None and _surely_before(
            line.end_date, line.end_precision, line.start_date
        ):
            out.append(
                Finding(
                    case_id=line.case_id,
                    kind="line_end_before_start",
                    message=(
                        f"case {line.case_id} line {line.line_no} ends {line.end_date}, "
                        f"before it starts {line.start_date}"
                    ),
                    prov=line.prov,
                    line_no=line.line_no,
                    reported=f"{line.start_date}..{line.end_date}",
                )
            )
        if line.pfs_event_date is not None and line.pfs_event_date < line.start_date:
            out.append(
                Finding(
                    case_id=line.case_id,
                    kind="dates_out_of_order",
                    message=(
                        f"case {line.case_id} line {line.line_no}: its {line.pfs_event} on "
                        f"{line.pfs_event_date} precedes its start {line.start_date}"
                    ),
                    prov=line.pfs_reported_prov or line.prov,
                    line_no=line.line_no,
                    reported=f"{line.start_date}..{line.pfs_event_date}",
                )
            )
    return out


def _exposure_findings(exposures: Iterable[DrugExposure]) -> list[Finding]:
    out = []
    for exp in exposures:
        if exp.start_date is None or exp.end_date is None:
            continue
        if _surely_before(exp.end_date, exp.end_precision, exp.start_date):
            out.append(
                Finding(
                    case_id=exp.case_id,
                    kind="dates_out_of_order",
                    message=(
                        f"case {exp.case_id}: {exp.drug_as_printed} stops {exp.end_date}, "
                        f"before it starts {exp.start_date}"
                    ),
                    prov=exp.prov,
                    line_no=exp.line_no,
                    reported=f"{exp.start_date}..{exp.end_date}",
                )
            )
    return out


# --- dose sanity --------------------------------------------------------------------------------

DOSE_RANGES_TSV = "dose_ranges.tsv"
FAR_FACTOR = 2.0
"""A dose is implausible beyond twice the table's largest dose or below half its smallest:
far outside the range, not a dose adjusted for a patient."""
ANY_DRUG = "*"
_DOSE_RANGE_COLUMNS = 5


class DoseRangeError(ValueError):
    """The shipped dose-range table is malformed (the message names file:line)."""


@dataclass(frozen=True)
class DoseRange:
    low: float
    high: float
    source: str


def parse_dose_ranges(text: str, name: str = DOSE_RANGES_TSV) -> dict[tuple[str, str], DoseRange]:
    """(drug or '*', unit) -> plausible range, from 'drug<TAB>unit<TAB>min<TAB>max<TAB>source'
    rows; DoseRangeError with file:line on a malformed row."""
    out: dict[tuple[str, str], DoseRange] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("drug\t"):
            continue
        parts = raw.split("\t")
        if len(parts) != _DOSE_RANGE_COLUMNS or not all(p.strip() for p in parts):
            raise DoseRangeError(f"{name}:{number}: expected drug, unit, min, max, source")
        drug, unit, low, high, source = parts
        try:
            rng = DoseRange(float(low), float(high), source)
        except ValueError as exc:
            raise DoseRangeError(f"{name}:{number}: min and max must be numbers") from exc
        if rng.low > rng.high or (drug, unit) in out:
            raise DoseRangeError(f"{name}:{number}: min above max, or a row listed twice")
        out[(drug, unit)] = rng
    return out


@cache
def dose_ranges() -> Mapping[tuple[str, str], DoseRange]:
    text = (resources.files("transform.timeline") / DOSE_RANGES_TSV).read_text("utf-8")
    return parse_dose_ranges(text)


def _dose_findings(
    exposures: Iterable[DrugExposure], ranges: Mapping[tuple[str, str], DoseRange]
) -> list[Finding]:
    """A stored dose far outside its drug's plausible range for its unit (dose_ranges.tsv):
    a misread number or unit is shown, not stored silently."""
    out = []
    for exp in exposures:
        if exp.dose_amount is None or exp.dose_unit is None:
            continue
        rng = ranges.get((exp.drug.lower(), exp.dose_unit)) or ranges.get((ANY_DRUG, exp.dose_unit))
        if rng is None:
            continue
        if rng.low / FAR_FACTOR <= exp.dose_amount <= rng.high * FAR_FACTOR:
            continue
        out.append(
            Finding(
                case_id=exp.case_id,
                kind="implausible_dose",
                message=(
                    f"case {exp.case_id}: {exp.drug_as_printed} {exp.dose_amount:g} "
                    f"{exp.dose_unit} is far outside {rng.low:g}-{rng.high:g} {exp.dose_unit} "
                    f"({rng.source})"
                ),
                prov=exp.prov,
                line_no=exp.line_no,
                reported=f"{exp.dose_amount:g} {exp.dose_unit}",
                computed=f"{rng.low:g}-{rng.high:g}",
            )
        )
    return out


def _dated_facts(
    case_id: int,
    events: Iterable[ClinicalEvent],
    exposures: Iterable[DrugExposure],
    assessments: Iterable[Assessment],
    lesions: Iterable[LesionMeasurement],
) -> list[tuple[str, date, DatePrecision | None, Provenance, int | None]]:
    """(what, when, precision, evidence, line) of everything dated in one case but death."""
    facts: list[tuple[str, date, DatePrecision | None, Provenance, int | None]] = []
    for ev in events:
        if ev.case_id == case_id and ev.event_date is not None and ev.kind != "death":
            facts.append((ev.kind, ev.event_date, ev.precision, ev.prov, None))
    for exp in exposures:
        if exp.case_id == case_id and exp.start_date is not None:
            facts.append(
                (
                    f"start of {exp.drug_as_printed}",
                    exp.start_date,
                    exp.start_precision,
                    exp.prov,
                    exp.line_no,
                )
            )
    for a in assessments:
        if a.case_id == case_id and a.assessed_on is not None:
            facts.append((f"assessment {a.response}", a.assessed_on, "day", a.prov, a.line_no))
    for lesion in lesions:
        if lesion.case_id == case_id and lesion.measured_on is not None:
            facts.append(("lesion measurement", lesion.measured_on, "day", lesion.prov, None))
    return facts


def _after_death_findings(
    events: Sequence[ClinicalEvent],
    exposures: Sequence[DrugExposure],
    assessments: Sequence[Assessment],
    lesions: Sequence[LesionMeasurement],
) -> list[Finding]:
    """Nothing can be dated after the patient's death."""
    deaths: dict[int, tuple[date, ClinicalEvent]] = {}
    for ev in events:
        if ev.kind == "death" and ev.event_date is not None:
            known = deaths.get(ev.case_id)
            if known is None or ev.event_date < known[0]:
                deaths[ev.case_id] = (ev.event_date, ev)
    out = []
    for case_id, (died, death) in sorted(deaths.items()):
        death_latest = _latest(died, death.precision)
        for what, when, _precision, prov, line_no in _dated_facts(
            case_id, events, exposures, assessments, lesions
        ):
            if when > death_latest:
                out.append(
                    Finding(
                        case_id=case_id,
                        kind="dates_out_of_order",
                        message=(f"case {case_id}: {what} on {when} is after the death on {died}"),
                        prov=prov,
                        line_no=line_no,
                        reported=f"{when} > {died}",
                    )
                )
    return out


# --- entry point -----------------------------------------------------------------------------


def audit(
    lines: Sequence[Line],
    assessments: Sequence[Assessment],
    lesions: Sequence[LesionMeasurement],
    events: Sequence[ClinicalEvent],
    exposures: Sequence[DrugExposure],
) -> tuple[Finding, ...]:
    """Every inconsistency of one document's facts (all its cases), in a stable order.

    Lines must carry pfs_months and pfs_consistent (`transform.timeline.pfs.apply_pfs`).
    """
    findings = [
        *_pfs_findings(lines),
        *_response_findings(lines, assessments, lesions),
        *_line_date_findings(lines),
        *_exposure_findings(exposures),
        *_dose_findings(exposures, dose_ranges()),
        *_after_death_findings(events, exposures, assessments, lesions),
    ]
    # several exposures of one drug (one per dose) must not repeat one finding
    unique = list({(f.case_id, f.kind, f.line_no, f.message): f for f in findings}.values())
    return tuple(
        sorted(
            unique,
            key=lambda f: (
                f.case_id if f.case_id is not None else 0,
                f.line_no if f.line_no is not None else 0,
                _KIND_ORDER.index(f.kind),
                f.message,
            ),
        )
    )
