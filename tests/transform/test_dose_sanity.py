"""Dose sanity: a dose is its own clause's drug's; a micro sign the PDF reader set apart is
recovered, or a unit only a lost micro sign explains is dropped (transform/mentions/values.py:
recover_micro, transform/events/episodes.py:_doses). Made-up case texts."""

from __future__ import annotations

import pytest

from tests.textdoc import document_from_text
from transform.mentions.values import recover_micro
from transform.pipeline import transform_document
from transform.records import Extraction


def _run(story: str) -> Extraction:
    return transform_document(document_from_text(f"Case 1\n\n{story}\n"))


def _doses(ext: Extraction, drug: str) -> set[tuple[float | None, str | None]]:
    return {(e.dose_amount, e.dose_unit) for e in ext.exposures if e.drug == drug}


@pytest.mark.parametrize(
    ("dose", "sentence", "expected"),
    [
        (
            (0.2, "g/kg/min"),
            "He needed noradrenaline 𝜇 at 0.2 g/kg/min overnight.",
            (0.2, "ug/kg/min"),
        ),
        ((50.0, "g"), "Fentanyl 50 g was given, μ with midazolam.", (50.0, "ug")),
        ((4.0, "g/kg/min"), "Dobutamine ran at 4 g/kg/min for two days.", (None, None)),
        ((2.0, "g"), "Cefazolin 2 g was given before the incision.", (2.0, "g")),
        ((60.0, "mg/m2"), "Docetaxel 60 mg/m2 𝜇 was given.", (60.0, "mg/m2")),
    ],
)
def test_a_lost_micro_sign(
    dose: tuple[float, str], sentence: str, expected: tuple[float | None, str | None]
) -> None:
    assert recover_micro(*dose, sentence) == expected


def test_a_dose_after_a_class_word_is_not_a_later_drugs() -> None:
    ext = _run(
        "A 59-year-old man with metastatic renal cell carcinoma came to the 𝜇 intensive care "
        "unit on inotropic support 5 g/kg/min, where sunitinib 50 mg daily was later resumed "
        "on 2 May 2021 together with meropenem."
    )
    assert _doses(ext, "sunitinib") == {(50.0, "mg")}
    assert all(e.dose_unit != "ug/kg/min" for e in ext.exposures)


def test_a_lone_dose_before_its_drug_still_goes_to_it() -> None:
    ext = _run(
        "A 66-year-old woman with metastatic breast cancer was given 175 mg/m2 of paclitaxel "
        "on 3 March 2020."
    )
    assert _doses(ext, "paclitaxel") == {(175.0, "mg/m2")}
