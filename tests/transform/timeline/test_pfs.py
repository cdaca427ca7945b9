"""PFS arithmetic, month-length inference and attaching printed figures to lines."""

from __future__ import annotations

from datetime import date

import pytest

from transform.records import Line, Provenance, ReportedPfs
from transform.timeline.pfs import (
    DEFAULT_MONTH_DAYS,
    apply_pfs,
    attach_reported_pfs,
    infer_month_length,
    month_pairs,
    pfs_months,
)

P = Provenance(page=1, sentence="s")


def _line(no: int, start: date | None, event: date | None, reported: float | None = None) -> Line:
    return Line(
        case_id=1,
        line_no=no,
        drugs=("x",),
        start_date=start,
        prov=Provenance(1, f"line {no}", order=no * 10),
        pfs_event="progression" if event else None,
        pfs_event_date=event,
        pfs_months_reported=reported,
    )


def test_pfs_months_rounds_half_up_to_one_decimal() -> None:
    assert pfs_months(date(2012, 5, 2), date(2013, 4, 2), 30.0) == 11.2  # 335 days
    assert pfs_months(date(2020, 1, 1), date(2020, 1, 1), 30.0) == 0.0
    # 75 days / 30 = 2.5 exactly; 3 days / 30 = 0.1; 1.5 days would be 0.05 -> 0.1 (half up)
    assert pfs_months(date(2020, 1, 1), date(2020, 3, 16), 30.0) == 2.5
    assert pfs_months(date(2020, 1, 1), date(2020, 1, 4), 30.0) == 0.1
    assert pfs_months(date(2020, 1, 1), date(2021, 1, 1), 30.4375) == 12.0


def test_infer_month_length_picks_the_one_that_reproduces_the_figures() -> None:
    # 735 days: 24.5 at 30 days, 24.1 at 30.4375.
    assert infer_month_length([(735, 24.5)]) == 30.0
    assert infer_month_length([(735, 24.1)]) == 30.4375
    assert infer_month_length([]) == DEFAULT_MONTH_DAYS == 30.4375
    # Tie on hits (both reproduce 0.1 for 3 days): smaller total error, then the default.
    assert infer_month_length([(3, 0.1)]) == 30.4375
    # Majority wins over one misprint.
    assert infer_month_length([(735, 24.5), (335, 11.1), (219, 7.3)]) == 30.0


def test_infer_month_length_accepts_any_iterable() -> None:
    assert infer_month_length(iter([(735, 24.5)])) == 30.0


def test_apply_pfs_fills_months_and_consistency() -> None:
    lines = (
        _line(1, date(2012, 5, 2), date(2013, 4, 2), 11.1),
        _line(2, date(2013, 4, 12), date(2015, 4, 16), 24.5),
        _line(3, date(2015, 4, 28), None, 5.9),
        _line(4, date(2016, 1, 1), date(2016, 3, 1)),
    )
    out = apply_pfs(lines, 30.0)
    assert [(x.pfs_months, x.pfs_consistent) for x in out] == [
        (11.2, False),
        (24.5, True),
        (None, None),
        (2.0, None),
    ]
    assert apply_pfs(lines, 30.0, tolerance=0.15)[0].pfs_consistent is True


def test_apply_pfs_never_stores_a_negative_pfs() -> None:
    (line,) = apply_pfs([_line(1, date(2020, 5, 1), date(2020, 1, 1), 1.0)], 30.0)
    assert (line.pfs_months, line.pfs_consistent) == (None, None)


def test_month_pairs_takes_lines_with_dates_and_figure() -> None:
    lines = [
        _line(1, date(2020, 1, 1), date(2020, 1, 31), 1.0),
        _line(2, date(2020, 2, 1), None, 2.0),
        _line(3, date(2020, 3, 1), date(2020, 4, 1)),
    ]
    assert month_pairs(lines) == ((30, 1.0),)


def _reported(months: float, order: int, end: date | None = None) -> ReportedPfs:
    return ReportedPfs(1, months, Provenance(1, f"PFS {months}", order=order), end_date=end)


def test_attach_by_months_when_sentence_date_is_the_next_line() -> None:
    """'changed to X ... until 2019-05-29, producing a PFS of 8.4 months' closes the old line."""
    lines = [
        _line(8, date(2017, 5, 17), date(2018, 1, 24)),
        _line(9, date(2018, 1, 24), date(2019, 5, 29)),
    ]
    reported = [_reported(8.4, 85, end=date(2019, 5, 29)), _reported(16.3, 95)]
    out = attach_reported_pfs(lines, reported)
    assert [x.pfs_months_reported for x in out] == [8.4, 16.3]
    assert out[0].pfs_reported_prov == reported[0].prov


def test_attach_by_date_when_the_figure_is_misprinted() -> None:
    lines = [_line(1, date(2020, 1, 1), date(2020, 7, 1)), _line(2, date(2020, 7, 2), None)]
    out = attach_reported_pfs(lines, [_reported(9.9, 15, end=date(2020, 7, 1))])
    assert [x.pfs_months_reported for x in out] == [9.9, None]


def test_attach_each_figure_once_and_drop_unmatched() -> None:
    lines = [
        _line(1, date(2020, 1, 1), date(2020, 4, 1)),
        _line(2, date(2020, 4, 2), date(2020, 7, 2)),
    ]
    # Both lines last 3 months: the story order decides; a 20-month figure fits nothing.
    reported = [_reported(3.0, 15), _reported(3.0, 25), _reported(20.0, 26)]
    out = attach_reported_pfs(lines, reported)
    assert [(x.pfs_months_reported, x.pfs_reported_prov) for x in out] == [
        (3.0, reported[0].prov),
        (3.0, reported[1].prov),
    ]


def test_attach_ignores_other_cases() -> None:
    line = _line(1, date(2020, 1, 1), date(2020, 4, 1))
    other = ReportedPfs(2, 3.0, P)
    assert attach_reported_pfs([line], [other])[0].pfs_months_reported is None


@pytest.mark.parametrize("month_days", [30.0, 30.4375])
def test_apply_pfs_keeps_other_fields(month_days: float) -> None:
    line = _line(1, date(2020, 1, 1), date(2020, 4, 1), 3.0)
    (out,) = apply_pfs([line], month_days)
    assert (out.drugs, out.start_date, out.pfs_event_date) == (
        line.drugs,
        line.start_date,
        line.pfs_event_date,
    )
