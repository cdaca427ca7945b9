"""No text lost: every letter pdfplumber's own extract_words finds on a page lands in a block.

A page keeping less than MIN_SHARE of its letters fails with the page and the first line lost.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from extract.conservation import PageShare, measure, page_share
from extract.fonts import parse_encoding_cmap
from extract.pdf import read_document
from extract.words import Word, turn

from .conftest import FIXTURES, ROOT, SEED

MIN_SHARE = 0.98
ALL_PDFS = sorted(
    [
        *FIXTURES.glob("*.pdf"),
        *(FIXTURES / "robust").glob("*.pdf"),
        *(ROOT / "corpus").glob("*.pdf"),
    ]
)
SAMPLE = [SEED, FIXTURES / "fmed-08-678227.pdf", FIXTURES / "jmcr-7-184-duodenal-gist.pdf"]


def _check(path: Path) -> None:
    shares = measure(path, read_document(path))
    assert shares
    bad = [s for s in shares if s.share < MIN_SHARE]
    assert not bad, "; ".join(
        f"{path.name} page {s.page} keeps {s.share:.1%} of {s.letters} letters, "
        f"first lost line: {s.first_lost!r}"
        for s in bad
    )


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.name)
def test_sample_pages_keep_their_letters(path: Path) -> None:
    _check(path)


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_every_fixture_page_keeps_its_letters(path: Path) -> None:
    _check(path)


def test_page_share_names_the_first_lost_line() -> None:
    words = [
        {"text": "Haemoglobin", "top": 10.0, "x0": 0.0},
        {"text": "9.1", "top": 10.0, "x0": 60.0},
        {"text": "Platelets", "top": 20.0, "x0": 0.0},
        {"text": "120", "top": 20.0, "x0": 60.0},
    ]
    share = page_share(3, words, ["Haemoglobin 9.1"])
    assert share == PageShare(3, 25, 13, "Platelets 120")
    assert share.share < MIN_SHARE
    assert page_share(3, words, ["Platelets 120", "Haemoglobin 9.1"]).share == 1.0


def test_ligatures_and_case_do_not_count_as_loss() -> None:
    words = [{"text": "ﬁbrosis", "top": 0.0, "x0": 0.0}, {"text": "CT", "top": 0.0, "x0": 40.0}]
    assert page_share(1, words, ["fibrosis ct"]).share == 1.0


def test_embedded_encoding_cmap_is_read() -> None:
    data = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <0000> <ffff> endcodespacerange\n"
        b"2 begincidchar <0024> 36 <0003> 3 endcidchar\n"
        b"1 begincidrange <0040> <0042> 100 endcidrange\nendcmap\n"
    )
    cmap = parse_encoding_cmap(data)
    assert list(cmap.decode(b"\x00\x24\x00\x03\x00\x41")) == [36, 3, 101]
    assert not parse_encoding_cmap(zlib.compress(data)).code2cid


def test_rotated_words_turn_into_their_reading_frame() -> None:
    # A word printed bottom-to-top near the page's left edge, low on the page.
    w = Word("Table", 50.0, 600.0, 60.0, 640.0, 9.0, False, False)
    up = turn(w, width=600.0, height=800.0, upwards=True)
    assert (up.x0, up.x1) == (160.0, 200.0)  # reads from the bottom edge of its box upwards
    assert up.top == 50.0
    down = turn(w, width=600.0, height=800.0, upwards=False)
    assert (down.x0, down.x1) == (600.0, 640.0)


def test_rotated_table_page_keeps_its_letters(tmp_path: Path) -> None:
    """A landscape table printed sideways on a portrait page is kept, not dropped."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.95, "Laboratory values measured during the admission", fontsize=10)
    for i, row in enumerate(["Haemoglobin 9.1 g/dL", "Platelets 120 per nL", "Creatinine 88"]):
        fig.text(0.3 + 0.05 * i, 0.2, row, fontsize=9, rotation=90)
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    path = tmp_path / "sideways.pdf"
    path.write_bytes(buf.getvalue())
    doc = read_document(path)
    figure = [b for b in doc.blocks if b.kind == "figure"]
    assert figure and "Platelets 120" in figure[0].text
    assert all(s.share >= MIN_SHARE for s in measure(path, doc))
