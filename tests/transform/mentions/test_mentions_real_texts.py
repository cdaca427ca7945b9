"""Drug classes, measured substances, short forms, misspellings, regimens, doses and dates
as real case texts print them (issue 11).

Sentences written for these tests, none from the evaluation corpora: each checks one class
of miss or false match that MACCROBAT (eval/maccrobat.py) showed.
"""

from __future__ import annotations

import pytest

from extract.records import Block, Document, DocumentMeta
from transform.mentions.mentions import extract_mentions, plain_spaces
from transform.records import DoseValue, DrugValue, Mention, TextValue

BOX = (0.0, 0.0, 0.0, 0.0)


def _mentions(*sentences: str) -> list[Mention]:
    blocks = tuple(Block(s, "body", 1, BOX, "case_presentation", None) for s in sentences)
    return list(extract_mentions(Document("t", "t", DocumentMeta(), blocks)))


def _drugs(*sentences: str) -> list[str]:
    return [
        m.value.drug
        for m in _mentions(*sentences)
        if m.kind == "drug" and isinstance(m.value, DrugValue)
    ]


def _classes(sentence: str) -> list[str]:
    return [
        m.value.label
        for m in _mentions(sentence)
        if m.kind == "drug_class" and isinstance(m.value, TextValue)
    ]


# --- drug classes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "drug_class"),
    [
        ("She was discharged on beta-blockers and a statin.", "adrenergic beta-antagonists"),
        (
            "An ACE inhibitor was added for blood pressure.",
            "angiotensin-converting enzyme inhibitors",
        ),
        ("Calcium channel blockers were stopped.", "calcium channel blockers"),
        ("Empirical antifungals were begun on day 3.", "antifungal agents"),
        ("He had received steroids for his asthma.", "adrenal cortex hormones"),
        ("Adjuvant chemotherapy was declined.", "antineoplastic agents"),
    ],
)
def test_class_words_are_drug_class_mentions_not_drugs(sentence: str, drug_class: str) -> None:
    assert drug_class in _classes(sentence)
    assert _drugs(sentence) == []


def test_named_drug_beside_a_class_word_stays_a_drug() -> None:
    sentence = "Beta-blockers were replaced by metoprolol succinate."
    assert _drugs(sentence) == ["metoprolol"]
    assert _classes(sentence) == ["adrenergic beta-antagonists"]


# --- substances measured, not given -------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Serum alkaline phosphatase was 410 U/L.",
        "Human chorionic gonadotropin was negative in urine.",
        "The tumour cells stained for cytokeratin and were negative for chromogranin.",
        "Troponin I peaked at 2.3 ng/mL.",
        "A sestamibi scan showed a left inferior parathyroid adenoma.",
        "Urinary epinephrine and normetanephrine were raised.",
    ],
)
def test_measured_substances_are_not_drugs(sentence: str) -> None:
    assert _drugs(sentence) == []


def test_measured_substance_given_is_a_drug() -> None:
    assert "norepinephrine" in _drugs("Norepinephrine infusion was started for hypotension.")


# --- typeset spaces -------------------------------------------------------------------------


def test_thin_spaces_become_plain_spaces_of_the_same_length() -> None:
    text = "40\u2005mg and 1\u200ag"
    assert plain_spaces(text) == "40 mg and 1 g"
    assert len(plain_spaces(text)) == len(text)


def test_dose_with_a_thin_space_is_found() -> None:
    doses = [m.value for m in _mentions("Prednisone 40\u2009mg daily was given.")]
    assert any(isinstance(d, DoseValue) and d.amount == 40.0 and d.unit == "mg" for d in doses)
