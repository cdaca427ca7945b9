"""Characters -> words, grouped the way pdfplumber's `extract_words` groups them.

The pdfium backend reads characters, not words; to hand the layout stage the same words as
the pdfplumber backend it reproduces pdfplumber's WordExtractor (pdfplumber 0.11,
`utils/text.py`) with the options `extract.words` uses: runs of consecutive characters that
share uprightness, size and font are cut into lines by clustering their tops within
Y_TOLERANCE, each line is read left to right, and a word ends at a blank, at a character left
of the previous one's start, or at a gap wider than `x_ratio` of the previous character's size.
Pure functions over a page's characters as columns (`PageChars`: the upright ones are grouped
with a few numpy sorts and comparisons over the whole page) or as `Char` records
(`split_words`), so they are tested without any PDF.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import groupby, pairwise, repeat
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

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

    The record of the general path (turned or skewed text, glyphs PDFium splits) and of
    `split_words`' callers; the reader keeps a page's characters as columns (`PageChars`).
    An immutable NamedTuple rather than a frozen dataclass: a tuple is built five times faster.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    upright: bool = True


_LIGATURE_CHARS = re.compile("[" + "".join(LIGATURES) + "]")

_RADIX_MAX = np.iinfo(np.int16).max
"""Sort keys up to this are sorted as int16, which numpy's stable sort does by radix."""
FloatArray = npt.NDArray[np.float64]
CodeArray = npt.NDArray[np.int64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class PageChars:
    """A page's characters as columns (content-stream order), what `split_page` groups.

    Why columns: a page has thousands of characters, and grouping them into lines and words
    is a few sorts and comparisons over whole arrays (numpy) where one Python object per
    character costs more than PDFium's reading of them. Fields as in `Char`, but the text:
    `code` is its code point, or SEVERAL where the text is not one code point (a glyph PDFium
    split, joined back), then it is in `several` by the character's position; `font` indexes
    `fonts`, `space` is the text's isspace(). Compared by identity (arrays have no one truth).
    """

    code: CodeArray
    several: dict[int, str]
    x0: FloatArray
    top: FloatArray
    x1: FloatArray
    bottom: FloatArray
    size: FloatArray
    font: IntArray
    fonts: tuple[str, ...]
    upright: BoolArray
    space: BoolArray

    def __len__(self) -> int:
        return len(self.code)

    def text(self, i: int) -> str:
        """Character i's text."""
        code = int(self.code[i])
        return self.several[i] if code == SEVERAL else chr(code)

    def char(self, i: int) -> Char:
        """Character i as a `Char` (the turned ones are grouped one by one)."""
        return Char(
            self.text(i),
            float(self.x0[i]),
            float(self.top[i]),
            float(self.x1[i]),
            float(self.bottom[i]),
            float(self.size[i]),
            self.fonts[int(self.font[i])],
            bool(self.upright[i]),
        )

    def texts(self, index: IntArray) -> str:
        """The texts of the characters at `index`, one after the other."""
        codes = self.code[index]
        if not self.several:
            return _decode(codes)
        parts = []
        done = 0
        for at in np.flatnonzero(codes == SEVERAL).tolist():
            parts += [_decode(codes[done:at]), self.several[int(index[at])]]
            done = at + 1
        parts.append(_decode(codes[done:]))
        return "".join(parts)

    def take(self, index: IntArray) -> PageChars:
        """The characters at `index`, in that order."""
        return PageChars(
            self.code[index],
            _moved(self.several, index, len(self)),
            self.x0[index],
            self.top[index],
            self.x1[index],
            self.bottom[index],
            self.size[index],
            self.font[index],
            self.fonts,
            self.upright[index],
            self.space[index],
        )

    def lengths(self, index: IntArray) -> IntArray:
        """The length of the text of each character at `index`."""
        out = np.ones(len(index), dtype=np.intp)
        if self.several:
            for at in np.flatnonzero(self.code[index] == SEVERAL).tolist():
                out[at] = len(self.several[int(index[at])])
        return out


SEVERAL = -1
"""`PageChars.code` of a character whose text is not one code point."""


def _moved(by_position: dict[int, str], taken: IntArray, before: int) -> dict[int, str]:
    """Values kept by position among `before` elements, after the columns are reduced or
    reordered to `taken`."""
    if not by_position:
        return by_position
    now = np.full(before, -1, dtype=np.intp)
    now[taken] = np.arange(len(taken))
    moved = {int(now[old]): value for old, value in by_position.items()}
    return {new: value for new, value in moved.items() if new >= 0}


def _decode(codes: CodeArray) -> str:
    """Code points as a string (lone surrogates kept, as chr() keeps them)."""
    return codes.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def page_chars(chars: Sequence[Char]) -> PageChars:
    """`Char` records as columns."""
    codes: dict[str, int] = {}
    return PageChars(
        np.array([ord(c.text) if len(c.text) == 1 else SEVERAL for c in chars], dtype=np.int64),
        {i: c.text for i, c in enumerate(chars) if len(c.text) != 1},
        np.array([c.x0 for c in chars], dtype=np.float64),
        np.array([c.top for c in chars], dtype=np.float64),
        np.array([c.x1 for c in chars], dtype=np.float64),
        np.array([c.bottom for c in chars], dtype=np.float64),
        np.array([c.size for c in chars], dtype=np.float64),
        np.array([codes.setdefault(c.font, len(codes)) for c in chars], dtype=np.intp),
        tuple(codes),
        np.array([c.upright for c in chars], dtype=np.bool_),
        np.array([c.text.isspace() for c in chars], dtype=np.bool_),
    )


def _changes(*columns: npt.NDArray[Any]) -> BoolArray:
    """True where any column differs from the element before it (and at the first)."""
    n = len(columns[0])
    out = np.zeros(n, dtype=np.bool_)
    if n:
        out[0] = True
        for column in columns:
            out[1:] |= column[1:] != column[:-1]
    return out


def _order(major: IntArray, minor: FloatArray) -> IntArray:
    """np.lexsort((minor, major)): by major, then minor, then position.

    Done as stable sorts, the one on major by radix (as int16 when it fits): several times
    faster. Text is mostly written in reading order, so once grouped by major (a line) the
    minor keys (x0) mostly already rise: then the grouping is the order.
    """
    keys = major.astype(np.int16) if major.max() <= _RADIX_MAX else major
    by_major = np.argsort(keys, kind="stable")
    grouped, rising = major[by_major], minor[by_major]
    if ((rising[1:] >= rising[:-1]) | (grouped[1:] != grouped[:-1])).all():
        return by_major
    by_minor = np.argsort(minor, kind="stable")
    return by_minor[np.argsort(keys[by_minor], kind="stable")]


def _line_order(
    top: FloatArray, x0: FloatArray, run: IntArray, y_tolerance: float
) -> tuple[IntArray, IntArray]:
    """The order that reads each run's lines top to bottom, each left to right, and the line
    of each character in that order (pdfplumber's clustering of tops: a top more than the
    tolerance below the one before starts a line, unless the run's tops all lie within it).
    The sorts are stable, so ties keep the stream order, as pdfplumber's sorts keep it."""
    by_top = _order(run, top)
    tops = top[by_top]
    new_run = _changes(run[by_top])
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], len(tops)) - 1
    one_line = tops[ends] - tops[starts] <= y_tolerance
    gap = np.zeros(len(tops), dtype=np.bool_)
    gap[1:] = tops[1:] > tops[:-1] + y_tolerance
    gap &= ~np.repeat(one_line, ends - starts + 1)
    line = np.empty(len(tops), dtype=np.intp)
    line[by_top] = np.cumsum(new_run | gap)
    order = _order(line, x0)
    return order, line[order]


def _upright_words(
    page: PageChars, chars: IntArray, run: IntArray, x_ratio: float, y_tolerance: float
) -> list[Word]:
    """The words of the upright characters `chars` (indexes into the page, stream order):
    lines as `_line_order` reads them; a word ends at a blank, at a character left of the
    previous one's start, at a gap wider than `x_ratio` of the previous character's size, or
    at a step in top over the tolerance (pdfplumber's WordExtractor)."""
    if not len(chars):
        return []
    order, line = _line_order(page.top[chars], page.x0[chars], run, y_tolerance)
    index = chars[order]
    x0, x1, top = page.x0[index], page.x1[index], page.top[index]
    size, space = page.size[index], page.space[index]
    cut = np.ones(len(index), dtype=np.bool_)
    cut[1:] = (
        (line[1:] != line[:-1])
        | space[:-1]
        | (x0[1:] < x0[:-1])
        | (x0[1:] > x1[:-1] + x_ratio * size[:-1])
        | (np.abs(top[1:] - top[:-1]) > y_tolerance)
    )
    letters = ~space
    index = index[letters]
    if not len(index):
        return []
    starts = np.flatnonzero(cut[letters])
    joined = page.texts(index)
    bounds = [*starts.tolist(), len(index)]
    if page.several:  # a character of several letters (a glyph PDFium split)
        ends = np.cumsum(page.lengths(index))
        bounds = [0, *ends[starts[1:] - 1].tolist(), len(joined)]
    words = [joined[a:b] for a, b in pairwise(bounds)]
    if _LIGATURE_CHARS.search(joined):
        words = [w.translate(_LIGATURE_TABLE) for w in words]
    first = index[starts]
    style = np.array([font_style(name) for name in page.fonts], dtype=np.bool_)
    bold, italic = style[page.font[first]].T.tolist()
    return build_words(
        words,
        page.x0[first].tolist(),
        np.minimum.reduceat(page.top[index], starts).tolist(),
        np.maximum.reduceat(page.x1[index], starts).tolist(),
        np.maximum.reduceat(page.bottom[index], starts).tolist(),
        page.size[first].tolist(),
        bold,
        italic,
    )


_WORD_FIELDS = tuple(field.name for field in fields(Word))
_WORD_SETTERS = tuple(getattr(Word, name).__set__ for name in _WORD_FIELDS)
"""Word's slots, in field order: set directly, they skip the frozen dataclass's __init__ (a
Python call per word that sets each field through object.__setattr__)."""
if Word.__slots__ != _WORD_FIELDS or hasattr(Word, "__post_init__"):  # not an assert: -O
    raise TypeError("extract.words.Word changed: build_words sets its slots in field order")


def build_words(*columns: list[Any]) -> list[Word]:
    """`Word`s from one list per field (in field order), the same as Word(*row) for each row,
    built field by field: a third faster for the tens of thousands of words of a PDF."""
    words = list(map(object.__new__, repeat(Word, len(columns[0]))))
    for set_field, column in zip(_WORD_SETTERS, columns, strict=True):
        deque(map(set_field, words, column), maxlen=0)
    return words


def _style_of(font: str, styles: dict[str, tuple[bool, bool]]) -> tuple[bool, bool]:
    """(bold, italic) of a font name, worked out once per font of the page."""
    style = styles.get(font)
    if style is None:
        style = styles[font] = font_style(font)
    return style


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


def split_page(
    page: PageChars,
    *,
    upwards: bool = True,
    x_ratio: float = WORD_GAP_RATIO,
    y_tolerance: float = Y_TOLERANCE,
    x_tolerance: float = X_TOLERANCE,
) -> tuple[list[Word], list[Word]]:
    """The upright and the turned words of a page's characters (in content-stream order).

    Runs of characters sharing uprightness, size and font are grouped on their own. Turned
    characters are grouped as `extract.words.words_from_page` has pdfplumber group them:
    reading up the page when `upwards` (most turned text runs that way), else down; their
    boxes stay in the page's frame (`extract.words.turned_words` turns them).
    """
    if not len(page):
        return [], []
    new_run = _changes(page.upright, page.size, page.font)
    run = np.cumsum(new_run, dtype=np.intp)
    if page.upright.all():
        return _upright_words(page, np.arange(len(run)), run, x_ratio, y_tolerance), []
    upright = np.flatnonzero(page.upright)
    words = _upright_words(page, upright, run[upright], x_ratio, y_tolerance)
    turned: list[Word] = []
    styles: dict[str, tuple[bool, bool]] = {}
    bounds = [*np.flatnonzero(new_run).tolist(), len(run)]
    for start, end in pairwise(bounds):
        if page.upright[start]:
            continue
        chars = [page.char(i) for i in range(start, end)]
        for line in _turned_lines(chars, upwards, x_tolerance):
            turned.extend(
                _merge_box(w, styles) for w in _split_turned(line, upwards, x_ratio, y_tolerance)
            )
    return words, turned


def split_words(
    chars: Sequence[Char],
    *,
    upwards: bool = True,
    x_ratio: float = WORD_GAP_RATIO,
    y_tolerance: float = Y_TOLERANCE,
    x_tolerance: float = X_TOLERANCE,
) -> tuple[list[Word], list[Word]]:
    """`split_page` of `Char` records."""
    return split_page(
        page_chars(chars),
        upwards=upwards,
        x_ratio=x_ratio,
        y_tolerance=y_tolerance,
        x_tolerance=x_tolerance,
    )


def chars_to_words(
    chars: Sequence[Char], *, x_ratio: float = WORD_GAP_RATIO, y_tolerance: float = Y_TOLERANCE
) -> list[Word]:
    """The upright words of a page's characters (given in content-stream order); turned
    characters still cut the runs they interrupt, as in pdfplumber (see `split_words`)."""
    return split_words(chars, x_ratio=x_ratio, y_tolerance=y_tolerance)[0]
