"""RECIST 1.1 on the seed article's figure captions (via the gold file) and on made-up sizes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from transform.events.anatomy import is_node_site
from transform.records import LesionMeasurement, Line, Provenance
from transform.timeline.recist import evaluate, evaluate_by_line, is_lymph_node

GOLD = Path(__file__).resolve().parents[2] / "gold" / "tcr-22-2483.yaml"
P = Provenance(page=1, sentence="caption")


def _gold_cases() -> dict[int, dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {int(c["case"]): c for c in data["cases"]}


def _gold_lesions(case: dict[str, Any], figure: int | None = None) -> list[LesionMeasurement]:
    out = []
    for lesion in case["lesions"]:
        if figure is not None and lesion["figure"] != figure:
            continue
        dim1, dim2 = lesion["size_cm"]
        out.append(
            LesionMeasurement(
                case_id=int(case["case"]),
                measured_on=date.fromisoformat(str(lesion["date"])),
                site=lesion["site"],
                dim1_cm=float(dim1),
                dim2_cm=float(dim2),
                prov=P,
                figure=str(lesion["figure"]),
                panel=lesion["panel"],
            )
        )
    return out


def _lesion(day: date, dim1: float, dim2: float | None = None, site: str = "liver", **kw: Any):
    return LesionMeasurement(1, day, site, dim1, P, dim2_cm=dim2, **kw)


D0, D1, D2, D3 = date(2020, 1, 1), date(2020, 3, 1), date(2020, 6, 1), date(2020, 9, 1)


# --- the seed article ---------------------------------------------------------------------


def test_case1_figure3_baseline_pr_pd_with_node_short_axis() -> None:
    case = _gold_cases()[1]
    points = evaluate(_gold_lesions(case, figure=3))
    assert [(p.date, p.baseline, p.response) for p in points] == [
        (date(2017, 5, 16), True, None),
        (date(2017, 7, 18), False, "PR"),
        (date(2018, 1, 24), False, "PD"),
    ]
    recist = {r["date"]: r for r in case["recist"]}
    for point in points:
        assert point.sum_cm == pytest.approx(recist[point.date]["recist_sum_cm"])
    assert points[1].change_from_baseline_pct == recist[date(2017, 7, 18)]["change_pct"]
    assert points[2].change_from_nadir_pct == recist[date(2018, 1, 24)]["change_from_nadir_pct"]


def test_case2_sd_then_pd() -> None:
    case = _gold_cases()[2]
    points = evaluate(_gold_lesions(case))
    assert [p.response for p in points] == [None, "SD", "PD"]
    recist = {r["date"]: r for r in case["recist"]}
    assert points[1].change_from_baseline_pct == recist[date(2020, 7, 30)]["change_pct"]
    assert points[2].change_from_nadir_pct == recist[date(2021, 2, 1)]["change_from_nadir_pct"]


def test_case1_by_line_resets_the_baseline_at_each_line() -> None:
    """Figure 4: line 9 read against 2018-01-24: liver 5.9 -> 4.8 is SD; the brain lesion is PD."""
    case = _gold_cases()[1]
    starts = {8: date(2017, 5, 17), 9: date(2018, 1, 24), 10: date(2019, 5, 30)}
    lines = [Line(1, n, ("x",), d, P) for n, d in starts.items()]
    points = evaluate_by_line(_gold_lesions(case), lines)
    got = [(p.line_no, p.date, p.response, p.new_lesion) for p in points]
    assert got == [
        (8, date(2017, 5, 16), None, False),
        (8, date(2017, 7, 18), "PR", False),
        (8, date(2018, 1, 24), "PD", False),
        (9, date(2018, 1, 24), None, False),
        (9, date(2018, 4, 17), "SD", False),
        (9, date(2019, 5, 29), "PD", True),
        (10, date(2019, 5, 29), None, False),
    ]
    sd = points[4]
    assert (sd.sum_cm, sd.change_from_baseline_pct) == (4.8, -18.6)


# --- made-up numbers ------------------------------------------------------------------------


def test_exactly_thirty_percent_decrease_is_pr() -> None:
    points = evaluate([_lesion(D0, 10.0), _lesion(D1, 7.0)])
    assert points[1].response == "PR"
    assert points[1].change_from_baseline_pct == -30.0


def test_just_under_thirty_percent_is_sd() -> None:
    assert evaluate([_lesion(D0, 10.0), _lesion(D1, 7.1)])[1].response == "SD"


def test_pd_needs_twenty_percent_and_five_mm_over_nadir() -> None:
    # 20% of a 2.0 cm nadir is only 4 mm: not PD.
    assert evaluate([_lesion(D0, 2.0), _lesion(D1, 2.4)])[1].response == "SD"
    # 25% and 5 mm: PD.
    assert evaluate([_lesion(D0, 2.0), _lesion(D1, 2.5)])[1].response == "PD"
    # Against the nadir, not the baseline: 10 -> 5 -> 6.0 is +20% and 10 mm over the nadir.
    points = evaluate([_lesion(D0, 10.0), _lesion(D1, 5.0), _lesion(D2, 6.0)])
    assert [p.response for p in points] == [None, "PR", "PD"]
    assert points[2].change_from_baseline_pct == -40.0
    assert points[2].change_from_nadir_pct == 20.0


def test_new_site_is_a_new_lesion_and_pd() -> None:
    points = evaluate([_lesion(D0, 4.0), _lesion(D1, 2.0), _lesion(D1, 0.8, site="brain")])
    assert (points[1].response, points[1].new_lesion, points[1].sum_cm) == ("PD", True, 2.0)


def test_node_uses_short_axis_and_other_lesions_longest() -> None:
    node = _lesion(D0, 2.7, 1.8, site="retroperitoneal lymph node")
    liver = _lesion(D0, 3.0, 4.1)
    assert is_lymph_node(node) and not is_lymph_node(liver)
    assert evaluate([node, liver])[0].sum_cm == pytest.approx(5.9)
    flagged = _lesion(D0, 2.0, 1.5, site="hilum", lymph_node=True)
    assert evaluate([flagged])[0].sum_cm == 1.5


def test_complete_response_when_lesions_gone_and_nodes_normal() -> None:
    base = [_lesion(D0, 3.0), _lesion(D0, 1.5, 1.2, site="axillary node")]
    gone = [_lesion(D1, 0.0), _lesion(D1, 0.9, 0.8, site="axillary node")]
    assert evaluate(base + gone)[1].response == "CR"
    node_big = [_lesion(D1, 0.0), _lesion(D1, 1.1, 1.0, site="axillary node")]
    assert evaluate(base + node_big)[1].response == "PR"


def test_subset_of_sites_is_compared_on_shared_sites() -> None:
    base = [_lesion(D0, 3.0), _lesion(D0, 2.0, site="lung")]
    later = [_lesion(D1, 2.0)]  # lung not imaged
    point = evaluate(base + later)[1]
    assert (point.sum_cm, point.change_from_baseline_pct, point.response) == (2.0, -33.3, "PR")


def test_undated_measurements_are_left_out_and_empty_input_is_empty() -> None:
    assert evaluate([]) == ()
    assert (
        evaluate([_lesion(D0, 1.0), LesionMeasurement(1, None, "liver", 5.0, P)])[0].sum_cm == 1.0
    )


def test_by_line_needs_a_baseline_within_four_weeks() -> None:
    lines = [Line(1, 1, ("x",), D1, P)]
    old_scan = [_lesion(date(2020, 1, 1), 3.0), _lesion(D2, 1.0)]
    assert evaluate_by_line(old_scan, lines) == ()
    recent = [_lesion(date(2020, 2, 10), 3.0), _lesion(D2, 1.0), _lesion(D3, 5.0)]
    assert [p.response for p in evaluate_by_line(recent, lines)] == [None, "PR", "PD"]


def test_lesion_repeated_in_the_next_figure_counts_once() -> None:
    """Figure 4 (A) and (D) reprint Figure 3 (C) and (F), the scan of January 24, 2018
    ("(A) Liver lesion increased to 2.9 x 2.3 cm2; (D) liver lesion (3.0 x 2.3 cm2)")."""
    case = _gold_cases()[1]
    day = date(2018, 1, 24)
    repeats = [
        LesionMeasurement(1, day, "liver", 2.9, P, dim2_cm=2.3, figure="4", panel="A"),
        LesionMeasurement(1, day, "liver", 3.0, P, dim2_cm=2.3, figure="4", panel="D"),
    ]
    lines = [Line(1, 8, ("x",), date(2017, 5, 17), P), Line(1, 9, ("x",), day, P)]
    once = evaluate_by_line(_gold_lesions(case), lines)
    twice = evaluate_by_line(_gold_lesions(case) + repeats, lines)
    assert twice == once
    assert [p.sum_cm for p in twice if p.date == day] == [7.6, 7.6]
    # Two lesions of one figure with the same size are two lesions.
    same_size = [_lesion(D0, 2.0, figure="1"), _lesion(D0, 2.0, figure="1")]
    assert evaluate(same_size)[0].sum_cm == 4.0


@pytest.mark.parametrize(
    ("site", "node"),
    [
        ("retroperitoneal lymph node", True),
        ("mediastinal lymph nodes", True),
        ("axillary nodes", True),
        ("nodal mass", True),
        ("lung nodule", False),
        ("liver", False),
        (None, False),
    ],
)
def test_node_site_names(site: str | None, node: bool) -> None:
    """One rule for the events layer's flag and the RECIST sums: a nodule is not a node."""
    assert is_node_site(site) is node
