"""Drugs named only inside a treatment summary, through the mention layer on made-up texts.

Class 1 of issue 20: 'the therapy included chemotherapy (X, Y)', 'the schedule was as
follows: X ... and Y ...' name the drugs given, each an exposure with its own dose, without a
treatment verb of their own. A summary told right after a course without drugs ('six cycles
of adjuvant chemotherapy were given') is that course's content and takes its setting and
cycles; a drug given 'concurrently' shares the setting of the treatment just told. A period
inside a bracketed aside (a manufacturer's address) ends no sentence.
"""

from __future__ import annotations

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.mentions.nlp import get_nlp
from transform.mentions.values import parse_dose
from transform.records import DrugExposure, Extraction


def _run(body: str) -> Extraction:
    doc = document_from_text("Case 1\n\n" + body)
    return transform_mentions(doc, extract_mentions(doc))


def _doses(x: Extraction) -> dict[str, tuple[float | None, str | None]]:
    return {e.drug: (e.dose_amount, e.dose_unit) for e in x.exposures}


def _by_drug(x: Extraction) -> dict[str, DrugExposure]:
    return {e.drug: e for e in x.exposures}


# --- drugs inside a summary are given ----------------------------------------------------------


def test_drugs_in_brackets_of_a_treatment_that_included_them_are_given() -> None:
    x = _run(
        "A 47-year-old woman had metastatic endometrial carcinoma with lung metastases. Her "
        "salvage therapy included cytoreduction and later chemotherapy (gemcitabine and "
        "docetaxel), with pelvic radiotherapy."
    )
    assert {e.drug for e in x.exposures} == {"gemcitabine", "docetaxel"}
    assert [line.drugs for line in x.lines] == [("docetaxel", "gemcitabine")]


def test_each_drug_of_a_schedule_told_as_follows_keeps_its_own_dose() -> None:
    x = _run(
        "A 59-year-old man had metastatic rectal cancer with liver metastases. The palliative "
        "chemotherapy schedule was as follows: irinotecan 180 mg/m2 on day 1, and "
        "capecitabine 1000 mg/m2 twice daily on days 1 to 14."
    )
    assert _doses(x) == {"irinotecan": (180.0, "mg/m2"), "capecitabine": (1000.0, "mg/m2")}
    assert len(x.lines) == 1


def test_a_planned_regimen_that_comprised_drugs_gives_none() -> None:
    x = _run(
        "A 66-year-old man had metastatic gastric cancer with peritoneal metastases. The "
        "planned regimen comprised oxaliplatin and capecitabine. He died of sepsis before it "
        "began."
    )
    assert x.exposures == ()


# --- a summary describes the course just told ---------------------------------------------------


def test_a_summary_after_a_course_without_drugs_takes_its_setting_and_cycles() -> None:
    x = _run(
        "A 52-year-old man had stage IV lung adenocarcinoma with a single adrenal metastasis. "
        "The lung primary and the adrenal metastasis were both resected. Afterwards six "
        "cycles of adjuvant chemotherapy were given. The regimen comprised pemetrexed "
        "500 mg/m2 and cisplatin 75 mg/m2."
    )
    rows = _by_drug(x)
    assert {d: (e.setting, e.cycles) for d, e in rows.items()} == {
        "pemetrexed": ("adjuvant", 6),
        "cisplatin": ("adjuvant", 6),
    }
    assert x.lines == ()


def test_a_summary_told_far_from_the_course_keeps_its_own_setting() -> None:
    x = _run(
        "A 52-year-old man had stage IV lung adenocarcinoma with a single adrenal metastasis. "
        "The lung primary and the adrenal metastasis were both resected. Afterwards six "
        "cycles of adjuvant chemotherapy were given. His cough improved. He returned to work. "
        "He moved house. He took up running. A brain metastasis appeared. The regimen then "
        "comprised pemetrexed 500 mg/m2 and carboplatin AUC 5."
    )
    assert {e.setting for e in x.exposures} == {"metastatic"}


def test_a_drug_given_concurrently_shares_the_setting_of_the_treatment_before_it() -> None:
    x = _run(
        "A 61-year-old woman had stage IV melanoma with one lung metastasis, both resected. "
        "She then received adjuvant chemotherapy with dacarbazine 1000 mg/m2. Simultaneously, "
        "interferon alfa-2b was given at 3 million units three times weekly."
    )
    assert {d: e.setting for d, e in _by_drug(x).items()} == {
        "dacarbazine": "adjuvant",
        "interferon alfa-2b": "adjuvant",
    }


def test_a_drug_not_told_as_concurrent_keeps_its_own_setting() -> None:
    x = _run(
        "A 61-year-old woman had stage IV melanoma with one lung metastasis, both resected. "
        "She then received adjuvant chemotherapy with dacarbazine 1000 mg/m2. A year later "
        "new liver metastases were found, and interferon alfa-2b was given at 3 million units "
        "three times weekly."
    )
    assert _by_drug(x)["interferon alfa-2b"].setting == "metastatic"


# --- sentences and doses --------------------------------------------------------------------------


def test_a_period_inside_a_bracketed_aside_ends_no_sentence() -> None:
    doc = get_nlp()(
        "Docetaxel was given on day 1 (Hengrui Medicine Co., Ltd., Jiangsu, China.), "
        "then cisplatin on day 2 (Qilu Co., Jinan, China.) plus fluorouracil. He recovered."
    )
    assert [s.text.split()[0] for s in doc.sents] == ["Docetaxel", "He"]


def test_a_capital_after_a_bracket_still_starts_a_sentence() -> None:
    doc = get_nlp()("The mass shrank (Fig. 2.) The patient is alive (see Table 1).")
    assert len(list(doc.sents)) == 2


def test_a_dose_per_square_metre_of_body_surface_is_per_m2() -> None:
    assert parse_dose("80 mg per square metre") == (80.0, "mg/m2")
    x = _run(
        "A 45-year-old woman had metastatic breast cancer with bone metastases. She received "
        "epirubicin at 90 mg per square meter of body surface area every 3 weeks."
    )
    assert _doses(x) == {"epirubicin": (90.0, "mg/m2")}


def test_a_regimen_introduced_by_a_colon_gives_each_drug_its_dose() -> None:
    x = _run(
        "A 50-year-old woman had metastatic gastric cancer with peritoneal metastases. "
        "Palliative regimen: oxaliplatin 130 mg/m2 on day 1 and S-1 40 mg twice daily on "
        "days 1 to 14."
    )
    assert _doses(x)["oxaliplatin"] == (130.0, "mg/m2")
    assert len(x.lines) == 1
