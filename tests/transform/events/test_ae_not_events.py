"""Conditions that are named but did not happen to the patient are no adverse events, through
the mention layer on made-up texts: one that did not appear or develop, one weighed in a
differential diagnosis, one described in a tissue specimen, one a drug is given to prevent.
A surgical complication graded by CTCAE v5 (empyema, bronchopleural fistula) is one."""

from __future__ import annotations

import pytest

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions

STORY = (
    "A 61-year-old man had metastatic gastric cancer with liver metastases. He received "
    "capecitabine 1000 mg/m2 twice daily from May 2016. {} In July 2016 he developed grade 2 "
    "diarrhea."
)


def _events(sentence: str) -> list[tuple[str, int | None]]:
    doc = document_from_text("Case 1\n\n" + STORY.format(sentence))
    x = transform_mentions(doc, extract_mentions(doc))
    return [(a.event, a.grade) for a in x.adverse_events]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hand-foot syndrome did not appear during the first cycle.",
        "Peripheral neuropathy did not develop.",
        "The differential diagnosis was drug-induced pneumonitis versus heart failure.",
        "Differentials included colitis and an infection.",
        "Microscopically, the biopsy showed necrosis and bleeding within the tumour.",
        "The resected specimen held a fungating mass with haemorrhage and fibrosis.",
        "Pegfilgrastim was added to prevent febrile neutropenia.",
        "Antiemetics were prescribed to reduce the risk of nausea.",
    ],
)
def test_a_condition_that_did_not_happen_to_the_patient_is_no_adverse_event(
    sentence: str,
) -> None:
    assert _events(sentence) == [("diarrhea", 2)]


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("In June 2016, after a wedge resection, an empyema was drained.", "empyema"),
        ("A bronchopleural fistula was closed in June 2016.", "bronchopleural fistula"),
    ],
)
def test_a_graded_surgical_complication_is_an_adverse_event(sentence: str, event: str) -> None:
    assert (event, None) in _events(sentence)
