"""Lesion sizes told in running text: lists of sizes, sizes after a change verb, and the
'from' size of a change as the earlier time point (made-up case text)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions

Row = tuple[date | None, str | None, float, float | None]


def _rows(*sentences: str) -> set[Row]:
    body = "Case 1\n\nA 61-year-old man had metastatic rectal cancer. " + " ".join(sentences) + "\n"
    doc = document_from_text(body)
    x = transform_mentions(doc, extract_mentions(doc))
    return {(m.measured_on, m.site, m.dim1_cm, m.dim2_cm) for m in x.lesions}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "An MRI on 4 April 2019 found three lung nodules of 1.8 cm, 1.1 cm and 0.6 cm.",
            {(date(2019, 4, 4), "lung", 1.8, None), (date(2019, 4, 4), "lung", 1.1, None),
             (date(2019, 4, 4), "lung", 0.6, None)},
        ),
        (
            "In October 2020 a CT showed two hepatic lesions measuring 41 mm and 25 mm.",
            {(date(2020, 10, 1), "hepatic", 4.1, None), (date(2020, 10, 1), "hepatic", 2.5, None)},
        ),
    ],
)  # fmt: skip
def test_a_list_of_sizes_gives_a_row_per_lesion(sentence: str, expected: set[Row]) -> None:
    assert _rows(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "By July 2021 the nodule had regressed to 0.9 cm.",
            {(date(2021, 7, 1), "nodule", 0.9, None)},
        ),
        ("On 2 May 2017 the mass was enlarged to 6 cm.", {(date(2017, 5, 2), "mass", 6.0, None)}),
    ],
)
def test_a_size_after_a_change_verb(sentence: str, expected: set[Row]) -> None:
    assert _rows(sentence) == expected


def test_the_from_size_is_the_earlier_undated_point() -> None:
    got = _rows("In March 2018 the adrenal lesion decreased from 4.4 x 3.9 cm to 2.0 x 1.7 cm.")
    assert got == {(None, "adrenal", 4.4, 3.9), (date(2018, 3, 1), "adrenal", 2.0, 1.7)}


def test_the_from_size_restating_a_dated_size_is_that_measurement() -> None:
    got = _rows(
        "A CT on 9 January 2016 showed a 5.1 cm liver metastasis.",
        "In June 2016 the liver metastasis had shrunk from 5.1 cm to 2.2 cm.",
    )
    assert got == {(date(2016, 1, 9), "liver", 5.1, None), (date(2016, 6, 1), "liver", 2.2, None)}


def test_a_dose_after_a_lesion_is_not_a_size() -> None:
    got = _rows("In May 2015 a 2.5 cm nodule was found and 80 mg of drug X and 40 mg were given.")
    assert got == {(date(2015, 5, 1), "nodule", 2.5, None)}
