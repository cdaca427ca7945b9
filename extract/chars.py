"""Characters -> words, grouped the way pdfplumber's `extract_words` groups them.

The pdfium backend reads characters, not words; to hand the layout stage the same words as
the pdfplumber backend it reproduces pdfplumber's WordExtractor (pdfplumber 0.11,
`utils/text.py`) with the options `extract.words` uses: runs of consecutive characters that
share uprightness, size and font are cut into lines by clustering their tops within
Y_TOLERANCE, each line is read left to right, and a word ends at a blank, at a character left
of the previous one's start, or at a gap wider than `x_ratio` of the previous character's size.
Pure functions over `Char` records, so they are tested without any PDF.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from extract.words import WORD_GAP_RATIO, Word, font_style

Y_TOLERANCE = 3.0
"""pdfplumber's default y_tolerance (points): tops this close belong to one line."""
X_TOLERANCE = 3.0
"""pdfplumber's default x_tolerance (points): turned characters whose line edges (x0 reading
upwards, x1 reading downwards) are this close belong to one line."""

LIGATURES: dict[str, str] = {
    "\ufb00": "ff",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb06": "st",
    "\ufb05": "st",
}
"""pdfplumber expands these when it joins characters into a word (expand_ligatures=True)."""
_LIGATURE_TABLE = str.maketrans(LIGATURES)


class Char(NamedTuple):
    """One printed character in pdfplumber's frame (points, origin at the page's top-left).

    An immutable NamedTuple rather than a frozen dataclass: a page has thousands of characters
    and a tuple is built five times faster, which is most of what this backend is for.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    upright: bool = True


_X0 = itemgetter(1)
_RUN = itemgetter(7, 5, 6)
"""upright, size, font: a change of any of them starts a new run (pdfplumber's extra_attrs)."""


def _lines(chars: list[Char], y_tolerance: float) -> list[list[Char]]:
    """Cluster characters by top (chained within the tolerance), top to bottom; each line
    left to right. Python's sorts are stable, so ties keep the stream order, as in pdfplumber."""
    tops = sorted({c.top for c in chars})
    if tops[-1] - tops[0] <= y_tolerance:  # one line: the common run
        return [sorted(chars, key=_X0)]
    cluster: dict[float, int] = {}
    index = 0
    last = tops[0]
    for top in tops:
        if top > last + y_tolerance:
            index += 1
        cluster[top] = index
        last = top
    lines: list[list[Char]] = [[] for _ in range(index + 1)]
    for c in chars:  # stream order kept within a line, as a stable sort keeps it
        lines[cluster[c.top]].append(c)
    return [sorted(line, key=_X0) for line in lines if line]


def _split_words(line: list[Char], x_ratio: float, y_tolerance: float) -> Iterator[list[Char]]:
    word: list[Char] = []
    for char in line:
        if char.text.isspace():
            if word:
                yield word
            word = []
            continue
        if word:
            prev = word[-1]
            if (
                char.x0 < prev.x0
                or char.x0 > prev.x1 + x_ratio * prev.size
                or abs(char.top - prev.top) > y_tolerance
            ):
                yield word
                word = []
        word.append(char)
    if word:
        yield word


def _style_of(font: str, styles: dict[str, tuple[bool, bool]]) -> tuple[bool, bool]:
    """(bold, italic) of a font name, worked out once per font of the page."""
    style = styles.get(font)
    if style is None:
        style = styles[font] = font_style(font)
    return style


def _merge(chars: list[Char], styles: dict[str, tuple[bool, bool]]) -> Word:
    first = chars[0]
    style = _style_of(first.font, styles)
    if len(chars) == 1:
        text, x1, top, bottom = first.text, first.x1, first.top, first.bottom
    else:
        text = "".join([c.text for c in chars])
        x1 = max([c.x1 for c in chars])
        top = min([c.top for c in chars])
        bottom = max([c.bottom for c in chars])
    return Word(
        text=text.translate(_LIGATURE_TABLE),
        x0=first.x0,  # the line is sorted by x0
        top=top,
        x1=x1,
        bottom=bottom,
        size=first.size,
        bold=style[0],
        italic=style[1],
    )


def _turned_lines(chars: list[Char], upwards: bool, x_tolerance: float) -> list[list[Char]]:
    """Turned characters clustered into lines as pdfplumber does with line_dir 'ltr' (by x0,
    text running up) or 'rtl' (by -x1, running down), each line in reading order: bottom to
    top ('btt', by -bottom then -top) or top to bottom ('ttb', by top then bottom)."""

    def edge(c: Char) -> float:
        return c.x0 if upwards else -c.x1

    values = sorted({edge(c) for c in chars})
    cluster: dict[float, int] = {}
    index = 0
    last = values[0]
    for value in values:
        if value > last + x_tolerance:
            index += 1
        cluster[value] = index
        last = value
    by_line = sorted(chars, key=lambda c: cluster[edge(c)])
    lines = [list(line) for _, line in groupby(by_line, key=lambda c: cluster[edge(c)])]
    if upwards:
        return [sorted(line, key=lambda c: (-c.bottom, -c.top)) for line in lines]
    return [sorted(line, key=lambda c: (c.top, c.bottom)) for line in lines]


def _split_turned(
    line: list[Char], upwards: bool, x_ratio: float, y_tolerance: float
) -> Iterator[list[Char]]:
    """pdfplumber's word test for 'btt'/'ttb' characters: a blank, a step back against the
    reading direction, a gap over y_tolerance along it, or a shift of the line's x."""
    word: list[Char] = []
    for char in line:
        if char.text.isspace():
            if word:
                yield word
            word = []
            continue
        if word:
            prev = word[-1]
            if upwards:
                ax, bx, cx = -prev.bottom, -prev.top, -char.bottom
            else:
                ax, bx, cx = prev.top, prev.bottom, char.top
            if cx < ax or cx > bx + y_tolerance or abs(char.x0 - prev.x0) > x_ratio * prev.size:
                yield word
                word = []
        word.append(char)
    if word:
        yield word


def _merge_box(chars: list[Char], styles: dict[str, tuple[bool, bool]]) -> Word:
    first = chars[0]
    style = _style_of(first.font, styles)
    return Word(
        text="".join([c.text for c in chars]).translate(_LIGATURE_TABLE),
        x0=min([c.x0 for c in chars]),
        top=min([c.top for c in chars]),
        x1=max([c.x1 for c in chars]),
        bottom=max([c.bottom for c in chars]),
        size=first.size,
        bold=style[0],
        italic=style[1],
    )


def split_words(
    chars: Sequence[Char],
    *,
    upwards: bool = True,
    x_ratio: float = WORD_GAP_RATIO,
    y_tolerance: float = Y_TOLERANCE,
    x_tolerance: float = X_TOLERANCE,
) -> tuple[list[Word], list[Word]]:
    """The upright and the turned words of a page's characters (in content-stream order).

    Turned characters are grouped as `extract.words.words_from_page` has pdfplumber group
    them: reading up the page when `upwards` (most turned text runs that way), else down;
    their boxes stay in the page's frame (`extract.words.turned_words` turns them).
    """
    words: list[Word] = []
    turned: list[Word] = []
    styles: dict[str, tuple[bool, bool]] = {}
    for (upright, _size, _font), run in groupby(chars, key=_RUN):
        if not upright:
            for line in _turned_lines(list(run), upwards, x_tolerance):
                turned.extend(
                    _merge_box(w, styles)
                    for w in _split_turned(line, upwards, x_ratio, y_tolerance)
                )
            continue
        for line in _lines(list(run), y_tolerance):
            words.extend(_merge(w, styles) for w in _split_words(line, x_ratio, y_tolerance))
    return words, turned


def chars_to_words(
    chars: Sequence[Char], *, x_ratio: float = WORD_GAP_RATIO, y_tolerance: float = Y_TOLERANCE
) -> list[Word]:
    """The upright words of a page's characters (given in content-stream order); turned
    characters still cut the runs they interrupt, as in pdfplumber (see `split_words`)."""
    return split_words(chars, x_ratio=x_ratio, y_tolerance=y_tolerance)[0]
