"""Supportive drugs never make, split or join a line (roles.py, ATC outside L01/L02), on
made-up stories; a drug held and resumed without progression stays in its line."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.transform.events.test_events import Story, day, drug
from transform.records import DoseValue
from transform.timeline.lines import LineRules, derive_lines
from transform.timeline.roles import drug_roles, role_table


def test_the_role_table_is_sourced_and_knows_growth_factors_and_steroids() -> None:
    table = role_table()
    assert table["filgrastim"] == "supportive"
    assert table["levothyroxine"] == "supportive"
    assert table["dexamethasone"] == "conditional"
    assert "doxorubicin" not in table


def test_growth_factor_after_chemotherapy_opens_no_line() -> None:
    s = Story()
    s.say(
        "From March 3, 2020, she received doxorubicin 60 mg/m2 every 3 weeks.",
        ("date", "March 3, 2020", day(2020, 3, 3)),
        ("drug", "doxorubicin", drug("doxorubicin")),
        ("dose", "60 mg/m2", DoseValue(60, "mg/m2", "q3w", drug="doxorubicin")),
    )
    s.say(
        "On June 1, 2020, pegfilgrastim was given after febrile neutropenia.",
        ("date", "June 1, 2020", day(2020, 6, 1)),
        ("drug", "pegfilgrastim", drug("pegfilgrastim")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("doxorubicin",)]
    peg = [e for e in lines.exposures if e.drug == "pegfilgrastim"]
    assert [(e.setting, e.line_no) for e in peg] == [(None, None)]


def test_steroid_alone_is_supportive_but_part_of_an_induction_regimen() -> None:
    s = Story()
    s.say(
        "Dexamethasone 4 mg was started for headache on April 2, 2019.",
        ("drug", "Dexamethasone", drug("dexamethasone")),
        ("dose", "4 mg", DoseValue(4, "mg", drug="dexamethasone")),
        ("date", "April 2, 2019", day(2019, 4, 2)),
    )
    s.say(
        "On April 9, 2019, induction with dexamethasone, daunorubicin and vincristine was "
        "commenced.",
        ("date", "April 9, 2019", day(2019, 4, 9)),
        ("drug", "dexamethasone", drug("dexamethasone")),
        ("drug", "daunorubicin", drug("daunorubicin")),
        ("drug", "vincristine", drug("vincristine")),
    )
    (case,) = s.cases()
    roles = drug_roles(case.exposures)
    assert [(e.drug, r) for e, r in zip(case.exposures, roles, strict=True)] == [
        ("dexamethasone", "supportive"),
        ("dexamethasone", "antineoplastic"),
        ("daunorubicin", "antineoplastic"),
        ("vincristine", "antineoplastic"),
    ]
    (line,) = derive_lines(case).lines
    assert line.drugs == ("daunorubicin", "dexamethasone", "vincristine")
    assert line.start_date == date(2019, 4, 9)


@pytest.mark.parametrize("stays", [True, False])
def test_drug_held_and_resumed_without_progression_stays_in_its_line(stays: bool) -> None:
    s = Story()
    s.say(
        "On May 5, 2018, ipilimumab was started.",
        ("date", "May 5, 2018", day(2018, 5, 5)),
        ("drug", "ipilimumab", drug("ipilimumab")),
    )
    s.say(
        "Methimazole 20 mg daily was started on July 1, 2018 for thyroiditis.",
        ("drug", "Methimazole", drug("methimazole")),
        ("dose", "20 mg", DoseValue(20, "mg", "daily", drug="methimazole")),
        ("date", "July 1, 2018", day(2018, 7, 1)),
    )
    s.say(
        "On August 20, 2018, ipilimumab was resumed.",
        ("date", "August 20, 2018", day(2018, 8, 20)),
        ("drug", "ipilimumab", drug("ipilimumab")),
    )
    (case,) = s.cases()
    rules = dataclasses.replace(LineRules(), resumed_drug_stays_in_line=stays)
    lines = derive_lines(case, rules)
    assert len(lines.lines) == (1 if stays else 2)
    methimazole = [e for e in lines.exposures if e.drug == "methimazole"]
    assert [(e.line_no, e.dose_amount) for e in methimazole] == [(None, 20)]
