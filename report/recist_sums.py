"""RECIST 1.1 sums of the measured lesions, per figure series and date.

The warehouse stores single lesion measurements; the report shows the sums a reader would
compute from them: the sum of longest diameters as printed (SLD), and the RECIST sum, which
takes the short axis for lymph nodes. A figure shows one series of scans of the same lesions,
so changes are computed within a series (from its first date and from its smallest sum so
far), never across figures that followed different lesions.

The response of each scan is the transform stage's RECIST 1.1 reading
(`transform.timeline.recist.evaluate`, run per series), so the report and the audit agree on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from report.records import LesionRow
from transform.records import LesionMeasurement, Provenance
from transform.timeline.recist import evaluate, is_lymph_node

PERCENT = 100.0
NO_FIGURE = "text"
"""Series name of measurements printed in the text rather than a figure."""


@dataclass(frozen=True)
class LesionSum:
    series: str
    measured_on: date | None
    lesions: tuple[LesionRow, ...]
    sld_cm: float
    recist_cm: float
    change_from_baseline_pct: float | None
    change_from_nadir_pct: float | None
    response: str | None
    """RECIST 1.1 response of this scan; None at the series' baseline."""
    new_lesion: bool


def longest_cm(lesion: LesionRow) -> float:
    return max(lesion.dim1_cm, lesion.dim2_cm or 0.0)


def recist_cm(lesion: LesionRow) -> float:
    """Longest diameter, or a lymph node's short axis (its longest when only one is printed).

    A node is recognised as the RECIST rules recognise it (flag or site name), so the sums
    shown here are the sums the audit judged."""
    if is_lymph_node(_measurement(lesion)) and lesion.dim2_cm is not None:
        return min(lesion.dim1_cm, lesion.dim2_cm)
    return longest_cm(lesion)


def _measurement(lesion: LesionRow) -> LesionMeasurement:
    return LesionMeasurement(
        case_id=lesion.case_id,
        measured_on=lesion.measured_on,
        site=lesion.site,
        dim1_cm=lesion.dim1_cm,
        prov=Provenance(page=lesion.page, sentence=lesion.evidence),
        dim2_cm=lesion.dim2_cm,
        lymph_node=lesion.lymph_node,
        figure=lesion.figure,
        panel=lesion.panel,
    )


def _readings(lesions: Sequence[LesionRow]) -> dict[tuple[str, date], tuple[str | None, bool]]:
    """(series, date) -> (response, new lesion) from the transform stage's RECIST rules."""
    series: dict[str, list[LesionRow]] = {}
    for lesion in lesions:
        series.setdefault(lesion.figure or NO_FIGURE, []).append(lesion)
    return {
        (name, point.date): (point.response, point.new_lesion)
        for name, rows in series.items()
        for point in evaluate([_measurement(r) for r in rows])
    }


def _pct(value: float, reference: float) -> float | None:
    return (value - reference) / reference * PERCENT if reference > 0 else None


def lesion_sums(lesions: Sequence[LesionRow]) -> tuple[LesionSum, ...]:
    """One sum per (series, date), dates in order within a series."""
    groups: dict[tuple[str, date | None], list[LesionRow]] = {}
    for lesion in lesions:
        groups.setdefault((lesion.figure or NO_FIGURE, lesion.measured_on), []).append(lesion)
    ordered = sorted(groups, key=lambda k: (k[0], k[1] is None, k[1] or date.min))
    sums: list[LesionSum] = []
    readings = _readings(lesions)
    baseline: dict[str, float] = {}
    nadir: dict[str, float] = {}
    for series, measured_on in ordered:
        rows = tuple(groups[(series, measured_on)])
        total = round(sum(recist_cm(r) for r in rows), 2)
        response, new_lesion = (
            readings.get((series, measured_on), (None, False)) if measured_on else (None, False)
        )
        sums.append(
            LesionSum(
                series=series,
                measured_on=measured_on,
                lesions=rows,
                sld_cm=round(sum(longest_cm(r) for r in rows), 2),
                recist_cm=total,
                change_from_baseline_pct=_pct(total, baseline[series])
                if series in baseline
                else None,
                change_from_nadir_pct=_pct(total, nadir[series]) if series in nadir else None,
                response=response,
                new_lesion=new_lesion,
            )
        )
        baseline.setdefault(series, total)
        nadir[series] = min(nadir.get(series, total), total)
    return tuple(sums)
