"""The Kaplan-Meier numbers of the report and `caselines km` are lifelines' own on the same
rows of pfs_survival, and the grouping rules (3+, a line under each of its classes) hold."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from report.km import (
    MIN_LINES_PER_CURVE,
    GroupBy,
    groups,
    km_svg,
    line_group,
)
from report.read import read_survival
from report.records import SurvivalRow
from tests.cohort_warehouse import build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("km") / "cohort.duckdb")


def _none_if_inf(x: float) -> float | None:
    return None if math.isinf(x) else float(x)


def _lifelines(durations: list[float], events: list[int]) -> tuple[object, ...]:
    fitter = KaplanMeierFitter().fit(durations, event_observed=events)
    ci = median_survival_times(fitter.confidence_interval_)
    return (
        _none_if_inf(fitter.median_survival_time_),
        _none_if_inf(ci.iloc[0, 0]),
        _none_if_inf(ci.iloc[0, 1]),
    )


def test_km_by_line_equals_lifelines_on_the_view(db: Path) -> None:
    """Each curve's median and CI equal a fit of the view's rows made here, by SQL."""
    con = duckdb.connect(str(db), read_only=True)
    sql_groups = {
        label: con.execute(
            f"select months, event from pfs_survival where months is not null and {cond}"
        ).fetchall()
        for label, cond in (
            ("Line 1", "line_no = 1"),
            ("Line 2", "line_no = 2"),
            ("Line 3+", "line_no >= 3"),
        )
    }
    con.close()
    figure = km_svg(read_survival(db), GroupBy.line)
    assert [s.label for s in figure.summaries] == ["Line 1", "Line 2", "Line 3+"]
    for s in figure.summaries:
        rows = sql_groups[s.label]
        assert s.n == len(rows) and s.events == sum(e for _, e in rows)
        expected = _lifelines([m for m, _ in rows], [e for _, e in rows])
        assert (s.median, s.ci_low, s.ci_high) == pytest.approx(expected)
    assert figure.svg is not None and "At risk" in figure.svg
    assert any("without a PFS time" in n for n in figure.notes)  # the undated third line


def test_median_is_the_product_limit_estimate() -> None:
    """Five lines, one censored: S drops to 0.5 at the third event (2, 4, [5+], 7, 9)."""
    rows = [
        SurvivalRow("d", i, 1, ("taxane",), None, None, m, e)
        for i, (m, e) in enumerate([(2.0, 1), (4.0, 1), (5.0, 0), (7.0, 1), (9.0, 1)])
    ]
    (summary,) = km_svg(rows, GroupBy.line).summaries
    # S(2) = 4/5, S(4) = 3/5, S(7) = 3/5 * 1/2 = 0.3: the median is 7
    assert summary.median == pytest.approx(7.0)
    assert (summary.n, summary.events) == (5, 4)


def test_median_not_reached_is_none() -> None:
    rows = [SurvivalRow("d", i, 2, (), None, None, 3.0 + i, 0) for i in range(4)]
    rows.append(SurvivalRow("d", 9, 2, (), None, None, 1.0, 1))
    (summary,) = km_svg(rows, GroupBy.line).summaries
    assert summary.label == "Line 2" and summary.median is None


def test_groups_by_line_put_later_lines_together() -> None:
    assert [line_group(n) for n in (1, 2, 3, 4, 7)] == [
        "Line 1",
        "Line 2",
        "Line 3+",
        "Line 3+",
        "Line 3+",
    ]


def test_groups_by_class_count_a_combination_in_each_class() -> None:
    both = ("platinum", "taxane")
    rows = [
        SurvivalRow("d", i, 1, both, None, None, 1.0 + i, 1) for i in range(MIN_LINES_PER_CURVE)
    ]
    rows.append(SurvivalRow("d", 9, 1, ("antimetabolite",), None, None, 2.0, 1))  # too few
    rows.append(SurvivalRow("d", 10, 1, ("taxane",), None, None, None, 1))  # no time
    got = groups(rows, GroupBy.drug_class)
    assert sorted(got) == ["platinum", "taxane"]
    assert len(got["taxane"]) == MIN_LINES_PER_CURVE


def test_no_usable_line_draws_nothing() -> None:
    figure = km_svg([SurvivalRow("d", 1, 1, (), None, None, None, 0)], GroupBy.line)
    assert figure.svg is None and figure.summaries == ()
