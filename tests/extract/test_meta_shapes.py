"""A citation shape searches its tail first (extract/meta.py, Shape): the same matches as
the whole pattern searched alone, on texts that carry a citation and texts that do not."""

from __future__ import annotations

import pytest

from extract.meta import ABBREV_PATTERNS, CITATION_PATTERNS, Shape, find_citation

TEXTS = (
    "Oncol Lett 2019;17(3):2901-2908 doi:10.3892/ol.2019.1234",
    "Clin Case Rep. 2020 Mar; 8(4): 611-615",
    "Cite this article: Smith J. A rare tumour. Curr Oncol 12:4411",
    "Annals of Clinical Oncology, Vol 7, No 2 March 2018",
    "Annals of Clinical Oncology | www.example.org 3 June 2020 | Volume 5 | Article 99123",
    "Reports in Haematology Volume 2019, Article ID 5550123, 6 pages",
    "Journal of Rare Tumours 2015, 9:211",
    "The patient received 4 cycles; 2 of them at 75% dose: 3 weeks apart.",
    "A 61-year-old Woman Presented With Fever In 2017, 3 Days After Surgery",
    "seen at noon in 2017, 3:45 pm and again in 2018;4(2):7",
    "",
)


@pytest.mark.parametrize("shape", [*ABBREV_PATTERNS, *CITATION_PATTERNS])
@pytest.mark.parametrize("text", TEXTS)
def test_shape_finds_what_the_whole_pattern_finds(shape: Shape, text: str) -> None:
    got = shape.search(text)
    want = shape.full.search(text)
    assert (got.span() if got else None) == (want.span() if want else None)
    assert (got.groupdict() if got else None) == (want.groupdict() if want else None)


def test_every_shape_ends_with_its_tail() -> None:
    for shape in (*ABBREV_PATTERNS, *CITATION_PATTERNS):
        assert shape.full.pattern.endswith(shape.tail.pattern)
        assert len(shape.tail.pattern) < len(shape.full.pattern)


def test_citations_of_each_shape_are_still_read() -> None:
    found = find_citation(["Oncol Lett 2019;17(3):2901-2908"])
    assert (found["journal"], found["year"], found["volume"], found["issue"]) == (
        "Oncol Lett",
        "2019",
        "17",
        "3",
    )
    found = find_citation(["Journal of Rare Tumours 2015, 9:211"])
    assert (found["year"], found["volume"], found["pages"]) == ("2015", "9", "211")
    assert find_citation(["The patient received 4 cycles; 2 of them at 75% dose."]) == {}
