"""The pdfium backend hands the layout the same words as pdfplumber, so the same blocks come out.

Equivalence, per fixture PDF: pdfplumber's body text is found in pdfium's, in order, at
EQUIVALENT of its word tokens (tests/extract/golden.py), and the headings, captions, patient
segments and bibliographic facts are identical. PDFs where that cannot hold are listed with
the reason in backend_gaps.yaml, with what still holds there.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
import yaml

from extract.fonts import font_descents
from extract.pdf import read_document
from extract.records import Document
from extract.words import words_from_page
from extract.words_pdfium import page_words, read_pages
from tests.oddpdfs import raw_pdf

from .conftest import FIXTURES, FRONTIERS, ROOT, SEED
from .golden import alignment

EQUIVALENT = 0.995
GAPS: dict[str, dict[str, Any]] = (
    yaml.safe_load((Path(__file__).with_name("backend_gaps.yaml")).read_text(encoding="utf-8"))
    or {}
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
        "figures": [b.text for b in doc.blocks if b.kind == "figure"],
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


def test_turned_text_gives_the_same_words_in_the_same_frame() -> None:
    """Page 4 of the Frontiers article sets a table sideways on an upright page: its words
    are turned characters, grouped and turned as pdfplumber's are."""
    with pdfplumber.open(FRONTIERS) as pdf:
        reference = words_from_page(pdf.pages[3], 4)
    fast = page_words(pdfium.PdfDocument(FRONTIERS)[3], 4)
    assert len(reference.turned) > 100
    assert [w.text for w in fast.turned] == [w.text for w in reference.turned]
    assert _word_keys(fast.turned) == _word_keys(reference.turned)
    assert fast.turned_bbox == pytest.approx(reference.turned_bbox, abs=0.01)


def test_a_sideways_label_is_a_figure_block_with_either_backend(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.95, "Tumour markers measured during the second admission", fontsize=10)
    for i, row in enumerate(["CA 19-9 41 U/mL", "CEA 3.2 ng/mL"]):
        fig.text(0.3 + 0.05 * i, 0.2, row, fontsize=9, rotation=90)
    fig.text(0.7, 0.2, "axis label reading down", fontsize=9, rotation=-90)
    path = tmp_path / "sideways.pdf"
    fig.savefig(path, format="pdf")
    docs = [read_document(path, backend=b) for b in ("pdfplumber", "pdfium")]
    figures = [[b.text for b in d.blocks if b.kind == "figure"] for d in docs]
    assert figures[0] == figures[1]
    assert any("CEA 3.2" in text for text in figures[1])


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


# --- Fonts whose metrics PDFium and pdfminer read differently (PDFs written in the test) ---


def _to_unicode(pairs: dict[int, str]) -> bytes:
    lines = b"".join(b"<%02X> <%04X>\n" % (code, ord(text)) for code, text in pairs.items())
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        + b"%d beginbfchar\n" % len(pairs)
        + lines
        + b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


SMALL_L = 0xC8
"""A code the test font shows as a small-capital l, told as 'l' by its ToUnicode map."""
SMALL_L_WIDTH = 460
L_WIDTH = 320


def _font_pdf(content: bytes, ascent: int, descent: int) -> bytes:
    """One page in a non-embedded font of our own name: /Widths give 'l' (code 108) 320 and
    the small-capital l (SMALL_L) 460, both told as 'l'; every other letter 500 (wider than the ink
    of the font PDFium puts in its place)."""
    codes = {c: chr(c) for c in range(0x41, 0x7B) if chr(c).isalpha()}
    codes[SMALL_L] = "l"
    widths = [500] * 256
    widths[ord("l")] = L_WIDTH
    widths[SMALL_L] = SMALL_L_WIDTH
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /CaselinesSerif /FirstChar 0"
            b" /LastChar 255 /Widths [" + b" ".join(b"%d" % w for w in widths) + b"]"
            b" /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding"
            b" /Differences [200 /l.sc] >> /FontDescriptor 6 0 R /ToUnicode 7 0 R >>",
            b"<< /Type /FontDescriptor /FontName /CaselinesSerif /Flags 34"
            b" /FontBBox [-100 -250 1000 900] /ItalicAngle 0 /Ascent %d /Descent %d"
            b" /CapHeight 700 /StemV 80 >>" % (ascent, descent),
            _stream(_to_unicode(codes)),
        ]
    )


def _both(data: bytes) -> tuple[list[Any], list[Any]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        reference = list(words_from_page(pdf.pages[0], 1).words)
    words, _meta = read_pages(data, time.monotonic(), 60.0, 10)
    return reference, list(words[0].words)


def test_a_code_told_as_another_codes_letter_keeps_its_own_width() -> None:
    """'Tab' + small-capital l + 'e' set with the small capital's advance: pdfminer's box of
    the small capital is 4.6 pt wide at 10 pt, not the 3.2 pt of the font's plain 'l', so the
    gap to 'e' is nothing and the word is not cut ('Tabl e')."""
    content = b"BT /F1 10 Tf 72 700 Td <546162%02X65> Tj ET" % SMALL_L
    reference, fast = _both(_font_pdf(content, 700, -250))
    assert [w.text for w in reference] == ["Table"]
    assert [w.text for w in fast] == ["Table"]
    assert fast[0].x1 == pytest.approx(reference[0].x1, abs=0.01)


def test_a_plain_letter_beside_its_small_capital_keeps_the_plain_width() -> None:
    """Both codes told as 'l' in one run, in either order: each is boxed by its own width,
    so the word's right edge is where pdfminer puts it."""
    content = b"BT /F1 10 Tf 72 700 Td <6C%02X> Tj ET BT /F1 10 Tf 72 650 Td <%02X6C> Tj ET" % (
        SMALL_L,
        SMALL_L,
    )
    reference, fast = _both(_font_pdf(content, 700, -250))
    assert [w.text for w in fast] == [w.text for w in reference] == ["ll", "ll"]
    for ref, got in zip(reference, fast, strict=True):
        assert got.x1 == pytest.approx(ref.x1, abs=0.01)
    assert reference[0].x1 - reference[0].x0 == pytest.approx(0.01 * (L_WIDTH + SMALL_L_WIDTH))


@pytest.mark.parametrize(("ascent", "descent"), [(0, 0), (700, -250), (0, -120)])
def test_a_font_without_ascent_or_descent_is_boxed_from_the_baseline_as_pdfminer_does(
    ascent: int, descent: int
) -> None:
    """A descriptor giving /Ascent 0 and /Descent 0: pdfminer boxes the glyphs from the
    baseline, PDFium makes up a descent of its own; the words' boxes must still agree."""
    data = _font_pdf(b"BT /F1 10 Tf 72 700 Td (Tumour) Tj ET", ascent, descent)
    assert font_descents(data) == pytest.approx({"CaselinesSerif": descent / 1000})
    reference, fast = _both(data)
    assert [w.text for w in fast] == [w.text for w in reference] == ["Tumour"]
    assert fast[0].bottom == pytest.approx(reference[0].bottom, abs=0.01)
    assert fast[0].top == pytest.approx(reference[0].top, abs=0.01)
    assert reference[0].bottom == pytest.approx(792 - 700 - descent * 0.01)


def test_font_descents_of_a_pdf_pdfminer_cannot_read_are_none() -> None:
    assert font_descents(b"%PDF-1.7\n" + bytes(range(256)) * 4) == {}


def test_two_texts_on_one_baseline_come_out_alike_whatever_the_size_noise() -> None:
    """Web clutter overprinting a column: one text, another line, then a second text on the
    first one's baseline, all in one font and size. pdfminer's sizes differ in their last
    digits from line to line (a box height is a difference of two float64 coordinates), which
    cut pdfplumber's runs where PDFium's were not cut; rounded, both group the same runs and
    interleave the two texts the same way."""
    scaled = b"BT /F1 13.33008 Tf 1 0 0 1 %d %.5f Tm (%s) Tj ET"
    content = (
        b"q 0.75 0 0 0.75 0 0 cm "
        + scaled % (100, 100.13, b"Tumour")
        + scaled % (100, 515.21, b"Another line")
        + scaled % (103, 100.13, b"cells")
        + b" Q"
    )
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len({c["size"] for c in pdf.pages[0].chars}) > 1  # the noise is there
    reference, fast = _both(data)
    assert [w.text for w in fast] == [w.text for w in reference]
    assert len({w.size for w in reference}) == 1
