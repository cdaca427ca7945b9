"""Analytes, markers and adjectives that the drug vocabulary lists: catecholamines and
vitamins as lab values, tumour markers and immunohistochemistry antigens, 'luminal'
(lexicon tables nondrugs.tsv and blocklist.tsv); sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.transform.mentions.test_drug_precision import _drugs


@pytest.mark.parametrize(
    "sentence",
    [
        "Plasma metanephrine and normetanephrine were three times the upper limit.",
        "A 24-hour urine collection showed raised norepinephrine and dopamine excretion.",
        "The serum vitamin B12 was low and folate was normal.",
        "Her 25-hydroxy vitamin D was 12 ng/mL.",
        "The cells stained for epithelial membrane antigen and cytokeratin 19.",
        "Luminal narrowing of the sigmoid colon was seen at colonoscopy.",
        "The tumour was luminal B type on immunohistochemistry.",
        "Urinary dopamine was 612 ug (reference 65-400) over 24 hours.",
        "Plasma norepinephrine 2,100 pg (normal < 750) was recorded.",
        "A neuropathy of vitamin B12 deficiency was suspected.",
        "Protein induced by vitamin K absence was raised at 300 mAU.",
        "A vitamin B 12 deficiency was found on the first visit.",
    ],
)
def test_analytes_markers_and_adjectives_are_not_drugs(sentence: str) -> None:
    assert _drugs(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        ("Norepinephrine was infused to keep the mean arterial pressure above 65.",
         "norepinephrine"),
        ("He was given epinephrine intramuscularly for the anaphylaxis.", "epinephrine"),
        ("Oral vitamin D3 supplementation was prescribed.", "cholecalciferol"),
        ("Her medications included vitamin E and metformin.", "vitamin e"),
        ("Bisoprolol, ramipril, furosemide and dopamine were continued in the ward.", "dopamine"),
        ("Vasopressor support with vasopressin and norepinephrine was weaned.", "norepinephrine"),
        ("Her regular medications were levothyroxine and folic acid.", "folic acid"),
    ],
)  # fmt: skip
def test_the_same_substances_given_are_drugs(sentence: str, drug: str) -> None:
    assert drug in _drugs(sentence)


def test_a_list_of_secreted_hormones_is_not_given() -> None:
    found = _drugs(
        "The tumour cells secrete calcitonin, serotonin and vasoactive intestinal peptide."
    )
    assert "calcitonin" not in found and "serotonin" not in found
