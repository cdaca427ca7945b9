"""RECIST 1.1 responses from the lesion sizes an article prints.

Eisenhauer et al., "New response evaluation criteria in solid tumours: revised RECIST
guideline (version 1.1)", Eur J Cancer 2009;45:228-247:

- the sum is of the longest diameters of the target lesions, and of the short axis of
  lymph nodes (section 3.2, 4.3.1);
- CR: all non-nodal target lesions gone and every node below 10 mm short axis;
- PR: a decrease of at least 30% from the baseline sum;
- PD: an increase of at least 20% over the smallest sum so far (baseline included) that is
  also at least 5 mm, or a new lesion;
- SD: neither.

Case reports rarely measure every target lesion at every scan, and name lesions by site
rather than by number. So a time point is compared on the sites it shares with the
baseline (baseline and nadir sums recomputed over those sites), and a site absent at
baseline counts as a new lesion. That is a deviation from the guideline, which asks for all
target lesions at every assessment; it keeps figure-by-figure measurements comparable.
Sizes are handled in hundredths of a centimetre so the thresholds are exact.

In plain words, with the sources: docs/rules.md (RECIST 1.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from transform.events.anatomy import is_node_site
from transform.records import LesionMeasurement, Line, Provenance
from transform.types import Response

__all__ = ["RecistPoint", "evaluate", "evaluate_by_line", "is_lymph_node"]

PR_DECREASE_PCT = 30
PD_INCREASE_PCT = 20
PD_MIN_INCREASE_CM = 0.5
NODE_NORMAL_SHORT_AXIS_CM = 1.0
"""RECIST 1.1: a node under 10 mm short axis is normal (CR allows such nodes)."""
BASELINE_WINDOW_DAYS = 28
"""RECIST 1.1, 3.2: baseline no more than 4 weeks before the start of treatment."""

_SCALE = 100
"""Work in hundredths of a cm (0.1 mm) so 'at least 30%' and 'at least 5 mm' are exact."""


def is_lymph_node(lesion: LesionMeasurement) -> bool:
    """A node is measured by its short axis; trust the flag, else the site's name."""
    if lesion.lymph_node:
        return True
    return is_node_site(lesion.site)


def _size(lesion: LesionMeasurement) -> int:
    """The RECIST size in hundredths of a cm: short axis for nodes, longest diameter else."""
    dims = [lesion.dim1_cm] + ([lesion.dim2_cm] if lesion.dim2_cm is not None else [])
    size = min(dims) if is_lymph_node(lesion) else max(dims)
    return round(size * _SCALE)


def _site(lesion: LesionMeasurement) -> str:
    return " ".join((lesion.site or "").lower().split())


@dataclass(frozen=True)
class RecistPoint:
    """The RECIST reading of one assessment date."""

    date: date
    sum_cm: float
    """Sum over the sites compared with baseline (all lesions at the baseline itself)."""
    change_from_baseline_pct: float | None
    change_from_nadir_pct: float | None
    response: Response | None
    """None at baseline, and when no baseline site was measured and nothing new appeared."""
    new_lesion: bool = False
    baseline: bool = False
    case_id: int | None = None
    line_no: int | None = None
    figure: str | None = None
    """The figure of the first measurement of that date (None for sizes in the text)."""
    prov: Provenance | None = None
    """Evidence: the first measurement of that date."""


@dataclass(frozen=True)
class _Scan:
    """All lesions measured on one date, by site (sizes in hundredths of a cm)."""

    day: date
    sites: dict[str, list[int]]
    nodes: frozenset[str]
    prov: Provenance
    case_id: int
    figure: str | None = None

    def total(self, sites: Iterable[str]) -> int:
        return sum(sum(self.sites[s]) for s in sites)


def _distinct(lesions: Iterable[LesionMeasurement]) -> list[LesionMeasurement]:
    """Drop a lesion shown again in another figure: same date, site and sizes.

    Articles often repeat the last scan of one figure as the first of the next (the scan
    that ended one treatment is the baseline of the next); counting it twice doubles a sum.
    """
    kept: list[LesionMeasurement] = []
    seen: dict[tuple[date | None, str, float, float | None], str | None] = {}
    for lesion in lesions:
        key = (lesion.measured_on, _site(lesion), lesion.dim1_cm, lesion.dim2_cm)
        if key in seen and seen[key] != lesion.figure:
            continue
        seen.setdefault(key, lesion.figure)
        kept.append(lesion)
    return kept


def _scans(lesions: Iterable[LesionMeasurement]) -> list[_Scan]:
    by_day: dict[date, list[LesionMeasurement]] = {}
    for lesion in _distinct(lesions):
        if lesion.measured_on is not None:
            by_day.setdefault(lesion.measured_on, []).append(lesion)
    scans = []
    for day in sorted(by_day):
        sites: dict[str, list[int]] = {}
        for lesion in by_day[day]:
            sites.setdefault(_site(lesion), []).append(_size(lesion))
        nodes = frozenset(_site(x) for x in by_day[day] if is_lymph_node(x))
        first = by_day[day][0]
        scans.append(_Scan(day, sites, nodes, first.prov, first.case_id, first.figure))
    return scans


def _pct(now: int, ref: int) -> float | None:
    return round((now - ref) * 100 / ref, 1) if ref > 0 else None


def _complete(scan: _Scan, sites: frozenset[str]) -> bool:
    """CR: non-nodal targets gone, nodes under 10 mm short axis (RECIST 1.1, 4.3.1)."""
    limit = round(NODE_NORMAL_SHORT_AXIS_CM * _SCALE)
    for site in sites:
        sizes = scan.sites[site]
        if site in scan.nodes:
            if any(size >= limit for size in sizes):
                return False
        elif any(size > 0 for size in sizes):
            return False
    return True


def _respond(now: int, base: int, nadir: int, new_lesion: bool, complete: bool) -> Response:
    if new_lesion:
        return "PD"
    grew = now - nadir
    if grew * 100 >= PD_INCREASE_PCT * nadir and grew >= round(PD_MIN_INCREASE_CM * _SCALE):
        return "PD"
    if complete:
        return "CR"
    if (base - now) * 100 >= PR_DECREASE_PCT * base:
        return "PR"
    return "SD"


def _follow_up(scan: _Scan, baseline: _Scan, earlier: Sequence[_Scan]) -> RecistPoint:
    sites = frozenset(scan.sites) & frozenset(baseline.sites)
    new_lesion = bool(frozenset(scan.sites) - frozenset(baseline.sites))
    point = RecistPoint(
        date=scan.day,
        sum_cm=scan.total(sites) / _SCALE,
        change_from_baseline_pct=None,
        change_from_nadir_pct=None,
        response="PD" if new_lesion else None,
        new_lesion=new_lesion,
        case_id=scan.case_id,
        figure=scan.figure,
        prov=scan.prov,
    )
    if not sites:
        return point
    base = baseline.total(sites)
    nadir = min([base] + [s.total(sites) for s in earlier if sites <= frozenset(s.sites)])
    now = scan.total(sites)
    complete = sites == frozenset(baseline.sites) and _complete(scan, sites)
    return RecistPoint(
        date=scan.day,
        sum_cm=now / _SCALE,
        change_from_baseline_pct=_pct(now, base),
        change_from_nadir_pct=_pct(now, nadir),
        response=_respond(now, base, nadir, new_lesion, complete),
        new_lesion=new_lesion,
        case_id=scan.case_id,
        figure=scan.figure,
        prov=scan.prov,
    )


def _series(scans: Sequence[_Scan], line_no: int | None = None) -> tuple[RecistPoint, ...]:
    """The first scan is the baseline; every later one is read against it and the nadir."""
    if not scans:
        return ()
    baseline = scans[0]
    points = [
        RecistPoint(
            date=baseline.day,
            sum_cm=baseline.total(baseline.sites) / _SCALE,
            change_from_baseline_pct=0.0,
            change_from_nadir_pct=0.0,
            response=None,
            baseline=True,
            case_id=baseline.case_id,
            line_no=line_no,
            figure=baseline.figure,
            prov=baseline.prov,
        )
    ]
    for index in range(1, len(scans)):
        point = _follow_up(scans[index], baseline, scans[:index])
        points.append(_with_line(point, line_no))
    return tuple(points)


def _with_line(point: RecistPoint, line_no: int | None) -> RecistPoint:
    return replace(point, line_no=line_no) if line_no is not None else point


def evaluate(lesions: Sequence[LesionMeasurement]) -> tuple[RecistPoint, ...]:
    """RECIST 1.1 over one series of measurements (one patient, one treatment).

    The earliest date is the baseline. Undated measurements cannot be placed and are left out.
    """
    return _series(_scans(lesions))


def evaluate_by_line(
    lesions: Sequence[LesionMeasurement],
    lines: Sequence[Line],
    baseline_window_days: int = BASELINE_WINDOW_DAYS,
) -> tuple[RecistPoint, ...]:
    """RECIST per line of therapy: each line is read against its own baseline.

    Baseline = the last scan on or before the line's start, at most `baseline_window_days`
    before it; follow-ups = scans after the start up to and including the next line's start
    (the scan that led to the switch). A line without a baseline gets no points. All
    figures of a case are read together (a figure often shows only the lesions that
    changed, and the baseline of one figure is often printed in the previous one); a
    lesion repeated in two figures counts once.
    """
    points: list[RecistPoint] = []
    for case_id in sorted({line.case_id for line in lines}):
        scans = _scans(x for x in lesions if x.case_id == case_id)
        starts = sorted(
            (x.start_date, x.line_no)
            for x in lines
            if x.case_id == case_id and x.start_date is not None
        )
        for index, (start, line_no) in enumerate(starts):
            following = starts[index + 1][0] if index + 1 < len(starts) else None
            points.extend(_line_series(scans, start, following, line_no, baseline_window_days))
    return tuple(points)


def _line_series(
    scans: Sequence[_Scan],
    start: date,
    following: date | None,
    line_no: int,
    baseline_window_days: int,
) -> tuple[RecistPoint, ...]:
    before = [s for s in scans if s.day <= start and (start - s.day).days <= baseline_window_days]
    if not before:
        return ()
    after = [s for s in scans if start < s.day and (following is None or s.day <= following)]
    return _series([before[-1], *after], line_no)
