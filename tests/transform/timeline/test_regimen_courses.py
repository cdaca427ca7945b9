"""Multi-phase regimens and re-treatment after progression, through the mention layer on
made-up texts (issue 20, classes 2 and 3).

2. Courses of one planned regimen given in turn (alternating regimens; a course A and a
   course B with different drugs) are one line holding every course's drugs and doses.
3. The same drug told again after a progression, with a new partner or a new dose, is a new
   course and a new line, even without a word such as 'again' or 'restarted'.
"""

from __future__ import annotations

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.records import Extraction


def _run(body: str) -> Extraction:
    doc = document_from_text("Case 1\n\n" + body)
    return transform_mentions(doc, extract_mentions(doc))


def _line_drugs(x: Extraction) -> list[tuple[str, ...]]:
    return [line.drugs for line in x.lines]


# --- 2. one line for every course of a planned regimen ---------------------------------------


def test_regimens_given_in_alternation_are_one_line() -> None:
    x = _run(
        "A 49-year-old woman had mantle cell lymphoma, stage IV. Starting in April 2019 she "
        "was treated with R-CHOP, alternating every three weeks with R-DHAP, for six courses. "
        "A PET scan in October 2019 showed a complete metabolic response."
    )
    assert _line_drugs(x) == [
        (
            "cisplatin",
            "cyclophosphamide",
            "cytarabine",
            "dexamethasone",
            "doxorubicin",
            "prednisone",
            "rituximab",
            "vincristine",
        )
    ]


def test_two_courses_with_their_own_drugs_and_doses_are_one_line() -> None:
    x = _run(
        "A 21-year-old man had Burkitt lymphoma of the ileum. The protocol consisted of block "
        "one with ifosfamide 1500 mg/m2 and etoposide 100 mg/m2, and block two with "
        "methotrexate 1 g/m2 and cytarabine 150 mg/m2, repeated twice from June 2018."
    )
    assert len(x.lines) == 1
    doses = {e.drug: (e.dose_amount, e.dose_unit, e.line_no) for e in x.exposures}
    assert doses == {
        "ifosfamide": (1500.0, "mg/m2", 1),
        "etoposide": (100.0, "mg/m2", 1),
        "methotrexate": (1.0, "g/m2", 1),
        "cytarabine": (150.0, "mg/m2", 1),
    }


# --- 3. the same drug after a progression is a new line -----------------------------------------


def test_a_drug_given_at_a_higher_dose_after_progression_is_a_new_line() -> None:
    x = _run(
        "A 57-year-old man had metastatic lung adenocarcinoma with an EGFR L858R mutation. "
        "Erlotinib 150 mg daily was started in February 2016. In May 2017 new bone lesions "
        "showed progression. Erlotinib at 300 mg daily was given next."
    )
    assert _line_drugs(x) == [("erlotinib",), ("erlotinib",)]
    assert [e.dose_amount for e in x.exposures if e.line_no == 2] == [300.0]
    assert x.lines[0].pfs_event == "progression"


def test_a_drug_given_with_a_new_partner_after_progression_is_a_new_line() -> None:
    x = _run(
        "A 64-year-old woman had metastatic lung adenocarcinoma with EGFR exon 19 deletion. "
        "She took icotinib 125 mg three times daily from March 2015. A CT in August 2016 "
        "found the lung mass enlarged, consistent with progressive disease. Icotinib with "
        "pemetrexed 500 mg/m2 was then given."
    )
    assert _line_drugs(x) == [("icotinib",), ("icotinib", "pemetrexed")]


def test_a_drug_named_again_without_progression_stays_in_its_line() -> None:
    x = _run(
        "A 57-year-old man had metastatic lung adenocarcinoma with an EGFR L858R mutation. "
        "Erlotinib 150 mg daily was started in February 2016. In May 2017 the bone lesions "
        "were stable. Erlotinib was continued."
    )
    assert _line_drugs(x) == [("erlotinib",)]


# --- the last line's PFS event: a death told in the sentence that names its drugs -------------


def test_an_undated_death_told_with_the_lines_drugs_closes_it() -> None:
    x = _run(
        "A 70-year-old man had metastatic pancreatic cancer with liver metastases. In spite of "
        "chemotherapy with gemcitabine and capecitabine, his condition declined and he died "
        "in a hospice."
    )
    assert [(line.drugs, line.pfs_event) for line in x.lines] == [
        (("capecitabine", "gemcitabine"), "death")
    ]


def test_a_death_told_before_the_line_does_not_close_it() -> None:
    x = _run(
        "A 70-year-old man had metastatic pancreatic cancer with liver metastases. His brother "
        "had died of the same cancer. He then received gemcitabine 1000 mg/m2 weekly."
    )
    assert [line.pfs_event for line in x.lines] == [None]


def test_induction_and_consolidation_are_one_line_and_a_relapse_closes_it() -> None:
    x = _run(
        "A 44-year-old woman had acute myeloid leukaemia with a FLT3 mutation. Induction with "
        "idarubicin 12 mg/m2 and cytarabine 100 mg/m2 was followed by consolidation with "
        "cytarabine 1.5 g/m2. She relapsed in March 2019. Salvage with fludarabine 30 mg/m2 "
        "and cytarabine 2 g/m2 then began."
    )
    assert [(line.drugs, line.pfs_event) for line in x.lines] == [
        (("cytarabine", "idarubicin"), "progression"),
        (("cytarabine", "fludarabine"), None),
    ]
    assert x.lines[0].pfs_event_date is not None


def test_a_drug_continued_beyond_progression_stays_in_its_line() -> None:
    x = _run(
        "A 59-year-old woman had metastatic lung adenocarcinoma with an ALK fusion. Alectinib "
        "600 mg twice daily was started in April 2018. In June 2019 one adrenal metastasis "
        "progressed and was treated with stereotactic radiotherapy. Alectinib was continued "
        "after the radiotherapy."
    )
    assert [line.drugs for line in x.lines] == [("alectinib",)]


def test_then_before_a_drugs_own_restart_verb_keeps_its_new_partner() -> None:
    x = _run(
        "A 66-year-old man had metastatic urothelial cancer with lung metastases. He received "
        "gemcitabine 1000 mg/m2 and cisplatin 70 mg/m2 for six cycles from May 2016. In March "
        "2017 the disease progressed in the lungs. Gemcitabine was then resumed together "
        "with carboplatin AUC 4."
    )
    assert [(line.drugs, line.pfs_event) for line in x.lines] == [
        (("cisplatin", "gemcitabine"), "progression"),
        (("carboplatin", "gemcitabine"), None),
    ]


def test_a_then_after_a_drugs_own_verb_still_starts_the_next_episode() -> None:
    x = _run(
        "A 66-year-old man had metastatic urothelial cancer with lung metastases. Gemcitabine "
        "was given from May 2016, then carboplatin was added in September 2016."
    )
    episodes = {e.drug: e.episode for e in x.exposures}
    assert episodes["gemcitabine"] != episodes["carboplatin"]
