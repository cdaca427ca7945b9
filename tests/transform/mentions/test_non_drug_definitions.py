"""A short form the article defines for something else is no drug in that article
(abbreviations.non_drug_definitions): 'continuous blood purification (CBP)' is not
carboplatin, while 'all-trans retinoic acid (ATRA)' stays tretinoin."""

from __future__ import annotations

from tests.textdoc import document_from_text
from transform.mentions.abbreviations import non_drug_definitions
from transform.mentions.mentions import extract_mentions

BODY = (
    "Case 1\n\nA 52-year-old man with metastatic gastric cancer had septic shock. He was "
    "given continuous blood purification (CBP) and mechanical ventilation. CBP was stopped "
    "after 3 days. Docetaxel was resumed, and all-trans retinoic acid (ATRA) and bacillus "
    "Calmette-Guerin (BCG) were listed in his history. He had an implantable cardioverter "
    "defibrillator (ICD)."
)


def test_short_forms_defined_for_something_else_are_collected() -> None:
    found = non_drug_definitions(document_from_text(BODY))
    assert "CBP" in found
    assert "ICD" in found
    assert not found & {"ATRA", "BCG"}


def test_a_short_form_defined_for_something_else_is_no_drug_mention() -> None:
    doc = document_from_text(BODY)
    drugs = {m.text: m.value for m in extract_mentions(doc) if m.kind in ("drug", "regimen")}
    assert "CBP" not in drugs
    assert {"Docetaxel", "ATRA", "BCG"} <= set(drugs)
