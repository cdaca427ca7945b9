"""Which mentions of a drug open an exposure, through the mention layer on made-up case texts.

Only a start (received, was given, was started on, a dose statement of a drug not yet given)
opens one. A drug named again once it runs (as the cause of a toxicity, in a recommendation to
stop it, continued, tolerated) joins its exposure; a drug named as an option or hypothesis is
not given. Doses: a dose statement without a start cue is still the drug's exposure (or a dose
row of the running one); a bracketed per-m2 equivalent is its own, correctly unitised row; a
radiation dose or its fractions never become a drug's dose or schedule.
"""

from __future__ import annotations

from datetime import date

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.records import DrugExposure, Line


def _run(body: str) -> tuple[tuple[DrugExposure, ...], tuple[Line, ...]]:
    doc = document_from_text("Case 1\n\n" + body)
    x = transform_mentions(doc, extract_mentions(doc))
    return x.exposures, x.lines


def _episodes(exposures: tuple[DrugExposure, ...], drug: str) -> set[int]:
    return {e.episode for e in exposures if e.drug == drug}


# --- class 1: a drug named again is not a new exposure ---------------------------------------


def test_a_running_drug_named_as_cause_and_stopped_stays_one_exposure_and_line() -> None:
    exposures, lines = _run(
        "A 58-year-old woman had metastatic breast cancer with liver metastases. From May 3, "
        "2016, she received paclitaxel 80 mg/m2 weekly. Her liver lesions decreased in size. "
        "In July 2016 she developed peripheral neuropathy, which was attributed to paclitaxel. "
        "The neurologist recommended stopping further treatment with paclitaxel. Weekly "
        "chemotherapy with paclitaxel was the preferred option of her oncologist. She was "
        "seen again in August 2016."
    )
    assert len(_episodes(exposures, "paclitaxel")) == 1
    assert [line.drugs for line in lines] == [("paclitaxel",)]


def test_a_drug_continued_and_tolerated_later_joins_its_exposure() -> None:
    exposures, lines = _run(
        "A 66-year-old man had metastatic colon cancer with lung metastases. He was started on "
        "capecitabine 1000 mg/m2 twice daily. A CT scan in March 2019 showed stable disease. "
        "His blood counts were normal. He complained of mild fatigue. His weight was stable. "
        "Therapy with capecitabine was continued for six cycles. "
        "He tolerated capecitabine-related hand-foot syndrome with emollients."
    )
    assert len(_episodes(exposures, "capecitabine")) == 1
    (row,) = [e for e in exposures if e.drug == "capecitabine"]
    assert (row.dose_amount, row.cycles) == (1000, 6)
    assert len(lines) == 1


def test_a_drug_given_again_told_as_such_is_a_new_exposure() -> None:
    exposures, _ = _run(
        "A 49-year-old woman had metastatic ovarian cancer with peritoneal metastases. She "
        "received carboplatin AUC 5 every 3 weeks. Her CA-125 normalised. Her nausea resolved. "
        "Two years later, carboplatin was rechallenged for a new peritoneal nodule."
    )
    assert len(_episodes(exposures, "carboplatin")) == 2


def test_drugs_named_only_as_options_or_hypotheses_are_not_given() -> None:
    exposures, _ = _run(
        "A 71-year-old man had metastatic prostate cancer with bone metastases. He received "
        "docetaxel 75 mg/m2 every 3 weeks. Treatment with cabazitaxel was considered as an "
        "alternative. The team discussed whether enzalutamide could be given instead. "
        "Her rash was caused by treatment with amoxicillin."
    )
    assert {e.drug for e in exposures} == {"docetaxel"}


def test_given_as_a_preposition_starts_nothing() -> None:
    exposures, _ = _run(
        "A 62-year-old woman had metastatic melanoma with lung metastases. "
        "Given the rapid growth of her lung lesions and her good performance status, the "
        "tumour board discussed pembrolizumab with her. "
        "Given her allergy to contrast agents, dexamethasone premedication was discussed."
    )
    assert exposures == ()


# --- class 2: dose statements without a start cue --------------------------------------------


def test_a_dose_statement_gives_the_drug_an_exposure_with_that_dose() -> None:
    exposures, _ = _run(
        "A 35-year-old man had glioblastoma. He had two seizures in May 2018. "
        "The dose of levetiracetam was titrated up to 1500 mg twice daily. "
        "In June 2018, sotalol was increased to 160 mg daily."
    )
    got = {(e.drug, e.dose_amount, e.dose_unit, e.start_date) for e in exposures}
    assert ("levetiracetam", 1500, "mg", None) in got
    assert ("sotalol", 160, "mg", date(2018, 6, 1)) in got


def test_a_dose_statement_of_a_running_drug_is_a_dated_row_of_its_exposure() -> None:
    exposures, _ = _run(
        "A 52-year-old woman had metastatic adrenocortical carcinoma. She was started on "
        "hydrocortisone 20 mg daily. Her blood pressure fell. "
        "The maximum dose of hydrocortisone reached 40 mg daily in June 2018."
    )
    rows = sorted(
        ((e.dose_amount, e.start_date, e.episode) for e in exposures if e.drug == "hydrocortisone"),
        key=lambda r: r[0] or 0,
    )
    assert [r[:2] for r in rows] == [(20, None), (40, date(2018, 6, 1))]
    assert len({r[2] for r in rows}) == 1


def test_a_hypothetical_dose_statement_gives_nothing() -> None:
    exposures, _ = _run(
        "A 80-year-old man had metastatic pancreatic cancer with liver metastases. "
        "If needed, the dose of morphine could be increased to 10 mg every 4 hours."
    )
    assert [e for e in exposures if e.drug == "morphine"] == []


# --- class 3: paired doses and radiation doses ------------------------------------------------


def test_bracketed_per_m2_equivalents_keep_their_own_unit() -> None:
    exposures, _ = _run(
        "A 45-year-old woman had breast cancer. After surgery she received adjuvant "
        "chemotherapy (docetaxel 120mg [75mg/m2]+ cyclophosphamide 960mg [600mg/m2]) for four "
        "cycles."
    )
    got = sorted((e.drug, e.dose_amount, e.dose_unit) for e in exposures)
    assert got == [
        ("cyclophosphamide", 600, "mg/m2"),
        ("cyclophosphamide", 960, "mg"),
        ("docetaxel", 75, "mg/m2"),
        ("docetaxel", 120, "mg"),
    ]


def test_radiation_doses_and_fractions_are_never_a_drugs() -> None:
    exposures, _ = _run(
        "A 57-year-old man had head and neck cancer with lymph node metastases. He received "
        "chemoradiotherapy (cisplatin 40mg/m2 weekly; 7000cGy in 35 fractions). "
        "The patient received a dose of 50 Gy in 25 fractions to the neck."
    )
    got = [(e.drug, e.dose_amount, e.dose_unit, e.schedule) for e in exposures]
    assert got == [("cisplatin", 40, "mg/m2", "weekly")]


# --- class 4: the drug's own sentence is its evidence -----------------------------------------


def test_a_lab_value_in_capitalised_units_ends_its_sentence() -> None:
    exposures, _ = _run(
        "A 29-year-old man had metastatic testicular cancer with lung metastases. "
        "His AFP level was 12.0 ng/mL. Four cycles of etoposide were given. "
        "His LDH was 300 U/L. Bleomycin was added."
    )
    sentences = {e.drug: e.prov.sentence for e in exposures}
    assert sentences["etoposide"] == "Four cycles of etoposide were given."
    assert sentences["bleomycin"] == "Bleomycin was added."


def test_a_treatment_told_as_infeasible_is_not_given_and_the_alternative_is() -> None:
    exposures, _ = _run(
        "A 90-year-old woman had metastatic lymphoma with bone involvement. Owing to her "
        "frailty, it was difficult to administer chemotherapy with rituximab, so low-dose "
        "oral etoposide (50 mg/day d1-14, q28) was administered. Because she was too frail "
        "for surgery or for treatment with bendamustine, chlorambucil 2 mg daily was given."
    )
    assert {e.drug for e in exposures} == {"etoposide", "chlorambucil"}


# --- a dated stop of a running drug ends its exposure -----------------------------------------


def test_a_dated_stop_of_a_running_drug_ends_its_exposure() -> None:
    exposures, lines = _run(
        "A 63-year-old man had metastatic hepatocellular carcinoma with lung metastases. "
        "From March 2, 2015, he received sorafenib 400 mg twice daily. His AFP fell. "
        "Sorafenib was discontinued on August 14, 2015, because of grade 3 diarrhoea."
    )
    (row,) = [e for e in exposures if e.drug == "sorafenib"]
    assert (row.start_date, row.end_date) == (date(2015, 3, 2), date(2015, 8, 14))
    assert lines[0].end_date == date(2015, 8, 14)


def test_a_stop_of_one_drug_of_a_regimen_does_not_end_the_regimen() -> None:
    exposures, _ = _run(
        "A 55-year-old woman had metastatic colon cancer with liver metastases. "
        "In January 2018, she received oxaliplatin 85 mg/m2 and capecitabine 1000 mg/m2. "
        "In April 2018, oxaliplatin was withdrawn for neuropathy."
    )
    assert {e.end_date for e in exposures} == {None}


def test_a_drug_started_because_of_something_else_is_still_started() -> None:
    exposures, _ = _run(
        "A 60-year-old man had metastatic lung cancer with adrenal metastases. "
        "He received carboplatin AUC 5 every 3 weeks. "
        "Due to disease progression nivolumab was started in May 2017. "
        "Because of worsening dyspnoea, oral prednisolone 30 mg daily was given, "
        "the standard option for pneumonitis."
    )
    assert {e.drug for e in exposures} >= {"carboplatin", "nivolumab", "prednisolone"}
