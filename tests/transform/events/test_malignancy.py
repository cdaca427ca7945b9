"""Oncology content means a malignant neoplasm of this patient (transform/events/caseinfo.py:
malignancy): not a benign or excluded tumour, not a relative's cancer, not a response word or
'recurrent' in a report about another disease; neoplasms treated with antineoplastic regimens
are. Made-up sentences."""

from __future__ import annotations

import pytest

from extract.records import Block
from tests.transform.events.test_events import Story, day, drug
from transform.events.caseinfo import malignancy
from transform.events.events import has_oncology_content
from transform.timeline.lines import derive_lines

BBOX = (0.0, 0.0, 100.0, 10.0)


def blocks(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(t, "body", 1, BBOX, "case_presentation", 1) for t in texts)


@pytest.mark.parametrize(
    "text",
    [
        "Brush cytology from the stricture came back negative for malignancy.",
        "The hilar narrowing on imaging was worrying and concerning for cholangiocarcinoma.",
        "Before the operation we weighed a stromal tumour, a lymphoma, or a carcinoma.",
        "Her mother and two aunts had died of ovarian cancer.",
        "A thyroid malignancy could not be excluded, so the lobe was taken out.",
        "Frozen section of the nodule ruled out carcinoma.",
        "Histology of the gland found a non-malignant paraganglioma.",
        "A 4 cm lipoma and a colonic adenoma were removed; both were benign.",
        "She had stage IV chronic kidney disease and a 6 cm aortic aneurysm.",
        "He remained stable, with no recurrent chest pain.",
        "She was admitted with malignant hypertension and headache.",
        "No distant metastases were seen on the staging scan.",
        "Opioids are widely prescribed for chronic pain and in the palliative care of "
        "malignant conditions.",
        "Such rashes are also described in malignant diseases and in autoimmune disorders.",
    ],
)
def test_no_malignancy_of_this_patient(text: str) -> None:
    assert malignancy(blocks(text)) is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        (
            "A 60-year-old man with no history of smoking was diagnosed with lung adenocarcinoma.",
            "adenocarcinoma",
        ),
        ("He had no nodal metastasis, and the adenocarcinoma was staged pT2N0.", "adenocarcinoma"),
        (
            "Margins were free of tumour; the final diagnosis was a leiomyosarcoma.",
            "leiomyosarcoma",
        ),
        (
            "He was treated for JAK2-positive polycythaemia vera with hydroxyurea.",
            "polycythaemia vera",
        ),
        (
            "Immunofixation showed AL lambda amyloidosis, and bortezomib was begun.",
            "AL lambda amyloidosis",
        ),
        (
            "A bone biopsy confirmed Langerhans cell histiocytosis of the skull.",
            "Langerhans cell histiocytosis",
        ),
        ("On restaging her tumour was found to be stage IIIB.", "tumour was found to be stage"),
    ],
)
def test_malignancy_of_this_patient(text: str, word: str) -> None:
    found = malignancy(blocks("She came in with a cough.", text))
    assert found is not None
    assert found.sentence == text
    assert found.sentence[found.char_start : found.char_end] == word


def test_a_response_word_without_a_cancer_makes_no_case() -> None:
    """'remained stable' and 'recurrent' in a heart-failure story are no oncology content."""
    s = Story()
    s.say("A 70-year-old woman had recurrent dyspnoea from heart failure.")
    s.say(
        "On May 2, 2021, she remained stable on diuretics.",
        ("date", "May 2, 2021", day(2021, 5, 2)),
    )
    (case,) = s.cases()
    assert not has_oncology_content(case)


def test_a_stated_cancer_makes_a_case() -> None:
    s = Story()
    s.say("A 70-year-old woman was found to have a mucinous ovarian carcinoma.")
    (case,) = s.cases()
    assert has_oncology_content(case)
    assert case.info.malignancy is not None


def test_a_leukaemia_told_by_its_abbreviation_alone() -> None:
    found = malignancy(blocks("She is still treated for both ALL and ET in remission."))
    assert found is not None
    assert found.sentence[found.char_start : found.char_end] == "ALL"


@pytest.mark.parametrize(
    "text",
    [
        "Marrow morphology led to a diagnosis of PV under the WHO criteria.",
        "The skeletal scan pattern was consistent with ECD, so interferon was begun.",
    ],
)
def test_a_neoplasm_diagnosed_by_its_abbreviation(text: str) -> None:
    assert malignancy(blocks(text)) is not None


def test_a_portal_vein_abbreviation_is_no_neoplasm() -> None:
    assert malignancy(blocks("Doppler showed a patent PV and a small ET tube leak.")) is None


@pytest.mark.parametrize(
    "text",
    [
        "The differential for such papules spans cat-scratch disease, syphilis, angiosarcoma, "
        "and Kaposi sarcoma.",
        "Though a lymphoma mattered in the differential, the node grew mycobacteria.",
        "The first endoscopic impression was of a malignant ulcer, so biopsies were taken.",
    ],
)
def test_a_malignancy_weighed_in_a_differential(text: str) -> None:
    assert malignancy(blocks(text)) is None


def test_a_cancer_at_its_initial_diagnosis_is_the_patients() -> None:
    text = "At initial diagnosis in 2015 she had a stage IV lung adenocarcinoma."
    assert malignancy(blocks(text)) is not None


def test_a_neoplasm_treated_like_a_cancer_names_the_histology_and_makes_a_line() -> None:
    """AL amyloidosis treated with anti-myeloma drugs: a haematological line, not adjuvant."""
    s = Story()
    s.say("A 61-year-old woman was found to have AL kappa amyloidosis of the heart.")
    s.say(
        "On March 2, 2019, melphalan and dexamethasone were started.",
        ("date", "March 2, 2019", day(2019, 3, 2)),
        ("drug", "melphalan", drug("melphalan")),
        ("drug", "dexamethasone", drug("dexamethasone")),
    )
    (case,) = s.cases()
    assert case.info.histology == "al kappa amyloidosis"
    lines = derive_lines(case).lines
    assert [sorted(line.drugs) for line in lines] == [["dexamethasone", "melphalan"]]


def test_an_abbreviated_neoplasm_names_the_histology() -> None:
    s = Story()
    s.say("Marrow findings gave a diagnosis of PV in 2012, and phlebotomy was begun.")
    (case,) = s.cases()
    assert case.info.histology == "pv"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "Cultures grew the organism. The differential diagnosis of",
            "such nodules includes angiomatosis, Kaposi sarcoma and pyogenic granuloma.",
        ),
        (
            "On the second page the authors argue that a carcinoma should be",
            "excluded first; here it was ruled out by biopsy.",
        ),
    ],
)
def test_a_sentence_cut_by_a_page_break_keeps_its_doubt(before: str, after: str) -> None:
    """A block that starts in lower case continues the sentence the block before left
    unfinished: its doubt cue ('differential diagnosis', 'ruled out') governs the tumour."""
    assert malignancy(blocks(before, after)) is None


def test_a_lower_case_block_after_a_finished_sentence_is_read_alone() -> None:
    found = malignancy(
        blocks("The differential diagnosis was wide.", "biopsy then showed a leiomyosarcoma.")
    )
    assert found is not None and found.sentence.endswith("leiomyosarcoma.")
