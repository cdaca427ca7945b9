"""Words of one PDF page, read once from pdfplumber and kept as plain records.

pdfplumber's cost is parsing characters; everything downstream is built from the words of
one `extract_words` call per page so that the stage stays close to that bare cost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extract.types import BBox, PageNo, PdfBackend

DEFAULT_BACKEND: PdfBackend = "pdfium"
"""pdfium is the default: it reads the characters about five times faster than pdfplumber and
gives the same blocks on every fixture and shared PDF (tests/extract/test_backends.py,
eval/backend_equivalence.py); `--pdf-backend pdfplumber` stays selectable as the reference."""

WORD_GAP_RATIO = 0.15
"""Characters further apart than this fraction of the font size start a new word. pdfplumber's
fixed 3 pt default glues words of tightly set LaTeX text ('CTofthechest'); a ratio follows the
font size instead."""

FIGURE_IMAGE_MIN_AREA = 0.02
"""An image covering at least this fraction of the page is a figure; words printed on it are
figure labels, not running text."""

SIZE_DIGITS = 4
"""Character sizes are rounded to this many decimals before words are grouped. pdfminer's size
is a box height, a difference of two float64 coordinates, so it carries noise in its last
digits that depends on where the baseline sits on the page: one font at one size comes out
as 9.999755999999934 on one line and 9.99975599999999 on another, and pdfplumber starts a new
run of characters at each such change. The runs then depend on the rounding noise (and
PDFium, computing in float32, has other noise); rounded, they change where the font or size
does."""

MIN_RULE_PT = 60.0
"""Horizontal strokes shorter than this are underlines or glyph parts, not table rules."""

_STYLE_SPLIT = re.compile(r"[-,]")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|^bd|bd$|bdit|^sb$", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|it$|^it|ital", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Word:
    """One word as printed: raw text (not yet normalised), box and font style."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    italic: bool

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class PageWords:
    """The upright words of a page plus what the layout needs to know about the page."""

    page: PageNo
    width: float
    height: float
    words: tuple[Word, ...]
    figure_boxes: tuple[BBox, ...] = ()
    n_images: int = 0
    turned: tuple[Word, ...] = ()
    """Rotated words (a landscape table, an axis label, a margin stamp), their boxes turned
    into the frame in which they read left to right, top to bottom."""
    turned_bbox: BBox | None = None
    """Where the rotated words sit on the page (page frame)."""
    rules: tuple[BBox, ...] = ()
    """Horizontal strokes (lines, rectangle edges): where tables may be."""


def font_style(fontname: str) -> tuple[bool, bool]:
    """(bold, italic) read from a PostScript font name such as 'ABCDEF+Minion-BoldIt'.

    Font names are the only style signal a PDF carries; the subset prefix and family are
    dropped and the style suffix is matched.
    """
    name = fontname.split("+", 1)[-1]
    parts = _STYLE_SPLIT.split(name, maxsplit=1)
    style = parts[1] if len(parts) > 1 else ""
    bold = bool(_BOLD.search(style)) or "bold" in name.lower()
    italic = bool(_ITALIC.search(style)) or "italic" in name.lower() or "oblique" in name.lower()
    return bold, italic


def _reads_upwards(chars: list[dict[str, Any]]) -> bool:
    """Whether most rotated characters read bottom to top (turned a quarter counterclockwise,
    as landscape tables are): their text matrix maps x onto +y."""
    up = sum(1 for c in chars if not c.get("upright", True) and c["matrix"][1] > 0)
    down = sum(1 for c in chars if not c.get("upright", True) and c["matrix"][1] < 0)
    return up >= down


def turn(w: Word, width: float, height: float, upwards: bool) -> Word:
    """A rotated word's box in the frame where its text reads left to right."""
    if upwards:  # text runs up the page; its lines follow each other left to right
        return Word(w.text, height - w.bottom, w.x0, height - w.top, w.x1, w.size, w.bold, w.italic)
    return Word(w.text, w.top, width - w.x1, w.bottom, width - w.x0, w.size, w.bold, w.italic)


def turned_words(
    rotated: Sequence[Word], width: float, height: float, upwards: bool
) -> tuple[tuple[Word, ...], BBox | None]:
    """Rotated words turned into their reading frame, and where they sit on the page."""
    turned = tuple(turn(w, width, height, upwards) for w in rotated)
    if not rotated:
        return turned, None
    return turned, (
        min(w.x0 for w in rotated),
        min(w.top for w in rotated),
        max(w.x1 for w in rotated),
        max(w.bottom for w in rotated),
    )


def words_from_page(page: Any, page_no: PageNo) -> PageWords:
    """Read the words of a pdfplumber page (one `extract_words` call) into records.

    Rotated words (landscape tables, vertical labels, margin stamps) are kept apart, read in
    the direction most of them run, and turned into their own reading frame.
    """
    chars = page.chars
    for char in chars:  # pdfplumber's cached characters: extract_words groups these
        char["size"] = round(char["size"], SIZE_DIGITS)
    upwards = _reads_upwards(chars) if any(not c.get("upright", True) for c in chars) else True
    raw = page.extract_words(
        extra_attrs=["size", "fontname"],
        x_tolerance_ratio=WORD_GAP_RATIO,
        char_dir_rotated="btt" if upwards else "ttb",
        line_dir_rotated="ltr" if upwards else "rtl",
    )
    styles: dict[str, tuple[bool, bool]] = {}
    words: list[Word] = []
    rotated: list[Word] = []
    for w in raw:
        fontname = str(w.get("fontname", ""))
        style = styles.get(fontname)
        if style is None:
            style = styles[fontname] = font_style(fontname)
        (words if w.get("upright", True) else rotated).append(
            Word(
                text=str(w["text"]),
                x0=float(w["x0"]),
                top=float(w["top"]),
                x1=float(w["x1"]),
                bottom=float(w["bottom"]),
                size=float(w.get("size", 0.0)),
                bold=style[0],
                italic=style[1],
            )
        )
    width, height = float(page.width), float(page.height)
    turned, turned_bbox = turned_words(rotated, width, height, upwards)
    images = page.images
    min_area = FIGURE_IMAGE_MIN_AREA * width * height
    boxes = tuple(
        (float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"]))
        for im in images
        if (float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"]))
        >= min_area
    )
    rules = tuple(
        (float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))
        for e in page.horizontal_edges
        if float(e["x1"]) - float(e["x0"]) >= MIN_RULE_PT
    )
    return PageWords(
        page_no, width, height, tuple(words), boxes, len(images), turned, turned_bbox, rules
    )
