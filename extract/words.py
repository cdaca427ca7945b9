"""Words of one PDF page, read once from pdfplumber and kept as plain records.

pdfplumber's cost is parsing characters; everything downstream is built from the words of
one `extract_words` call per page so that the stage stays close to that bare cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extract.types import BBox, PageNo, PdfBackend

DEFAULT_BACKEND: PdfBackend = "pdfplumber"
"""pdfplumber stays the reference and the default; `--pdf-backend pdfium` is the fast one (the
equivalence of the two is measured by eval/backend_equivalence.py and tests/extract)."""

WORD_GAP_RATIO = 0.15
"""Characters further apart than this fraction of the font size start a new word. pdfplumber's
fixed 3 pt default glues words of tightly set LaTeX text ('CTofthechest'); a ratio follows the
font size instead."""

FIGURE_IMAGE_MIN_AREA = 0.02
"""An image covering at least this fraction of the page is a figure; words printed on it are
figure labels, not running text."""

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


def words_from_page(page: Any, page_no: PageNo) -> PageWords:
    """Read the words of a pdfplumber page (one `extract_words` call) into records.

    Rotated words (margin stamps, vertical labels) are left out: they are not running text.
    """
    raw = page.extract_words(extra_attrs=["size", "fontname"], x_tolerance_ratio=WORD_GAP_RATIO)
    styles: dict[str, tuple[bool, bool]] = {}
    words: list[Word] = []
    for w in raw:
        if not w.get("upright", True):
            continue
        fontname = str(w.get("fontname", ""))
        style = styles.get(fontname)
        if style is None:
            style = styles[fontname] = font_style(fontname)
        words.append(
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
    images = page.images
    min_area = FIGURE_IMAGE_MIN_AREA * width * height
    boxes = tuple(
        (float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"]))
        for im in images
        if (float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"]))
        >= min_area
    )
    return PageWords(page_no, width, height, tuple(words), boxes, len(images))
