"""Doses of one drug told as steps, and dose changes told beside a new drug, on made-up
case texts through the real mention layer (transform/events/episodes.py, dose_changes.py)."""

from __future__ import annotations

from datetime import date

from tests.textdoc import document_from_text
from transform.pipeline import transform_document
from transform.records import Extraction


def _run(story: str) -> Extraction:
    return transform_document(document_from_text(f"Case 1\n\n{story}\n"))


def _lines(ext: Extraction) -> list[tuple[str, ...]]:
    return [tuple(sorted(line.drugs)) for line in ext.lines]


def _doses(ext: Extraction, drug: str) -> set[tuple[float | None, str | None]]:
    return {(e.dose_amount, e.dose_unit) for e in ext.exposures if e.drug == drug}


def test_a_loading_dose_then_a_maintenance_dose_is_one_regimen() -> None:
    ext = _run(
        "A 61-year-old woman with metastatic gastric cancer was given cisplatin 80 mg/m2 and "
        "trastuzumab 8 mg/kg loading then 6 mg/kg every three weeks from 3 June 2020."
    )
    assert _lines(ext) == [("cisplatin", "trastuzumab")]
    assert _doses(ext, "trastuzumab") == {(8.0, "mg/kg"), (6.0, "mg/kg")}


def test_each_drug_keeps_its_own_stepped_doses() -> None:
    ext = _run(
        "A 52-year-old woman with metastatic breast cancer received trastuzumab 4 mg/kg "
        "loading dose followed by 2 mg/kg and pertuzumab 840 mg loading then 420 mg every "
        "three weeks from 7 July 2021."
    )
    assert _lines(ext) == [("pertuzumab", "trastuzumab")]
    assert _doses(ext, "trastuzumab") == {(4.0, "mg/kg"), (2.0, "mg/kg")}
    assert _doses(ext, "pertuzumab") == {(840.0, "mg"), (420.0, "mg")}


def test_a_bolus_then_an_infusion_inside_a_regimen_keeps_one_line() -> None:
    ext = _run(
        "A 55-year-old man with liver metastases of rectal cancer started mFOLFOX6 "
        "(oxaliplatin 85 mg/m2, fluorouracil 400 mg/m2 bolus then 2400 mg/m2 over 46 hours) "
        "with panitumumab on 2 February 2021."
    )
    assert len(ext.lines) == 1
    assert {"oxaliplatin", "fluorouracil", "panitumumab"} <= set(ext.lines[0].drugs)
    assert _doses(ext, "fluorouracil") >= {(400.0, "mg/m2"), (2400.0, "mg/m2")}


def test_then_between_two_drugs_is_still_a_sequence() -> None:
    ext = _run(
        "A 48-year-old woman with metastatic breast cancer received paclitaxel 80 mg/m2 "
        "weekly from 4 May 2018, then capecitabine 1000 mg/m2 twice daily from 9 January 2019."
    )
    assert _lines(ext) == [("paclitaxel",), ("capecitabine",)]


def test_a_dose_reduction_told_with_a_new_supportive_drug_is_kept() -> None:
    ext = _run(
        "A 70-year-old man with metastatic prostate cancer received docetaxel 75 mg/m2 from "
        "1 March 2019. Docetaxel was lowered to 60 mg/m2 for grade 4 neutropenia, and "
        "pegfilgrastim was added."
    )
    assert _lines(ext) == [("docetaxel",)]
    assert _doses(ext, "docetaxel") == {(75.0, "mg/m2"), (60.0, "mg/m2")}
    assert "pegfilgrastim" in {e.drug for e in ext.exposures}


def test_a_dose_escalation_beside_a_newly_started_drug() -> None:
    ext = _run(
        "A 66-year-old woman with metastatic renal cell carcinoma started sunitinib 37.5 mg "
        "daily on 5 April 2017. Sunitinib was increased to 50 mg daily, and amlodipine was "
        "started for hypertension."
    )
    assert _lines(ext) == [("sunitinib",)]
    assert _doses(ext, "sunitinib") == {(37.5, "mg"), (50.0, "mg")}


def test_a_completion_date_ends_the_treatment_it_completes() -> None:
    """'completed ... in <date>' closes the episode: the date is its end, not its start."""
    ext = _run(
        "A 39-year-old woman had a lumpectomy for breast cancer in May 2012. She received "
        "adjuvant docetaxel with trastuzumab and completed a year of trastuzumab in July 2013."
    )
    rows = {(e.drug, e.start_date, e.end_date) for e in ext.exposures}
    assert ("trastuzumab", None, date(2013, 7, 1)) in rows
    ext = _run(
        "A 58-year-old man with rectal cancer finished six cycles of adjuvant capecitabine "
        "on 4 October 2016."
    )
    assert {(e.start_date, e.end_date) for e in ext.exposures} == {(None, date(2016, 10, 4))}
