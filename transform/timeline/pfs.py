"""Progression-free survival of each line, with the month length the article itself uses.

PFS of a line = (pfs_event_date - start_date) in days / month length (docs/rules.md, PFS).
Articles divide by 30 days or by the mean Gregorian month (365.25 / 12 = 30.4375 days) and
rarely say which; the one that reproduces more of the printed figures is
the article's, so a printed 11.1 checked against 11.2 is a real inconsistency and not our
choice of calendar. Figures are rounded half-up to one decimal, as printed figures are.

The printed figures are attached to the line they close by the dates and the numbers, not by
sentence order: "changed to X until May 29, 2019, producing a PFS of 8.4 months" prints the
PFS of the line that the change closed, not of X.

In plain words, with the sources: docs/rules.md (PFS).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from transform.records import Line, ReportedPfs

__all__ = [
    "DEFAULT_MONTH_DAYS",
    "MONTH_LENGTHS",
    "PFS_TOLERANCE_MONTHS",
    "apply_pfs",
    "attach_reported_pfs",
    "infer_month_length",
    "month_pairs",
    "pfs_days",
    "pfs_months",
]

THIRTY_DAY_MONTH = 30.0
MEAN_GREGORIAN_MONTH = 30.4375
"""365.25 / 12: the month length of survival analyses that convert days to months."""
DEFAULT_MONTH_DAYS = MEAN_GREGORIAN_MONTH
"""Used when the article prints no PFS figure to learn from (docs/rules.md)."""
MONTH_LENGTHS: tuple[float, ...] = (DEFAULT_MONTH_DAYS, THIRTY_DAY_MONTH)
"""Candidates, the default first so that a tie keeps the default."""

PFS_TOLERANCE_MONTHS = 0.1
"""Printed and computed PFS agree when they differ by less than this (docs/warehouse.md,
lines_of_therapy.pfs_consistent).

Both are rounded to one decimal, so with 0.1 they must print the same: a printed 11.1 against
dates that give 11.2 is one decimal off, which is what the audit exists to show."""
_ONE_DECIMAL = Decimal("0.1")
_EPSILON = 1e-9

CLOSE_MATCH_MONTHS = 0.5
"""A printed figure this close to a line's dates is that line's (rounding, 'about', a slip)."""


def pfs_days(line: Line) -> int | None:
    """Days from the line's start to its PFS event, when both are dated."""
    if line.start_date is None or line.pfs_event_date is None:
        return None
    return (line.pfs_event_date - line.start_date).days


def _months_of_days(days: int, month_days: float) -> float:
    """Days -> months, rounded half-up to one decimal (the way figures are printed)."""
    exact = Decimal(days) / Decimal(str(month_days))
    return float(exact.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def pfs_months(start: date, event: date, month_days: float) -> float:
    """PFS in months between two dates, rounded half-up to one decimal."""
    return _months_of_days((event - start).days, month_days)


def infer_month_length(pairs: Iterable[tuple[int, float]]) -> float:
    """The month length (30 or 30.4375 days) that reproduces more printed PFS figures.

    `pairs` are (days between the dates, months as printed). Ties go to the smaller total
    error, then to the default 30.4375, which is also the answer when nothing is printed.
    """
    pairs = tuple(pairs)
    best = DEFAULT_MONTH_DAYS
    best_score: tuple[int, float] | None = None
    for month_days in MONTH_LENGTHS:
        hits = 0
        error = 0.0
        for days, reported in pairs:
            diff = abs(_months_of_days(days, month_days) - reported)
            error += diff
            if diff < _EPSILON:
                hits += 1
        score = (hits, -error)
        if best_score is None or score > best_score:
            best, best_score = month_days, score
    return best


def month_pairs(lines: Iterable[Line]) -> tuple[tuple[int, float], ...]:
    """(days, printed months) of every line that has both, for `infer_month_length`."""
    pairs: list[tuple[int, float]] = []
    for line in lines:
        days = pfs_days(line)
        if days is not None and line.pfs_months_reported is not None:
            pairs.append((days, line.pfs_months_reported))
    return tuple(pairs)


def apply_pfs(
    lines: Sequence[Line], month_days: float, tolerance: float = PFS_TOLERANCE_MONTHS
) -> tuple[Line, ...]:
    """Fill pfs_months (dates / month length) and pfs_consistent (printed vs computed).

    A line without both dates, or with the event before the start, gets no months: a
    negative PFS is a date error for the audit, not a number to store.
    """
    out: list[Line] = []
    for line in lines:
        days = pfs_days(line)
        months = _months_of_days(days, month_days) if days is not None and days >= 0 else None
        consistent: bool | None = None
        if months is not None and line.pfs_months_reported is not None:
            consistent = abs(months - line.pfs_months_reported) < tolerance - _EPSILON
        out.append(dataclasses.replace(line, pfs_months=months, pfs_consistent=consistent))
    return tuple(out)


# --- attaching printed figures to lines ---------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """One (printed figure, line) pairing and how well it fits; lower sorts first."""

    tier: int
    diff: float
    order_gap: int
    line_no: int
    reported_index: int
    line_index: int


_TIER_DATE_AND_MONTHS = 0
_TIER_MONTHS = 1
_TIER_DATE_ONLY = 2
"""A figure whose sentence names the line's dates but not its length: a misprint to audit."""


def _months_gap(line: Line, reported: ReportedPfs) -> float | None:
    """How far the printed figure is from the line's dates, whichever month length is used."""
    days = pfs_days(line)
    if days is None or days < 0:
        return None
    return min(abs(_months_of_days(days, m) - reported.months) for m in MONTH_LENGTHS)


def _dates_agree(line: Line, reported: ReportedPfs) -> bool:
    if reported.end_date is not None and reported.end_date == line.pfs_event_date:
        return True
    return reported.start_date is not None and reported.start_date == line.start_date


def _tier(dates_agree: bool, gap: float | None) -> int | None:
    close = gap is not None and gap <= CLOSE_MATCH_MONTHS + _EPSILON
    if close and dates_agree:
        return _TIER_DATE_AND_MONTHS
    if close:
        return _TIER_MONTHS
    if dates_agree:
        return _TIER_DATE_ONLY
    return None


def _order_gap(line: Line, reported: ReportedPfs) -> int:
    """Story distance from the line's first sentence to the figure (figures follow lines)."""
    gap = reported.prov.order - line.prov.order
    return gap if gap >= 0 else abs(gap) + 1_000_000


def attach_reported_pfs(lines: Sequence[Line], reported: Sequence[ReportedPfs]) -> tuple[Line, ...]:
    """Set pfs_months_reported (and its evidence) on the line each printed figure closes.

    Greedy over all pairings of one case, best fit first: dates and length agree, then
    length alone, then dates alone (a misprint the audit will flag). A line takes one
    figure and a figure one line; a figure that fits no line is left out.
    """
    candidates: list[_Candidate] = []
    for r_index, rep in enumerate(reported):
        for l_index, line in enumerate(lines):
            if line.case_id != rep.case_id:
                continue
            gap = _months_gap(line, rep)
            tier = _tier(_dates_agree(line, rep), gap)
            if tier is None:
                continue
            candidates.append(
                _Candidate(
                    tier=tier,
                    diff=gap if gap is not None else float("inf"),
                    order_gap=_order_gap(line, rep),
                    line_no=line.line_no,
                    reported_index=r_index,
                    line_index=l_index,
                )
            )
    candidates.sort(key=lambda c: (c.tier, c.diff, c.order_gap, c.line_no, c.reported_index))
    out = list(lines)
    used_lines: set[int] = set()
    used_reported: set[int] = set()
    for cand in candidates:
        if cand.line_index in used_lines or cand.reported_index in used_reported:
            continue
        used_lines.add(cand.line_index)
        used_reported.add(cand.reported_index)
        rep = reported[cand.reported_index]
        out[cand.line_index] = dataclasses.replace(
            out[cand.line_index], pfs_months_reported=rep.months, pfs_reported_prov=rep.prov
        )
    return tuple(out)
