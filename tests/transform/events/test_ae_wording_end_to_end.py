"""Adverse events in British spelling and CTCAE wording, with grade and the drug blamed, and a
dose reduction as a dated dose row, through the mention layer (a made-up case text)."""

from __future__ import annotations

from datetime import date

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions

BODY = """Case 1

A 61-year-old man with metastatic hepatocellular carcinoma was seen on March 3, 2015. From \
March 10, 2015, he received sorafenib 400 mg twice daily. In May 2015 he developed grade 3 \
hand-foot skin reaction attributed to sorafenib, and the dose was reduced to 400 mg daily. \
Grade 2 peripheral oedema and grade 3 anaemia related to sorafenib occurred in June 2015. \
Interstitial lung disease (grade 2) due to sorafenib was diagnosed in July 2015.
"""


def test_british_and_ctcae_adverse_events_with_grade_drug_and_line() -> None:
    doc = document_from_text(BODY)
    x = transform_mentions(doc, extract_mentions(doc))
    got = {(a.event, a.grade, a.drug, a.line_no) for a in x.adverse_events}
    assert got == {
        ("hand-foot skin reaction", 3, "sorafenib", 1),
        ("peripheral oedema", 2, "sorafenib", 1),
        ("anaemia", 3, "sorafenib", 1),
        ("interstitial lung disease", 2, "sorafenib", 1),
    }
    rows = sorted((e.start_date, e.schedule) for e in x.exposures if e.drug == "sorafenib")
    assert rows == [(date(2015, 3, 10), "twice daily"), (date(2015, 5, 1), "daily")]
    assert {e.line_no for e in x.exposures} == {1}
