"""Precision of drug mentions: lab tests, stains, analytes, dosage forms and salts.

Sentences written for these tests (none from the development reports): each checks a
general class of false drug match, or a salt form folding onto its parent drug.
"""

from __future__ import annotations

import pytest

from extract.records import Block, Document, DocumentMeta
from transform.mentions.lexicon import get_lexicon
from transform.mentions.mentions import extract_mentions
from transform.records import DoseValue, DrugValue

BOX = (0.0, 0.0, 0.0, 0.0)


def _drugs(sentence: str) -> list[str]:
    doc = Document("t", "t", DocumentMeta(), (Block(sentence, "body", 1, BOX, "body", None),))
    return [
        m.value.drug
        for m in extract_mentions(doc)
        if m.kind == "drug" and isinstance(m.value, DrugValue)
    ]


def _doses(sentence: str) -> list[DoseValue]:
    doc = Document("t", "t", DocumentMeta(), (Block(sentence, "body", 1, BOX, "body", None),))
    return [m.value for m in extract_mentions(doc) if isinstance(m.value, DoseValue)]


# --- 1. a name followed by a lab-test word ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Her alanine aminotransferase rose to 210 U/L on day 5.",
        "Aspartate transaminase and alanine transaminase were normal.",
        "Prothrombin time was 16 s and thrombin time 21 s.",
        "Thyroxine levels were low at the visit in March.",
        "Insulin antibodies were detected in the serum.",
        "Congo red staining of the biopsy was negative.",
        "A glucose tolerance test was ordered.",
        "Creatine kinase peaked at 4000 U/L.",
    ],
)
def test_lab_test_words_make_no_drug(sentence: str) -> None:
    assert _drugs(sentence) == []


def test_lab_word_leaves_the_real_drug_in_the_sentence() -> None:
    found = _drugs("Warfarin 5 mg daily was stopped when the prothrombin time exceeded 40 s.")
    assert found == ["warfarin"]


def test_antibody_drug_followed_by_antibody_word_stays() -> None:
    assert _drugs("Rituximab antibody therapy was started in June.") == ["rituximab"]


# --- stains, reagents and lab analytes -------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Sections were stained with hematoxylin and eosin for light microscopy.",
        "Hematoxylin-eosin sections showed spindle cells.",
        "The powder was dissolved in sterile water before use.",
    ],
)
def test_stains_and_solvents_are_never_drugs(sentence: str) -> None:
    assert _drugs(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Serum procalcitonin was 2.4 ng/mL on admission.",
        "Serum ferritin was markedly raised.",
        "Human serum albumin was 28 g/L.",
    ],
)
def test_lab_analytes_are_not_drugs(sentence: str) -> None:
    assert _drugs(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Human serum albumin 20 g was infused over two hours.",
        "She received human serum albumin for the ascites.",
    ],
)
def test_analyte_given_as_a_medicine_is_a_drug(sentence: str) -> None:
    assert _drugs(sentence) == ["serum albumin, human"]


# --- 2. MeSH headings that are no drugs ------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["enteric-coated tablets", "tablets, enteric-coated", "indicators", "insecticides",
     "buffers", "excipients", "sterile water", "hematoxylin"],
)  # fmt: skip
def test_mesh_headings_of_forms_and_reagents_are_not_in_the_lexicon(name: str) -> None:
    assert get_lexicon().lookup(name) is None


def test_dosage_form_words_do_not_become_a_drug() -> None:
    found = _drugs("Pancrelipase was switched to enteric-coated tablets in May.")
    assert found == ["pancrelipase"]


# --- 3. salts, esters and hydrates fold onto the parent drug ----------------------------


@pytest.mark.parametrize(
    ("printed", "drug"),
    [
        ("imatinib mesylate", "imatinib"),
        ("pyrotinib maleate", "pyrotinib"),
        ("irinotecan hydrochloride", "irinotecan"),
        ("sunitinib malate", "sunitinib"),
        ("doxorubicin hydrochloride", "doxorubicin"),
        ("dexamethasone sodium phosphate", "dexamethasone"),
        ("methylprednisolone sodium succinate", "methylprednisolone"),
        ("megestrol acetate", "megestrol"),
    ],
)
def test_salt_forms_map_to_the_parent(printed: str, drug: str) -> None:
    found = get_lexicon().lookup(printed)
    assert found is not None and found.drug == drug and found.drug_id


@pytest.mark.parametrize("name", ["sodium chloride", "potassium chloride", "magnesium citrate"])
def test_salts_of_an_element_keep_their_own_name(name: str) -> None:
    found = get_lexicon().lookup(name)
    assert found is not None and found.drug == name


def test_salt_name_in_a_sentence_gives_the_parent_and_its_dose() -> None:
    sentence = "Imatinib mesylate 400 mg once daily was resumed after surgery."
    assert _drugs(sentence) == ["imatinib"]
    assert [d.drug for d in _doses(sentence)] == ["imatinib"]


def test_salt_name_is_a_synonym_of_the_parent() -> None:
    rows = [r for r in get_lexicon().synonym_rows() if r.synonym == "imatinib mesylate"]
    assert len(rows) == 1 and rows[0].drug == "imatinib" and rows[0].drug_id == "DB00619"
    assert not [r for r in get_lexicon().synonym_rows() if r.drug == "imatinib mesylate"]
