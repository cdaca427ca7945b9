"""A size measures a tumour only when no other object is named next to it: an aneurysm,
cyst, haematoma or benign growth has no RECIST sum (transform/events/clinical.py:
measures_other_object). Made-up sentences."""

from __future__ import annotations

import pytest

from transform.events.clinical import measures_other_object


def _at(sentence: str, size: str) -> bool:
    start = sentence.index(size)
    return measures_other_object(sentence, start, start + len(size))


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("CT angiography showed an infrarenal aortic aneurysm of 58 x 120 mm.", "58 x 120 mm"),
        ("A 4.5 x 3.8 cm simple cyst sat in the left kidney.", "4.5 x 3.8 cm"),
        ("The haematoma behind the spleen measured 9 cm.", "9 cm"),
        ("Colonoscopy removed a 12 mm sessile polyp.", "12 mm"),
    ],
)
def test_a_size_of_another_object(sentence: str, size: str) -> None:
    assert _at(sentence, size)


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("A 3.2 x 2.5 cm mass in the right lower lobe had grown.", "3.2 x 2.5 cm"),
        ("The liver metastasis measured 41 mm; a small renal cyst was unchanged.", "41 mm"),
        ("Beside a portal vein thrombus, the hepatic nodule measured 2.4 cm.", "2.4 cm"),
    ],
)
def test_a_size_of_a_tumour(sentence: str, size: str) -> None:
    assert not _at(sentence, size)
