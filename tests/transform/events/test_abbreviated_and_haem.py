"""Cancers named by abbreviation or stage only are oncology content; a haematological
regimen's induction, consolidation and maintenance are one line and a relapse opens the next;
a qualified remission is a complete response. Made-up stories."""

from __future__ import annotations

from datetime import date

import pytest

from tests.textdoc import document_from_text
from tests.transform.events.test_events import Story, day, drug
from transform.events.events import has_oncology_content
from transform.mentions.mentions import extract_mentions
from transform.records import DateValue, ResponseValue
from transform.timeline.lines import derive_lines


@pytest.mark.parametrize(
    "sentence",
    [
        "A 66-year-old man was diagnosed with squamous NSCLC on May 2, 2021.",
        "On May 2, 2021, imaging of a 71-year-old woman showed HCC in segment VII.",
        "On May 2, 2021, the clinical stage of her tumour was upgraded to IVB.",
    ],
)
def test_abbreviation_or_stage_alone_is_oncology_content(sentence: str) -> None:
    s = Story()
    s.say(sentence, ("date", "May 2, 2021", day(2021, 5, 2)))
    (case,) = s.cases()
    assert has_oncology_content(case)


def test_stage_upgrade_is_the_onset_of_advanced_disease() -> None:
    s = Story()
    s.say(
        "On June 3, 2020, a right lobectomy was performed for lung cancer.",
        ("date", "June 3, 2020", day(2020, 6, 3)),
    )
    s.say(
        "On March 9, 2021, the stage was upgraded to IVA after a pleural nodule was found.",
        ("date", "March 9, 2021", day(2021, 3, 9)),
    )
    s.say(
        "On March 20, 2021, she was commenced on osimertinib.",
        ("date", "March 20, 2021", day(2021, 3, 20)),
        ("drug", "osimertinib", drug("osimertinib")),
    )
    (case,) = s.cases()
    (line,) = derive_lines(case).lines
    assert line.drugs == ("osimertinib",)


def _month(y: int, m: int) -> DateValue:
    return DateValue(date(y, m, 1), "month")


def test_induction_consolidation_maintenance_are_one_line_and_relapse_opens_the_next() -> None:
    s = Story()
    s.say("A 59-year-old man was found to have acute myeloid leukaemia.")
    s.say(
        "In June 2019, induction with cytarabine and daunorubicin was given.",
        ("date", "June 2019", _month(2019, 6)),
        ("drug", "cytarabine", drug("cytarabine")),
        ("drug", "daunorubicin", drug("daunorubicin")),
    )
    s.say(
        "In September 2019, consolidation with mitoxantrone and etoposide was given.",
        ("date", "September 2019", _month(2019, 9)),
        ("drug", "mitoxantrone", drug("mitoxantrone")),
        ("drug", "etoposide", drug("etoposide")),
    )
    s.say(
        "In March 2020, azacitidine maintenance was started.",
        ("date", "March 2020", _month(2020, 3)),
        ("drug", "azacitidine", drug("azacitidine")),
    )
    s.say(
        "In January 2021, a relapse was found and venetoclax was started.",
        ("date", "January 2021", _month(2021, 1)),
        ("drug", "venetoclax", drug("venetoclax")),
    )
    (case,) = s.cases()
    lines = derive_lines(case).lines
    assert [line.drugs for line in lines] == [
        ("azacitidine", "cytarabine", "daunorubicin", "etoposide", "mitoxantrone"),
        ("venetoclax",),
    ]
    assert lines[0].pfs_event == "progression"


@pytest.mark.parametrize(
    "sentence",
    [
        "After induction she attained a morphological and cytogenetic remission.",
        "A haematological remission followed the second course.",
    ],
)
def test_qualified_remission_is_a_complete_response(sentence: str) -> None:
    doc = document_from_text(f"Case 1\n\n{sentence}")
    responses = [m for m in extract_mentions(doc) if m.kind == "response"]
    assert [m.value for m in responses if isinstance(m.value, ResponseValue)] and all(
        isinstance(m.value, ResponseValue) and m.value.response == "CR" for m in responses
    )


@pytest.mark.parametrize(
    ("sentence", "drugs", "month"),
    [
        (
            "In March 2008, the patient enrolled in a phase I trial of sorafenib and bevacizumab.",
            ("sorafenib", "bevacizumab"),
            (2008, 3),
        ),
        ("She entered a clinical study of nivolumab in June 2015.", ("nivolumab",), (2015, 6)),
        ("In May 2011 he was put on imatinib.", ("imatinib",), (2011, 5)),
    ],
)
def test_treatment_starts_in_other_words(
    sentence: str, drugs: tuple[str, ...], month: tuple[int, int]
) -> None:
    name = {"March": "March 2008", "June": "June 2015", "May": "May 2011"}
    printed = next(v for k, v in name.items() if k in sentence)
    s = Story()
    s.say(
        sentence,
        *[("date", printed, _month(*month))] * (sentence.index(printed) == 3),
        *[("drug", d, drug(d)) for d in drugs],
        *[("date", printed, _month(*month))] * (sentence.index(printed) != 3),
    )
    (case,) = s.cases()
    assert {(e.drug, e.start_date) for e in case.exposures} == {
        (d, _month(*month).value) for d in drugs
    }


def test_enrolment_date_yields_to_the_dated_start_told_next() -> None:
    s = Story()
    s.say(
        "On June 1, 2014, she was enrolled in a phase II trial of lapatinib with capecitabine.",
        ("date", "June 1, 2014", day(2014, 6, 1)),
        ("drug", "lapatinib", drug("lapatinib")),
        ("drug", "capecitabine", drug("capecitabine")),
    )
    s.say(
        "From June 15, 2014, lapatinib and capecitabine were given for six cycles.",
        ("date", "June 15, 2014", day(2014, 6, 15)),
        ("drug", "lapatinib", drug("lapatinib")),
        ("drug", "capecitabine", drug("capecitabine")),
    )
    (case,) = s.cases()
    assert {e.start_date for e in case.exposures} == {date(2014, 6, 15)}
