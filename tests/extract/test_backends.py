"""The pdfium backend hands the layout the same words as pdfplumber, so the same blocks come out.

Equivalence, per fixture PDF: pdfplumber's body text is found in pdfium's, in order, at
EQUIVALENT of its word tokens (tests/extract/golden.py), and the headings, captions, patient
segments and bibliographic facts are identical. PDFs where that cannot hold are listed with
the reason in backend_gaps.yaml, with what still holds there.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
import yaml

from extract.pdf import read_document
from extract.records import Document
from extract.words import words_from_page
from extract.words_pdfium import page_words

from .conftest import FIXTURES, FRONTIERS, ROOT, SEED
from .golden import alignment

EQUIVALENT = 0.995
GAPS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("backend_gaps.yaml")).read_text(encoding="utf-8")
)
ROBUST = sorted((FIXTURES / "robust").glob("*.pdf"))
QUICK = [SEED, FRONTIERS, FIXTURES / "jmcr-7-184-duodenal-gist.pdf", *ROBUST[:2]]
EVERY = sorted({*QUICK, *(ROOT / "corpus").glob("*.pdf"), *FIXTURES.glob("*.pdf"), *ROBUST})


def _body(doc: Document) -> str:
    return " ".join(b.text for b in doc.body())


def _blocks(doc: Document) -> dict[str, object]:
    return {
        "headings": [b.text for b in doc.blocks if b.kind == "heading"],
        "captions": [b.text for b in doc.captions()],
        "cases": [(c.case_id, c.heading, c.first_page) for c in doc.cases],
        "meta": doc.meta,
    }


def _check(path: Path) -> None:
    reference = read_document(path, backend="pdfplumber")
    fast = read_document(path, backend="pdfium")
    share, where = alignment(_body(reference), _body(fast))
    same = _blocks(reference) == _blocks(fast)
    gap = GAPS.get(path.name)
    if gap is None:
        assert share >= EQUIVALENT, f"{path.name}: {share:.4f} of the tokens; {where}"
        assert _blocks(fast) == _blocks(reference)
        return
    assert share >= gap["min_alignment"], f"{path.name}: {share:.4f}; {where}"
    if gap["same_blocks"]:
        assert _blocks(fast) == _blocks(reference)
    assert share < EQUIVALENT or not same, (
        f"{path.name} is now equivalent: take it off tests/extract/backend_gaps.yaml"
    )


@pytest.mark.parametrize("path", QUICK, ids=lambda p: p.name)
def test_both_backends_give_the_same_document(path: Path) -> None:
    _check(path)


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in EVERY if p not in QUICK], ids=lambda p: p.name)
def test_both_backends_give_the_same_document_on_every_fixture(path: Path) -> None:
    _check(path)


def test_the_gap_list_names_fixtures_that_exist() -> None:
    names = {p.name for p in EVERY}
    assert set(GAPS) <= names, sorted(set(GAPS) - names)
    assert all(entry["reason"] and entry["min_alignment"] > 0 for entry in GAPS.values())


def _word_keys(words: Any) -> Counter[tuple[str, int, int, bool, bool]]:
    return Counter((w.text, round(w.x0), round(w.top), w.bold, w.italic) for w in words)


def test_a_turned_page_gives_the_same_words_in_the_same_frame() -> None:
    """Page 3 of the Frontiers article is /Rotate 90 (a landscape table)."""
    import pdfplumber

    with pdfplumber.open(FRONTIERS) as pdf:
        page = pdf.pages[2]
        assert page.rotation == 90
        reference = words_from_page(page, 3)
    fast = page_words(pdfium.PdfDocument(FRONTIERS)[2], 3)
    assert (round(fast.width), round(fast.height)) == (
        round(reference.width),
        round(reference.height),
    )
    assert len(reference.words) > 100
    ref, got = _word_keys(reference.words), _word_keys(fast.words)
    missing = ref - got
    # a word whose x0 sits on a rounding boundary may shift by one point
    assert sum(missing.values()) <= 0.01 * len(reference.words), list(missing)[:10]


def test_figure_images_are_found_in_the_same_place() -> None:
    import pdfplumber

    with pdfplumber.open(FRONTIERS) as pdf:
        reference = [words_from_page(p, i + 1) for i, p in enumerate(pdf.pages)]
    doc = pdfium.PdfDocument(FRONTIERS)
    fast = [page_words(doc[i], i + 1) for i in range(len(doc))]
    assert any(p.figure_boxes for p in reference)
    for a, b in zip(reference, fast, strict=True):
        assert a.n_images == b.n_images
        assert [tuple(round(v) for v in box) for box in a.figure_boxes] == [
            tuple(round(v) for v in box) for box in b.figure_boxes
        ]


def test_both_backends_see_the_same_table_rules() -> None:
    """The table finder reads horizontal rules: PDFium's path objects must give the edges
    pdfplumber's `horizontal_edges` gives, page by page (the Frontiers PDF rules two tables)."""

    def rounded(rules: tuple[tuple[float, float, float, float], ...]) -> list[tuple[int, ...]]:
        return sorted(tuple(round(v) for v in r) for r in rules)

    plumber = pdfplumber.open(FRONTIERS)
    other = pdfium.PdfDocument(FRONTIERS)
    try:
        seen = 0
        for i, page in enumerate(plumber.pages):
            expected = rounded(words_from_page(page, i + 1).rules)
            assert rounded(page_words(other[i], i + 1).rules) == expected, i + 1
            seen += len(expected)
        assert seen >= 6  # two booktabs tables: three rules each at least
    finally:
        plumber.close()
        other.close()
