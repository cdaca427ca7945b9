"""Dose changes are dated dose rows of the same exposure (dose_changes.py), and a drug given
with radiotherapy starts with the course (events.py), on made-up stories."""

from __future__ import annotations

from datetime import date

from tests.transform.events.test_events import Story, day, drug
from transform.records import DateValue, DoseValue
from transform.timeline.lines import derive_lines


def _month(y: int, m: int) -> DateValue:
    return DateValue(date(y, m, 1), "month")


def _story() -> Story:
    s = Story()
    s.say(
        "In May 2006, sunitinib 50 mg daily was started for metastatic renal carcinoma.",
        ("date", "May 2006", _month(2006, 5)),
        ("drug", "sunitinib", drug("sunitinib")),
        ("dose", "50 mg", DoseValue(50, "mg", "daily")),
    )
    s.say(
        "The dose was reduced to 37.5 mg daily in July 2006 for grade 3 hand-foot skin reaction.",
        ("dose", "37.5 mg", DoseValue(37.5, "mg", "daily")),
        ("date", "July 2006", _month(2006, 7)),
    )
    s.say(
        "In October 2006, sunitinib was escalated back to 50 mg.",
        ("date", "October 2006", _month(2006, 10)),
        ("drug", "sunitinib", drug("sunitinib")),
        ("dose", "50 mg", DoseValue(50, "mg")),
    )
    return s


def test_dose_reduction_is_a_dated_row_of_the_same_episode_and_line() -> None:
    (case,) = _story().cases()
    rows = sorted(
        (e.start_date, e.dose_amount, e.episode) for e in case.exposures if e.drug == "sunitinib"
    )
    assert rows[0] == (date(2006, 5, 1), 50, 1)
    assert (date(2006, 7, 1), 37.5, 1) in rows
    (line,) = derive_lines(case).lines
    assert line.drugs == ("sunitinib",)
    assert line.start_date == date(2006, 5, 1)


def test_dose_change_of_a_named_drug_among_several() -> None:
    s = Story()
    s.say(
        "In March 2012, capecitabine 1000 mg/m2 and oxaliplatin 130 mg/m2 were given.",
        ("date", "March 2012", _month(2012, 3)),
        ("drug", "capecitabine", drug("capecitabine")),
        ("dose", "1000 mg/m2", DoseValue(1000, "mg/m2", drug="capecitabine")),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
        ("dose", "130 mg/m2", DoseValue(130, "mg/m2", drug="oxaliplatin")),
    )
    s.say(
        "Capecitabine was decreased to 750 mg/m2 in May 2012 because of diarrhoea.",
        ("drug", "Capecitabine", drug("capecitabine")),
        ("dose", "750 mg/m2", DoseValue(750, "mg/m2")),
        ("date", "May 2012", _month(2012, 5)),
    )
    (case,) = s.cases()
    changed = [(e.drug, e.dose_amount, e.start_date) for e in case.exposures if e.prov.order == 2]
    assert changed == [("capecitabine", 750, date(2012, 5, 1))]
    assert len(derive_lines(case).lines) == 1


def test_drug_given_with_radiotherapy_starts_with_the_course() -> None:
    s = Story()
    s.say(
        "On April 4, 2017, radiotherapy of 60 Gy to the primary was begun.",
        ("date", "April 4, 2017", day(2017, 4, 4)),
    )
    s.say(
        "Weekly cetuximab concurrent with the radiotherapy was prescribed.",
        ("drug", "cetuximab", drug("cetuximab")),
    )
    s.say(
        "Later, gefitinib was prescribed as well.",
        ("drug", "gefitinib", drug("gefitinib")),
    )
    (case,) = s.cases()
    starts = {e.drug: e.start_date for e in case.exposures}
    assert starts == {"cetuximab": date(2017, 4, 4), "gefitinib": None}
