"""The audit on the seed article's story (from the gold file) and on made-up contradictions."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from tests.transform.timeline.test_lines import derive_gold, gold_case_events, gold_cases
from transform.records import (
    Assessment,
    ClinicalEvent,
    DrugExposure,
    Finding,
    LesionMeasurement,
    Line,
    Provenance,
)
from transform.timeline.audit import audit
from transform.timeline.lines import derive_lines
from transform.timeline.pfs import apply_pfs

P = Provenance(page=2, sentence="evidence", order=7)

CAPTION_RESPONSES = (
    # (case, date, response) as the figure captions state them (Figures 3, 4 and 7).
    (1, date(2017, 7, 18), "PR"),
    (1, date(2018, 4, 17), "SD"),
    (1, date(2019, 5, 29), "PD"),
    (2, date(2020, 7, 30), "SD"),
    (2, date(2021, 2, 1), "PD"),
)


def _gold_lesions(case: dict[str, Any]) -> list[LesionMeasurement]:
    return [
        LesionMeasurement(
            case_id=int(case["case"]),
            measured_on=date.fromisoformat(str(x["date"])),
            site=x["site"],
            dim1_cm=float(x["size_cm"][0]),
            dim2_cm=float(x["size_cm"][1]),
            prov=P,
            figure=str(x["figure"]),
        )
        for x in case["lesions"]
    ]


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    """Everything the audit takes, for both cases of the seed."""
    derived = derive_gold()
    return {
        "lines": [line for _, cl in derived for line in cl.lines],
        "assessments": [
            Assessment(case_id, day, resp, P)  # type: ignore[arg-type]
            for case_id, day, resp in CAPTION_RESPONSES
        ],
        "lesions": [x for c in gold_cases() for x in _gold_lesions(c)],
        "events": [e for c in gold_cases() for e in gold_case_events(c).events],
        "exposures": [e for _, cl in derived for e in cl.exposures],
    }


def _run(seed: dict[str, Any], **changes: Any) -> tuple[Finding, ...]:
    args = {**seed, **changes}
    return audit(
        args["lines"], args["assessments"], args["lesions"], args["events"], args["exposures"]
    )


def test_seed_flags_exactly_case1_line2_pfs(seed: dict[str, Any]) -> None:
    findings = _run(seed)
    assert [(f.kind, f.case_id, f.line_no, f.reported, f.computed) for f in findings] == [
        ("pfs_mismatch", 1, 2, "11.1", "11.2")
    ]
    (finding,) = findings
    assert finding.prov is not None and "11.1" in finding.prov.sentence
    assert "335 days" in finding.message


def test_contradicted_response_is_flagged_with_its_sentence(seed: dict[str, Any]) -> None:
    said = Provenance(5, "On July 30, 2020, CT showed PR", order=99)
    wrong = Assessment(2, date(2020, 7, 30), "PR", said, line_no=3)
    findings = [f for f in _run(seed, assessments=[wrong]) if f.kind == "response_mismatch"]
    assert [(f.case_id, f.line_no, f.reported, f.computed, f.prov) for f in findings] == [
        (2, 3, "PR", "SD", said)
    ]
    assert "+4.9%" in findings[0].message


def test_response_on_a_date_without_measurements_is_not_judged(seed: dict[str, Any]) -> None:
    lone = Assessment(1, date(2017, 9, 1), "CR", P)
    assert not [f for f in _run(seed, assessments=[lone]) if f.kind == "response_mismatch"]


# --- made-up contradictions -------------------------------------------------------------------


def _exp(start: date, end: date, end_precision: Any = "day") -> DrugExposure:
    return DrugExposure(
        case_id=1,
        episode=1,
        drug="x",
        drug_as_printed="X",
        prov=P,
        start_date=start,
        start_precision="day",
        end_date=end,
        end_precision=end_precision,
    )


def test_exposure_stopping_before_it_starts() -> None:
    bad = _exp(date(2020, 5, 10), date(2020, 4, 1))
    (finding,) = audit([], [], [], [], [bad])
    assert (finding.kind, finding.prov) == ("dates_out_of_order", P)
    # 'April 2020' may mean any day of April: not a contradiction with a start of April 10.
    assert audit([], [], [], [], [_exp(date(2020, 4, 10), date(2020, 4, 1), "month")]) == ()


def test_line_ending_before_its_start() -> None:
    line = Line(1, 1, ("x",), date(2020, 5, 1), P, end_date=date(2020, 3, 1))
    (finding,) = audit([line], [], [], [], [])
    assert (finding.kind, finding.line_no) == ("line_end_before_start", 1)


def test_pfs_event_before_line_start() -> None:
    line = Line(1, 1, ("x",), date(2020, 5, 1), P, pfs_event_date=date(2020, 3, 1))
    (finding,) = audit([line], [], [], [], [])
    assert finding.kind == "dates_out_of_order"


def test_facts_after_death() -> None:
    events = [
        ClinicalEvent(1, "death", date(2021, 3, 1), P, precision="month"),
        ClinicalEvent(1, "imaging", date(2021, 3, 20), P),  # same month: may be before
        ClinicalEvent(1, "progression", date(2021, 5, 2), P),
    ]
    assess = [Assessment(1, date(2021, 6, 1), "PD", P)]
    findings = audit([], assess, [], events, [])
    assert sorted((f.kind, f.reported) for f in findings) == [
        ("dates_out_of_order", "2021-05-02 > 2021-03-01"),
        ("dates_out_of_order", "2021-06-01 > 2021-03-01"),
    ]


def test_audit_on_derived_lines_with_a_misprint() -> None:
    """A printed figure far from its dates, tied to the line by its date, is flagged."""
    story = gold_case_events(gold_cases()[1])
    wrong = tuple(
        dataclasses.replace(r, months=20.0) if r.months == 16.8 else r for r in story.reported_pfs
    )
    lines = apply_pfs(derive_lines(dataclasses.replace(story, reported_pfs=wrong)).lines, 30.0)
    findings = audit(lines, [], [], [], [])
    assert [(f.line_no, f.reported, f.computed) for f in findings] == [(2, "20.0", "16.8")]


def test_one_drug_at_two_doses_repeats_no_finding() -> None:
    from datetime import date as _date

    from transform.records import DrugExposure as _Exposure
    from transform.records import Provenance as _Prov
    from transform.timeline.audit import audit as _audit

    prov = _Prov(1, "DDP 40 mg d1-2/50 mg d3 from May 2 to April 2.", order=3)
    exposures = [
        _Exposure(1, 1, "cisplatin", "DDP", prov, start_date=_date(2020, 5, 2),
                  end_date=_date(2020, 4, 2), dose_amount=amount, dose_unit="mg")
        for amount in (40.0, 50.0)
    ]  # fmt: skip
    findings = _audit([], [], [], [], exposures)
    assert [f.kind for f in findings] == ["dates_out_of_order"]
