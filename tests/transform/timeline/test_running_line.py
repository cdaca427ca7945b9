"""Responses belong to the line they follow, and progression statements close the running
line with their date and printed PFS (lines.py rules 4-5), on a made-up story."""

from __future__ import annotations

from datetime import date

from tests.transform.events.test_events import Story, day, drug
from transform.records import PfsValue, ResponseValue, TextValue
from transform.timeline.lines import derive_lines
from transform.timeline.pfs import apply_pfs

MONTH_DAYS = 30.4375


def test_responses_and_progressions_belong_to_the_running_line() -> None:
    s = Story()
    s.say(
        "Metastatic colon cancer was found on January 5, 2019.",
        ("date", "January 5, 2019", day(2019, 1, 5)),
    )
    s.say(
        "From February 1, 2019, she received oxaliplatin.",
        ("date", "February 1, 2019", day(2019, 2, 1)),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
    )
    s.say(
        "The best response was a partial response.",
        ("response", "partial response", ResponseValue("PR", best=True)),
    )
    s.say(
        "Progression was detected on July 20, 2019, a progression-free survival of 5.6 months.",
        ("progression", "Progression", TextValue("progression")),
        ("date", "July 20, 2019", day(2019, 7, 20)),
        ("pfs", "progression-free survival of 5.6 months", PfsValue(5.6)),
    )
    s.say(
        "From August 1, 2019, irinotecan was given.",
        ("date", "August 1, 2019", day(2019, 8, 1)),
        ("drug", "irinotecan", drug("irinotecan")),
    )
    s.say("She achieved stable disease.", ("response", "stable disease", ResponseValue("SD")))
    s.say(
        "The disease was stable until progression on March 3, 2020.",
        ("response", "stable", ResponseValue("SD")),
        ("progression", "progression", TextValue("progression")),
        ("date", "March 3, 2020", day(2020, 3, 3)),
    )
    (case,) = s.cases()
    lines = apply_pfs(derive_lines(case).lines, MONTH_DAYS)
    got = [(x.drugs, x.best_response, x.pfs_event_date, x.pfs_months_reported) for x in lines]
    assert got == [
        (("oxaliplatin",), "PR", date(2019, 7, 20), 5.6),
        (("irinotecan",), "SD", date(2020, 3, 3), None),
    ]


def test_dated_response_goes_to_the_running_line_when_no_line_is_dated() -> None:
    s = Story()
    s.say("He had stage IV gastric cancer with nodal metastases.")
    s.say("He was administered two cycles of docetaxel.", ("drug", "docetaxel", drug("docetaxel")))
    s.say("Thereafter oral anlotinib was prescribed.", ("drug", "anlotinib", drug("anlotinib")))
    s.say(
        "On May 9, 2016, the response by RECIST was a partial response.",
        ("date", "May 9, 2016", day(2016, 5, 9)),
        ("response", "partial response", ResponseValue("PR")),
    )
    (case,) = s.cases()
    lines = derive_lines(case).lines
    assert [(x.drugs, x.best_response) for x in lines] == [
        (("docetaxel",), None),
        (("anlotinib",), "PR"),
    ]


def test_a_scan_that_shows_progression_is_a_pd_assessment_of_the_running_line() -> None:
    s = Story()
    s.say("Metastatic sarcoma of the thigh was diagnosed in the clinic.")
    s.say("She was treated with doxorubicin.", ("drug", "doxorubicin", drug("doxorubicin")))
    s.say(
        "After the third cycle, a follow-up CT revealed progression of the lung nodules.",
        ("progression", "progression", TextValue("progression")),
    )
    s.say("Therefore pazopanib was started.", ("drug", "pazopanib", drug("pazopanib")))
    s.say(
        "An MRI showed no progression of the disease.",
        ("progression", "progression", TextValue("progression"), True),
    )
    (case,) = s.cases()
    lines = derive_lines(case).lines
    assert [(x.drugs, x.best_response, x.pfs_event) for x in lines] == [
        (("doxorubicin",), "PD", "progression"),
        (("pazopanib",), None, None),
    ]
