"""Classes of drug mentions that were neither exposures nor explained (eval/coverage.py),
each on made-up sentences: given by an administration noun, named as the cause of a toxicity
or a reaction, named to be avoided, listed after 'the regimen was as follows'."""

from __future__ import annotations

import pytest

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.records import Extraction

CANCER = (
    "A 59-year-old man was diagnosed with metastatic gastric adenocarcinoma with liver "
    "metastases in April 2019. "
)


def _run(body: str) -> Extraction:
    doc = document_from_text("Case 1\n\n" + CANCER + body)
    return transform_mentions(doc, extract_mentions(doc))


def _reason(ext: Extraction, drug: str) -> set[str]:
    return {d.reason for d in ext.dispositions if d.drug == drug}


# --- a drug told by its administration noun was given ----------------------------------------


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        ("Ten days after the administration of docetaxel 60 mg/m2, he had a fever.", "docetaxel"),
        (
            "Within a day of an intravenous high-dose ifosfamide (3 g/m2) infusion, his "
            "creatinine rose.",
            "ifosfamide",
        ),
        ("During long-term capecitabine therapy, his palms became painful.", "capecitabine"),
        ("He presented on prolonged irinotecan treatment with diarrhoea.", "irinotecan"),
        ("Neutropenia followed the third cycle of epirubicin in June 2019.", "epirubicin"),
        ("One week after initiation of oxaliplatin therapy, he noticed tingling.", "oxaliplatin"),
    ],
)
def test_a_drug_told_by_its_administration_noun_is_an_exposure(sentence: str, drug: str) -> None:
    ext = _run(sentence)
    assert drug in {e.drug for e in ext.exposures}
    assert "exposure" in _reason(ext, drug)


def test_a_stop_before_the_administration_noun_still_stops() -> None:
    ext = _run("Gemcitabine was started in May 2019. He stopped the infusion of cetuximab.")
    assert "cetuximab" not in {e.drug for e in ext.exposures}
    assert _reason(ext, "cetuximab") == {"stopped"}


# --- a drug named as the cause of a toxicity or a reaction ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        ("Severe cisplatin nephrotoxicity is well known.", "cisplatin"),
        ("Paclitaxel has marked neurological toxicity.", "paclitaxel"),
        ("Bleomycin (BLM)-associated pneumonitis is rare.", "bleomycin"),
        ("His allergy to carboplatin was confirmed by skin testing.", "carboplatin"),
        ("Infusion reactions to rituximab are common.", "rituximab"),
    ],
)
def test_a_drug_named_as_the_cause_of_a_toxicity_is_not_given(sentence: str, drug: str) -> None:
    ext = _run(sentence)
    assert drug not in {e.drug for e in ext.exposures}
    assert _reason(ext, drug) == {"named_as_cause"}


def test_a_drug_given_in_brackets_with_a_toxicity_word_is_still_given() -> None:
    ext = _run("In May 2019 he received gemcitabine (toxicity was mild).")
    assert "gemcitabine" in {e.drug for e in ext.exposures}


# --- a drug to be avoided ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The cardiologist advised avoiding trastuzumab.",
        "Doxorubicin was avoided because of his low ejection fraction.",
    ],
)
def test_a_drug_to_be_avoided_is_negated(sentence: str) -> None:
    ext = _run(sentence)
    named = {d.drug for d in ext.dispositions}
    assert named & {"trastuzumab", "doxorubicin"}
    assert {d.reason for d in ext.dispositions} == {"negated"}
    assert ext.exposures == ()


# --- a regimen told as a list ------------------------------------------------------------------


def test_drugs_listed_after_the_regimen_was_as_follows_are_given() -> None:
    ext = _run(
        "The chemotherapy regimen was as follows: docetaxel on day 1 (75 mg/m2; Acme Pharma "
        "Co., Ltd., Springfield, USA.), cisplatin on day 1 (60 mg/m2; Acme Pharma Co., Ltd., "
        "Springfield, USA.), and fluorouracil on days 1 to 5 (750 mg/m2; Acme Pharma Co., "
        "Ltd., Springfield, USA.)."
    )
    doses = {e.drug: e.dose_amount for e in ext.exposures}
    assert doses == {"docetaxel": 75, "cisplatin": 60, "fluorouracil": 750}
    assert len({e.episode for e in ext.exposures}) == 1
