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
        ("Neutropenia followed the infusion of epirubicin in June 2019.", "epirubicin"),
        ("One week after oxaliplatin therapy began, he noticed tingling.", "oxaliplatin"),
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


@pytest.mark.parametrize(
    "sentence",
    [
        "Long-term azathioprine and cyclophosphamide therapy may have contributed to the tumour.",
        "We suspect that low-dose methotrexate therapy might have promoted his lymphoma.",
    ],
)
def test_a_drug_that_may_have_caused_the_disease_is_a_cause(sentence: str) -> None:
    ext = _run(sentence)
    named = {d.drug for d in ext.dispositions if d.role == "antineoplastic"}
    assert named & {"cyclophosphamide", "methotrexate"}
    assert {d.reason for d in ext.dispositions if d.drug in named} == {"named_as_cause"}


# --- a drug given as conditioning or depletion ---------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        (
            "The graft was T-cell depleted using in vivo antithymocyte globulin and alemtuzumab.",
            "alemtuzumab",
        ),
        ("In June 2019 he was conditioned with busulfan and fludarabine.", "busulfan"),
    ],
)
def test_a_drug_given_as_conditioning_is_an_exposure(sentence: str, drug: str) -> None:
    ext = _run(sentence)
    assert drug in {e.drug for e in ext.exposures}


# --- a drug named in a sentence about it in general ----------------------------------------


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        ("We conclude that hearing loss with cisplatin is uncommon in adults.", "cisplatin"),
        ("Pneumonitis from everolimus has rarely been reported.", "everolimus"),
        ("Few cases of bortezomib-associated hepatitis are known.", "bortezomib"),
    ],
)
def test_a_drug_named_in_a_general_statement_says_so(sentence: str, drug: str) -> None:
    ext = _run(sentence)
    assert drug not in {e.drug for e in ext.exposures}
    assert _reason(ext, drug) <= {"general_statement", "named_as_cause"}
    assert _reason(ext, drug)


def test_a_general_word_does_not_stop_a_start() -> None:
    ext = _run("In May 2019 he received sunitinib, a drug that is well known to him.")
    assert "sunitinib" in {e.drug for e in ext.exposures}


# --- a neoplasm oncologists treat with antineoplastic drugs is a cancer story --------------


@pytest.mark.parametrize(
    ("body", "drug"),
    [
        (
            "A 61-year-old woman presented with dyspnoea. Endomyocardial biopsy showed AL "
            "amyloidosis in March 2015. She was started on bortezomib and dexamethasone.",
            "bortezomib",
        ),
        (
            "A 7-year-old girl had lytic skull lesions; a biopsy in 2016 showed Langerhans cell "
            "histiocytosis. She was treated with vinblastine and prednisone.",
            "vinblastine",
        ),
        (
            "A 66-year-old man had bone pain. Marrow biopsy confirmed MM in May 2018. He "
            "received lenalidomide from June 2018.",
            "lenalidomide",
        ),
    ],
)
def test_a_neoplasm_treated_as_cancer_keeps_its_case_and_drugs(body: str, drug: str) -> None:
    doc = document_from_text("Case 1\n\n" + body)
    ext = transform_mentions(doc, extract_mentions(doc))
    assert len(ext.cases) == 1
    assert ext.cases[0].histology
    assert drug in {e.drug for e in ext.exposures if e.role == "antineoplastic"}


@pytest.mark.parametrize(
    ("sentence", "drug"),
    [
        ("Blurred vision began two days after a single dose of vinorelbine.", "vinorelbine"),
        ("Following the first doses of pemetrexed, his rash spread.", "pemetrexed"),
    ],
)
def test_a_drug_told_by_the_dose_given_is_an_exposure(sentence: str, drug: str) -> None:
    ext = _run(sentence)
    assert drug in {e.drug for e in ext.exposures}


@pytest.mark.parametrize(
    ("sentence", "drug", "reason"),
    [
        (
            "It is likely that oxaliplatin does cause this rare palsy.",
            "oxaliplatin",
            "named_as_cause",
        ),
        ("The literature on trastuzumab cardiotoxicity is reviewed.", "trastuzumab", None),
    ],
)
def test_a_drug_that_does_cause_or_is_reviewed_is_not_given(
    sentence: str, drug: str, reason: str | None
) -> None:
    ext = _run(sentence)
    assert drug not in {e.drug for e in ext.exposures}
    reasons = _reason(ext, drug)
    assert reasons <= {"named_as_cause", "general_statement"}
    assert reasons == {reason} if reason else reasons


@pytest.mark.parametrize(
    ("sentence", "given", "not_given"),
    [
        (
            "She had severe nausea with the FOLFIRI regimen, and she improved after the "
            "administration of ondansetron.",
            "ondansetron",
            "irinotecan",
        ),
        (
            "His marrow was suppressed by gemcitabine, and it recovered within a week of an "
            "infusion of filgrastim.",
            "filgrastim",
            "gemcitabine",
        ),
    ],
)
def test_a_therapy_noun_names_only_its_own_clause(
    sentence: str, given: str, not_given: str
) -> None:
    exposed = {e.drug for e in _run(sentence).exposures}
    assert given in exposed
    assert not_given not in exposed


def test_a_start_verb_still_reaches_back_to_the_head_clause() -> None:
    exposed = {
        e.drug for e in _run("Carboplatin AUC 5, and paclitaxel 175 mg/m2 were given.").exposures
    }
    assert {"carboplatin", "paclitaxel"} <= exposed
