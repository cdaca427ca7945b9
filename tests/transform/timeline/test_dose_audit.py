"""A dose far outside its drug's plausible range for its unit is an audit finding, not a
silent row (transform/timeline/audit.py:_dose_findings, dose_ranges.tsv). Made-up doses."""

from __future__ import annotations

import pytest

from transform.records import DrugExposure, Provenance
from transform.timeline.audit import (
    DoseRangeError,
    audit,
    dose_ranges,
    parse_dose_ranges,
)


def exposure(drug: str, amount: float, unit: str, sentence: str) -> DrugExposure:
    start = sentence.lower().index(drug)
    prov = Provenance(1, sentence, start, start + len(drug), 3)
    return DrugExposure(
        case_id=1,
        episode=1,
        drug=drug,
        drug_as_printed=drug,
        prov=prov,
        dose_amount=amount,
        dose_unit=unit,
    )


def findings(*exposures: DrugExposure) -> list[tuple[str, str | None]]:
    return [(f.kind, f.reported) for f in audit((), (), (), (), exposures)]


@pytest.mark.parametrize(
    ("exp", "reported"),
    [
        (
            exposure("cisplatin", 750, "mg/m2", "Cisplatin 750 mg/m2 was given on day 1."),
            "750 mg/m2",
        ),
        (
            exposure("dobutamine", 400, "ug/kg/min", "Dobutamine 400 ug/kg/min ran."),
            "400 ug/kg/min",
        ),
        (exposure("vancomycin", 3, "g/kg/min", "Vancomycin 3 g/kg/min was started."), "3 g/kg/min"),
        (exposure("carboplatin", 50, "AUC", "Carboplatin at AUC 50 was given."), "50 AUC"),
    ],
)
def test_a_dose_far_outside_its_range_is_a_finding(exp: DrugExposure, reported: str) -> None:
    assert findings(exp) == [("implausible_dose", reported)]


@pytest.mark.parametrize(
    "exp",
    [
        exposure("cisplatin", 75, "mg/m2", "Cisplatin 75 mg/m2 was given every three weeks."),
        exposure("paclitaxel", 80, "mg/m2", "Weekly paclitaxel at 80 mg/m2 was begun."),
        exposure("noradrenaline", 0.3, "ug/kg/min", "Noradrenaline 0.3 ug/kg/min was needed."),
        exposure("imatinib", 400, "mg", "Imatinib 400 mg daily was started."),
    ],
)
def test_a_plausible_dose_is_no_finding(exp: DrugExposure) -> None:
    assert findings(exp) == []


def test_the_shipped_table_has_sources_and_a_row_per_unit_for_any_drug() -> None:
    ranges = dose_ranges()
    assert ("*", "mg/m2") in ranges
    assert all(r.source for r in ranges.values())


def test_a_malformed_row_is_a_clear_error() -> None:
    with pytest.raises(DoseRangeError, match=r"dose_ranges.tsv:2: min and max must be numbers"):
        parse_dose_ranges("drug\tunit\tmin\tmax\tsource\ncisplatin\tmg/m2\tlow\t120\tlabel\n")
