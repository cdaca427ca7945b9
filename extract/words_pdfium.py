"""The pdfium words backend: the same `PageWords` as `extract.words`, read with PDFium.

Why: pdfminer's character parsing is ~95% of the extract stage; PDFium (pypdfium2, a compiled
library shipped in the wheel) reads the same characters many times faster. Everything after the
words (layout, running heads, hyphenation, blocks, sections) is shared, so the two backends
differ only in how characters are read.

What is reproduced of pdfplumber's (pdfminer's) reading, so that the words come out the same:
- the frame: pdfminer turns a page by its /Rotate and measures from the MediaBox origin;
  pdfplumber then flips y (origin at the top-left) and, since 0.11, shifts by the MediaBox
  origin again (its issue #1181). Rotated pages are turned here by transforming the page's
  objects before the text page is built, so PDFium sees them upright, as pdfminer does;
- the character box: pdfminer boxes a glyph from its origin over its advance width, from the
  font's descent to one font size above it (not the glyph's ink, PDFium's default box); the
  advance is the font's width (/Widths or /W) for the character's Unicode, the descent the
  font's;
- the order: content-stream order, which decides the runs of one font pdfplumber groups
  (PDFium lists the objects of a line left to right);
- the size: the box's height (the font size times the text matrix's scale), and upright as
  pdfminer defines it (a*d > 0 and b*c <= 0 after the page rotation);
- PDFium's own additions are left out: generated spaces and line breaks; the hyphen it marks
  at a line end (code 2) is read back as '-'.
Characters are then grouped into words by `extract.chars.split_page`, the upright and the
turned ones (rotated text: a sideways table, an axis label) as pdfplumber groups them.

Speed: a page has thousands of characters, so nothing is done per character in Python that
can be done otherwise: PDFium's per-character calls run in one compiled loop in a warmed
worker (`extract.pdfium_jit`) or are mapped over the page through prebuilt pointers
(`_Slots`) elsewhere, with the same values; the characters are kept as columns (numpy
arrays), what one text object, one font or one distinct text share is worked out once, and
only rare characters (turned or skewed text, glyphs split into pieces) take the general path.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract import pdfium_jit
from extract.chars import (
    LIGATURES,
    SEVERAL,
    BoolArray,
    Char,
    CodeArray,
    FloatArray,
    IntArray,
    PageChars,
    page_chars,
    split_page,
)
from extract.errors import CorruptPdf, EmptyPdf, EncryptedPdf, TimeLimitExceeded, TooManyPages
from extract.fonts import font_descents
from extract.types import BBox, PageNo
from extract.words import (
    FIGURE_IMAGE_MIN_AREA,
    MIN_RULE_PT,
    SIZE_DIGITS,
    PageWords,
    turned_words,
)

Matrix = tuple[float, float, float, float, float, float]
"""a, b, c, d, e, f of a PDF transformation (x' = a*x + c*y + e, y' = b*x + d*y + f)."""

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
LINE_END_HYPHEN = 0x2
"""The code PDFium gives a '-' (or soft hyphen) it judged to end a line inside a word."""
UNMAPPED = "\ufffe"
"""PDFium's text for a character without Unicode, and for the line-end hyphen it marks."""
MAX_UNICODE = 0x10FFFF
FONT_NAME_BYTES = 256
METADATA_KEYS = (
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
    "doi",
    "DOI",
    "WPS-ARTICLEDOI",
)
"""Info entries read (PDFium cannot list the keys): the standard ones and those publishers put
a DOI in; pdfplumber returns every entry, of which the layout reads Title, the dates, and any
value holding a DOI."""
MAX_FORM_DEPTH = 16
"""Form XObjects nest; deeper than this is a hostile file, not a figure."""


@dataclass(frozen=True, slots=True)
class Frame:
    """How PDFium's coordinates map onto pdfplumber's top-left frame for one page."""

    rotation: int
    """The page's /Rotate, normalised to 0, 90, 180 or 270."""
    width: float
    height: float
    """pdfplumber's page size: the MediaBox, its sides swapped when the page is turned 90/270."""
    ctm: Matrix
    """pdfminer's page transformation (rotation, MediaBox origin); applied to the page's
    objects only when the page is rotated, since for an upright page it is a shift that
    pdfplumber's own offset undoes."""
    x_shift: float
    y_flip: float
    """pdfplumber x = x + x_shift and top = y_flip - y (y up, after the transformation)."""


def page_frame(rotation: int, mediabox: tuple[float, float, float, float]) -> Frame:
    """The frame of a page with this /Rotate and MediaBox (as pdfminer + pdfplumber 0.11 do)."""
    x0, x1 = sorted((mediabox[0], mediabox[2]))
    y0, y1 = sorted((mediabox[1], mediabox[3]))
    rotation %= 360
    if rotation == 90:
        ctm: Matrix = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif rotation == 180:
        ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif rotation == 270:
        ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        rotation = 0
        return Frame(0, x1 - x0, y1 - y0, IDENTITY, 0.0, y1 - y0)
    turned = rotation in (90, 270)
    width, height = (y1 - y0, x1 - x0) if turned else (x1 - x0, y1 - y0)
    nx0, ny0 = (y0, x0) if turned else (x0, y0)
    return Frame(rotation, width, height, ctm, nx0, height - ny0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: m x n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def is_upright(m: Matrix) -> bool:
    """pdfminer's definition: not rotated, not mirrored (a*d > 0 and b*c <= 0)."""
    return m[0] * m[3] > 0 and m[1] * m[2] <= 0


def char_box(
    origin: tuple[float, float], advance: float, descent: float, size: float, m: Matrix
) -> tuple[float, float, float, float]:
    """pdfminer's box of a glyph (x0, y0, x1, y1, y up): text-space rectangle (0, descent) to
    (advance, descent + size) through the matrix's linear part, placed at the origin."""
    a, b, c, d = m[0], m[1], m[2], m[3]
    xs, ys = [], []
    for tx, ty in (
        (0.0, descent),
        (advance, descent),
        (0.0, descent + size),
        (advance, descent + size),
    ):
        xs.append(origin[0] + a * tx + c * ty)
        ys.append(origin[1] + b * tx + d * ty)
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True, slots=True)
class _TextObject:
    """What all characters of one PDFium text object share."""

    font: str
    font_address: int
    """The FPDF_FONT handle's address, 0 when the object has no font."""
    font_size: float
    """The size set by Tf, before the text matrix scales it."""
    descent: float
    """Below the baseline, in text space (negative), at font_size."""
    matrix: Matrix
    """The text matrix, its translation left out (each character is placed by its origin)."""
    upright: bool
    simple: bool
    """Upright, unskewed, unmirrored (b = c = 0, a and d > 0): the box is a few additions."""
    size: float
    """pdfminer's size of a simple object's characters (font size times the matrix's d)."""
    k_top: float
    k_bottom: float
    """For a simple object: a character's pdfplumber top and bottom are k - its baseline y."""
    group: int
    """For a simple object: the page's number for its font, size and scale, whose
    characters' advances are one per text; -1 for the others."""


_GET_LOOSE_BOX = pdfium_jit.c_function(
    pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p
)
_OBJECT_FONT = pdfium_jit.c_function(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)
_FONT_NAME = pdfium_jit.c_function(
    pdfium_c.FPDFFont_GetBaseFontName,
    ctypes.c_size_t,
    ctypes.c_void_p,
    ctypes.c_char_p,
    ctypes.c_size_t,
)
_FONT_DESCENT = pdfium_jit.c_function(
    pdfium_c.FPDFFont_GetDescent, ctypes.c_int, ctypes.c_void_p, ctypes.c_float, ctypes.c_void_p
)
_GLYPH_WIDTH = pdfium_jit.c_function(
    pdfium_c.FPDFFont_GetGlyphWidth,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_uint32,
    ctypes.c_float,
    ctypes.c_void_p,
)
_GET_TIGHT_BOX = pdfium_jit.c_function(
    pdfium_c.FPDFText_GetCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_void_p,
)


def _c_function_untyped(binding: Any, restype: Any) -> Any:
    """The PDFium function behind a binding with no argument types, for the per-character
    loop: ctypes then converts nothing, which halves the cost of a call. The caller must pass
    pointers as ctypes.c_void_p objects and indexes as Python ints (a C int)."""
    address = pdfium_jit.function_address(binding)
    return ctypes.CFUNCTYPE(restype)(address)  # no argtypes: cdecl passes what it is given


_TEXT_OBJECT_ADDRESS = _c_function_untyped(pdfium_c.FPDFText_GetTextObject, ctypes.c_size_t)
"""FPDFText_GetTextObject answering the object's address as an int (0: none)."""
_CHAR_ORIGIN_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int)
_LOOSE_BOX_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_IS_GENERATED_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
_FONT_SIZE_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_MATRIX_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_GetMatrix, ctypes.c_int)
_TIGHT_BOX_UNTYPED = _c_function_untyped(pdfium_c.FPDFText_GetCharBox, ctypes.c_int)
_GLYPH_WIDTH_UNTYPED = _c_function_untyped(pdfium_c.FPDFFont_GetGlyphWidth, ctypes.c_int)
_PAGE_COUNT = _c_function_untyped(pdfium_c.FPDFPage_CountObjects, ctypes.c_int)
_PAGE_OBJECT = _c_function_untyped(pdfium_c.FPDFPage_GetObject, ctypes.c_size_t)
_FORM_COUNT = _c_function_untyped(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int)
_FORM_OBJECT = pdfium_jit.c_function(
    pdfium_c.FPDFFormObj_GetObject, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_ulong
)
_OBJECT_TYPE = pdfium_jit.c_function(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)
ADVANCE_SLACK_PT = 0.01
"""Where the loose box's right edge and the origin plus the font's width for the Unicode
differ by more than this, the glyph was shown by another code than the one the Unicode
maps back to (a small capital mapped to its lower-case letter, an alternate glyph)."""
LIGATURE_CODES = {
    text: code for code, text in LIGATURES.items() if list(LIGATURES.values()).count(text) == 1
}
"""A ligature's letters -> its one Unicode character ('ff' -> U+FB00), to ask its width."""
NOT_A_CHARACTER = "\U0010fffd"
"""A private-use code point no font maps: the width PDFium answers for it is its fallback."""
_CODE_SPACE = MAX_UNICODE + 1
"""Code points per advance group: group * this + code point is one key per text and group."""
_BMP_LAST = 0xFFFF
_INT16_MAX = np.iinfo(np.int16).max
_SURROGATES = (0xD800, 0xDFFF)
"""UTF-16 code units that are halves of a pair (or, alone, not a character)."""
_WHITESPACE = np.array([c for c in range(_BMP_LAST + 1) if chr(c).isspace()], dtype=np.uint32)
"""Every code point Python calls a blank (str.isspace); Unicode has none past the BMP."""
_BLANK = np.zeros(_BMP_LAST + 1, dtype=np.bool_)
_BLANK[_WHITESPACE] = True
"""Whether a BMP code point is blank, looked up by code point."""
CHUNK = 4096
"""Characters whose origin and box are read into the buffer at a time (`_Slots`)."""


class _Slots:
    """One thread's buffer for PDFium to write CHUNK characters' origins and loose boxes
    into, with a ctypes pointer to each slot built once. A thread's own (`_slots`): PDFium
    takes one call at a time (pypdfium2's docs), but a caller that takes turns between
    threads under a lock must not find one thread's values overwritten by another's."""

    def __init__(self) -> None:
        self.origin = np.empty((CHUNK, 2), dtype=np.float64)
        self.loose = np.empty((CHUNK, 4), dtype=np.float32)
        """x, y of FPDFText_GetCharOrigin; left, top, right, bottom of GetLooseCharBox."""
        origin, loose = self.origin.ctypes.data, self.loose.ctypes.data
        step, half, box = self.origin.strides[0], self.origin.strides[1], self.loose.strides[0]
        self.x_at = [ctypes.c_void_p(origin + k * step) for k in range(CHUNK)]
        self.y_at = [ctypes.c_void_p(origin + k * step + half) for k in range(CHUNK)]
        self.loose_at = [ctypes.c_void_p(loose + k * box) for k in range(CHUNK)]
        self.matrix = np.empty((CHUNK, 6), dtype=np.float32)
        """a, b, c, d, e, f of FPDFText_GetMatrix."""
        matrix, size = self.matrix.ctypes.data, self.matrix.strides[0]
        self.matrix_at = [ctypes.c_void_p(matrix + k * size) for k in range(CHUNK)]


_THREAD = threading.local()


def _slots() -> _Slots:
    """This thread's `_Slots`, built at its first page."""
    slots: _Slots | None = getattr(_THREAD, "slots", None)
    if slots is None:
        slots = _THREAD.slots = _Slots()
    return slots


WIDTH_UNITS = 1000.0
"""Glyph widths are asked at this size: PDF's glyph space (1/1000 of the font size)."""


def shown_advance(
    x: npt.ArrayLike, advance: npt.ArrayLike, loose_right: npt.ArrayLike, ink_right: npt.ArrayLike
) -> FloatArray:
    """The page-space advance of the code actually shown, given the font's for its Unicode
    (of one character or, element by element, of arrays of them).

    pdfminer takes a glyph's width from /Widths by the code in the content stream; PDFium
    answers a width by Unicode, mapping it back to the font's first code for it. Where a font
    shows two codes as one Unicode (small capitals told as lower case, alternates), the two
    widths differ. PDFium's loose box is the union of the shown code's advance box and the
    glyph's ink: its right edge is the advance's end, unless the ink reaches as far (then the
    Unicode's width is kept, the best estimate left).
    """
    x, advance = np.asarray(x, dtype=np.float64), np.asarray(advance, dtype=np.float64)
    loose_right = np.asarray(loose_right, dtype=np.float64)
    ink_right = np.asarray(ink_right, dtype=np.float64)
    kept = (np.abs(loose_right - x - advance) <= ADVANCE_SLACK_PT) | (
        (loose_right > x + advance) & (ink_right >= loose_right - ADVANCE_SLACK_PT)
    )  # the second: the ink overhangs the advance
    return np.where(kept, advance, np.maximum(loose_right - x, 0.0))


def piece_advance(
    x: float, loose_right: float, ink_right: float, ligature: float, letters: float
) -> float:
    """The page-space advance of a glyph PDFium split into pieces (a ligature told as 'ff', a
    surrogate pair), which cannot be asked of the font by its pieces' Unicode.

    The loose box ends at the code's advance unless the ink reaches further (an 'ff'
    ligature's overhang). Then the width of the ligature's own Unicode (`ligature`, 0 when
    the font does not know it) is taken if its advance ends within the loose box; else the
    letters' widths added up (`letters`, 0 when unknown), kept within the ink.
    """
    if loose_right > ink_right + ADVANCE_SLACK_PT:
        return max(loose_right - x, 0.0)
    if ligature > 0 and x + ligature <= loose_right + ADVANCE_SLACK_PT:
        return ligature
    ink = max(ink_right - x, 0.0)
    return min(letters, ink) if letters > 0 else ink


def _join_pieces(left: str, right: str) -> str:
    """Two pieces of one glyph as one text; UTF-16 surrogate halves become their character."""
    text = left + right
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


class _PageReader:
    """Reads one PDFium text page into columns (`PageChars`) in pdfplumber's frame.

    The advance of a glyph is asked of the font by Unicode (FPDFFont_GetGlyphWidth reads the
    font's /Widths, as pdfminer does); PDFium's loose box is wider than /Widths for some
    embedded fonts, so it is used only when the font gives no width.
    """

    def __init__(
        self,
        textpage: Any,
        frame: Frame,
        text_order: dict[int, int] | None = None,
        descents: Mapping[str, float] | None = None,
    ) -> None:
        self.textpage = textpage  # keeps PDFium's text page open while its handle is used
        self.text_order = text_order or {}
        self.descents = descents or {}
        """pdfminer's descent per unit size by font name (extract.fonts.font_descents)."""
        self.raw = textpage.raw
        self.address = ctypes.cast(self.raw, ctypes.c_void_p).value
        self.frame = frame
        self.objects: dict[int, _TextObject] = {}
        self.widths: dict[tuple[int, str], float] = {}
        self.groups: dict[tuple[int, float, float], int] = {}
        self.metrics: dict[tuple[int, float], tuple[str, float]] = {}
        self.rect = pdfium_c.FS_RECTF()
        self.styles: dict[tuple[int, float, float, float, float, float], _TextObject] = {}
        self.metric = ctypes.c_float()
        self.name = ctypes.create_string_buffer(FONT_NAME_BYTES)
        self.turned_up = self.turned_down = 0
        """Turned characters whose text runs up the page, and down (their matrix's b)."""
        self.loose = (ctypes.c_float * 4)()
        """left, top, right, bottom of FPDFText_GetLooseCharBox."""
        self.tight = (ctypes.c_double * 4)()
        """left, right, bottom, top of FPDFText_GetCharBox."""

    def _font_metrics(self, font: int, font_size: float) -> tuple[str, float]:
        """Base font name and descent (negative) at this size: pdfminer's where it was read
        (asked once per font and size of the page)."""
        known_metrics = self.metrics.get((font, font_size))
        if known_metrics is not None:
            return known_metrics
        name = ""
        if _FONT_NAME(font, self.name, FONT_NAME_BYTES) > 0:
            name = self.name.value.decode("utf-8", "replace")
        known = self.descents.get(name)
        if known is not None:
            descent = known * font_size
        else:
            descent = 0.0
            if _FONT_DESCENT(font, font_size, ctypes.addressof(self.metric)):
                descent = float(self.metric.value)
            descent = -abs(descent)
        self.metrics[font, font_size] = name, descent
        return name, descent

    def _text_objects(self, keys: list[int], indexes: list[int]) -> list[_TextObject]:
        """What the characters of each text object in `keys` (0: none) share, character
        `indexes[k]` being one of object k's; one record per font, size and matrix of the page
        (the objects of one line of text mostly share them)."""
        page = ctypes.c_void_p(self.address)
        sizes = map(_FONT_SIZE_UNTYPED, repeat(page), indexes)
        fonts = [(_OBJECT_FONT(key) or 0) if key else 0 for key in keys]
        matrices = _matrices(page, indexes)
        return list(map(self._style, fonts, sizes, *matrices))

    def _style(
        self, font: int, font_size: float, a: float, b: float, c: float, d: float
    ) -> _TextObject:
        style = (font, font_size, a, b, c, d)
        obj = self.styles.get(style)
        if obj is not None:
            return obj
        matrix: Matrix = (a, b, c, d, 0.0, 0.0)
        name, descent = self._font_metrics(font, font_size) if font else ("", 0.0)
        simple = b == 0 and c == 0 and a > 0 and d > 0
        size = round(d * font_size, SIZE_DIGITS)
        k_bottom = self.frame.y_flip - d * descent
        group = -1
        if simple:
            group = self.groups.setdefault((font, font_size, a), len(self.groups))
        obj = self.styles[style] = _TextObject(
            name,
            font,
            font_size,
            descent,
            matrix,
            is_upright(matrix),
            simple,
            size,
            k_bottom - d * font_size,
            k_bottom,
            group,
        )
        return obj

    def _advance(
        self, index: int, text: str, obj: _TextObject, pieces: bool, origin_x: float
    ) -> float:
        """The glyph's advance in text space (font size included), as pdfminer computes it.

        A character's width is the font's for its Unicode (FPDFFont_GetGlyphWidth reads the
        font's /Widths or /W, as pdfminer does; PDFium's own loose box is wider than those for
        some embedded fonts). The pieces of one glyph (a ligature PDFium split, a surrogate
        pair) cannot be asked by Unicode: see `_piece_advance`.
        """
        if pieces and obj.simple:
            return self._piece_advance(index, text, obj, origin_x) / obj.matrix[0]
        if pieces:  # turned or skewed: the letters' widths
            return sum(self._unicode_width(obj, ch) for ch in text) * obj.font_size / WIDTH_UNITS
        width = self._unicode_width(obj, text)
        if width > 0:
            return width * obj.font_size / WIDTH_UNITS
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, self.rect)
        a, b = obj.matrix[0], obj.matrix[1]
        if abs(a) >= abs(b):
            return abs(self.rect.right - self.rect.left) / math.hypot(a, b)
        return abs(self.rect.top - self.rect.bottom) / math.hypot(a, b)

    def _unicode_width(self, obj: _TextObject, text: str) -> float:
        """The font's width for one Unicode character, in glyph units (0: none known)."""
        key = (obj.font_address, text)
        width = self.widths.get(key)
        if width is None:
            width = 0.0
            if obj.font_address and _GLYPH_WIDTH(
                obj.font_address, ord(text), WIDTH_UNITS, ctypes.addressof(self.metric)
            ):
                width = float(self.metric.value)
            self.widths[key] = width
        return width

    def _boxes(self, index: int) -> tuple[float, float]:
        """Right edges of the character's loose box (advance and ink) and tight box (ink)."""
        _GET_LOOSE_BOX(self.address, index, ctypes.addressof(self.loose))
        base = ctypes.addressof(self.tight)
        size = ctypes.sizeof(ctypes.c_double)
        _GET_TIGHT_BOX(self.address, index, base, base + size, base + 2 * size, base + 3 * size)
        return float(self.loose[2]), float(self.tight[1])

    def _piece_advance(self, index: int, text: str, obj: _TextObject, x: float) -> float:
        """`piece_advance` for one glyph PDFium split into pieces."""
        right, ink = self._boxes(index)
        scale = obj.font_size / WIDTH_UNITS * obj.matrix[0]
        ligature = LIGATURE_CODES.get(text)
        width = 0.0
        if ligature is not None:
            width = self._unicode_width(obj, ligature)
            if width == self._unicode_width(obj, NOT_A_CHARACTER):
                width = 0.0  # the font's fallback width: it has no code for the ligature
        letters = [self._unicode_width(obj, ch) for ch in text]
        total = sum(letters) if all(w > 0 for w in letters) else 0.0
        return piece_advance(x, right, ink, width * scale, total * scale)

    def _codes(self, n: int) -> CodeArray | None:
        """The code points of the page's characters in one call, when PDFium's text is one
        code unit per character (None: it is not, a surrogate pair)."""
        buffer = np.zeros(n + 1, dtype=np.uint16)
        pointer = buffer.ctypes.data_as(ctypes.POINTER(ctypes.c_ushort))
        units = buffer[: max(pdfium_c.FPDFText_GetText(self.raw, 0, n, pointer) - 1, 0)]
        if len(units) == n and not ((units >= _SURROGATES[0]) & (units <= _SURROGATES[1])).any():
            return units.astype(np.int64)  # UTF-16 without surrogates: the code points
        text = units.tobytes().decode("utf-16-le", "replace")
        if len(text) != n:
            return None
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)

    def _text(self, index: int) -> str | None:
        """One character's text asked of PDFium (when the page's text does not line up)."""
        code = pdfium_c.FPDFText_GetUnicode(self.raw, index)
        if code == LINE_END_HYPHEN and pdfium_c.FPDFText_IsHyphen(self.raw, index) == 1:
            return "-"
        if code == 0 or code > MAX_UNICODE:
            return None
        return chr(code)

    def _char(
        self,
        index: int,
        text: str,
        obj: _TextObject,
        origin: tuple[float, float],
        pieces: bool = False,
    ) -> Char:
        frame = self.frame
        if obj.simple:
            x0 = origin[0]
            x1 = x0 + obj.matrix[0] * self._advance(index, text, obj, pieces, x0)
            y0 = origin[1] + obj.matrix[3] * obj.descent
            y1 = y0 + obj.size
            size = obj.size
        else:
            advance = self._advance(index, text, obj, pieces, origin[0])
            x0, y0, x1, y1 = char_box(origin, advance, obj.descent, obj.font_size, obj.matrix)
            size = round(y1 - y0, SIZE_DIGITS)
        return Char(
            text,
            x0 + frame.x_shift,
            frame.y_flip - y1,
            x1 + frame.x_shift,
            frame.y_flip - y0,
            size,
            obj.font,
            obj.upright,
        )

    def _kept(self, n: int) -> tuple[CodeArray, BoolArray, IntArray]:
        """The code point of each of the page's characters, whether it is blank, and the
        indexes of the characters kept: PDFium's generated blanks and line breaks and its
        unmapped codes are left out, the hyphen it marks at a line end is read back as '-'."""
        raw = self.raw
        page = ctypes.c_void_p(self.address)
        read = self._codes(n)
        if read is None:  # one character per code point, asked one by one
            each = [self._text(i) for i in range(n)]
            dropped = np.array([t is None for t in each], dtype=np.bool_)
            codes = np.array([ord(t) if t else 0 for t in each], dtype=np.int64)
            space = np.array([t is not None and t.isspace() for t in each], dtype=np.bool_)
        else:
            codes = read
            space = _BLANK[np.minimum(codes, _BMP_LAST)]
            dropped = np.zeros(n, dtype=np.bool_)
            for i in np.flatnonzero(codes == ord(UNMAPPED)).tolist():
                if pdfium_c.FPDFText_IsHyphen(raw, i) == 1:
                    codes[i] = ord("-")
                else:
                    dropped[i] = True
        blanks = np.flatnonzero(space & ~dropped)
        generated = pdfium_jit.generated_flags(self.address, blanks)
        if generated is None:
            generated = np.fromiter(
                map(_IS_GENERATED_UNTYPED, repeat(page), blanks.tolist()),
                dtype=np.intc,
                count=len(blanks),
            )
        dropped[blanks[generated == 1]] = True
        return codes, space, np.flatnonzero(~dropped)

    def columns(self) -> PageChars:
        """The page's characters in content-stream order (`PageChars`), in pdfplumber's frame.

        PDFium is asked three things per character (its text object, origin and loose box),
        in the compiled loop (`pdfium_jit.char_columns`) or each call mapped over the page's
        characters (`_origins`); the rest is worked out
        once per text object, per distinct text of one font and scale (the advance), and over
        whole arrays. Only rarer characters take `_char`'s general path: those of turned or
        skewed objects, a glyph PDFium split into pieces.
        """
        n = max(pdfium_c.FPDFText_CountChars(self.raw), 0)
        if not n:
            return page_chars([])
        codes, space, kept = self._kept(n)
        keep = kept.tolist()
        m = len(keep)
        if not m:
            return page_chars([])
        compiled = pdfium_jit.char_columns(self.address, kept)
        if compiled is None:
            page = ctypes.c_void_p(self.address)
            keys = np.fromiter(
                map(_TEXT_OBJECT_ADDRESS, repeat(page), keep), dtype=np.uint64, count=m
            )
            x, y, right = _origins(page, keep)
        else:
            keys, x, y, right = compiled
        codes, space = codes[kept], space[kept]

        # one text object's characters come together (PDFium orders objects, not characters)
        starts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist()]
        counts = np.diff([*starts, m])
        run_keys = keys[starts].tolist()
        first_run: dict[int, int] = {}
        for key, start in zip(run_keys, starts, strict=True):
            first_run.setdefault(key, start)
        found = self._text_objects(list(first_run), [keep[i] for i in first_run.values()])
        self.objects = dict(zip(first_run, found, strict=True))
        objs = list(map(self.objects.__getitem__, run_keys))
        unknown = len(self.text_order)  # an object the page's tree did not list: last
        ranks = [self.text_order.get(key, unknown) for key in run_keys]
        for obj, count in zip(objs, counts.tolist(), strict=True):
            if not obj.upright:
                self.turned_up += count * (obj.matrix[1] > 0)
                self.turned_down += count * (obj.matrix[1] < 0)
        font_codes: dict[str, int] = {}
        font, group, obj_of = np.repeat(
            [
                [font_codes.setdefault(o.font, len(font_codes)) for o in objs],
                [o.group for o in objs],
                range(len(objs)),
            ],
            counts,
            axis=1,
        )

        # the next piece of one glyph (a ligature, a surrogate pair) at the same origin
        piece = np.zeros(m, dtype=np.bool_)
        piece[1:] = (x[1:] == x[:-1]) & (y[1:] == y[:-1]) & (keys[1:] == keys[:-1])
        simple = (group >= 0) & ~piece
        advance = self._advances(codes, x, right, simple, group, obj_of, objs, keep)
        x_shift = self.frame.x_shift
        x0 = x + x_shift
        x1 = x + advance + x_shift
        k_top, k_bottom, size = np.repeat(
            [[o.k_top for o in objs], [o.k_bottom for o in objs], [o.size for o in objs]],
            counts,
            axis=1,
        )
        top, bottom = k_top - y, k_bottom - y
        upright = np.ones(m, dtype=np.bool_)

        several: dict[int, str] = {}

        def put(j: int, char: Char) -> None:
            if len(char.text) == 1:
                codes[j] = ord(char.text)
            else:
                codes[j] = SEVERAL
                several[j] = char.text
            x0[j], top[j], x1[j], bottom[j] = char.x0, char.top, char.x1, char.bottom
            size[j], upright[j], space[j] = char.size, char.upright, char.text.isspace()

        for j in np.flatnonzero((group < 0) & ~piece).tolist():
            origin = (float(x[j]), float(y[j]))
            put(j, self._char(keep[j], chr(codes[j]), objs[obj_of[j]], origin))
        if piece.any():
            for first, last in _piece_runs(piece):
                text = chr(codes[first])
                for j in range(first + 1, last + 1):
                    text = _join_pieces(text, chr(codes[j]))
                origin = (float(x[last]), float(y[last]))
                put(first, self._char(keep[last], text, objs[obj_of[last]], origin, True))
        fonts = tuple(font_codes)
        chars = PageChars(codes, several, x0, top, x1, bottom, size, font, fonts, upright, space)
        rank = np.array(ranks)[obj_of]
        if piece.any():
            whole = np.flatnonzero(~piece)
            chars, rank = chars.take(whole), rank[whole]
        if (rank[1:] < rank[:-1]).any():
            # back to content-stream order (stable: a text object keeps its own order), which
            # decides the runs pdfplumber groups
            chars = chars.take(np.argsort(rank, kind="stable"))
        return chars

    def _advances(
        self,
        codes: CodeArray,
        x: FloatArray,
        right: FloatArray,
        simple: BoolArray,
        group: IntArray,
        obj_of: IntArray,
        objs: list[_TextObject],
        keep: list[int],
    ) -> FloatArray:
        """The page-space advance of each `simple` character (0 for the others): asked once
        per text of one font and scale, at its first character (`_advance`), then checked
        against each character's loose box (`shown_advance`)."""
        advance = np.zeros(len(codes))
        where = np.flatnonzero(simple)
        if not len(where):
            return advance
        firsts, inverse = _distinct(group[where], codes[where])
        first = where[firsts]  # each distinct text's first character
        first_obj = obj_of[first]
        fonts = [objs[k].font_address for k in first_obj.tolist()]
        width = _glyph_widths(fonts, codes[first].tolist())
        size = np.array([o.font_size for o in objs])[first_obj]
        scale = np.array([o.matrix[0] for o in objs])[first_obj]
        known = scale * (width * size / WIDTH_UNITS)
        for k in np.flatnonzero(~(width > 0)).tolist():  # no width: `_advance` boxes it
            j = int(first[k])
            obj = objs[first_obj[k]]
            known[k] = obj.matrix[0] * self._advance(keep[j], chr(codes[j]), obj, False, 0.0)
        advance[where] = known[inverse]
        off = where[np.abs(right[where] - x[where] - advance[where]) > ADVANCE_SLACK_PT]
        if len(off):
            ink = _ink_rights(ctypes.c_void_p(self.address), [keep[j] for j in off.tolist()])
            advance[off] = shown_advance(x[off], advance[off], right[off], ink)
        return advance


def _piece_runs(piece: BoolArray) -> Iterator[tuple[int, int]]:
    """(first, last) of each glyph read in pieces: `piece` marks the pieces after the first."""
    ends = np.flatnonzero(piece)
    first = -1
    last = -2
    for j in ends.tolist():
        if j != last + 1:
            if first >= 0:
                yield first, last
            first = j - 1
        last = j
    if first >= 0:
        yield first, last


def _origins(page: ctypes.c_void_p, keep: list[int]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The origin (x, y) and the loose box's right edge of each character in `keep`.

    PDFium writes a character's values through pointers; one ctypes pointer object per
    character costs as much as the call, so each thread keeps a buffer of CHUNK slots and a
    pointer to each (`_Slots`), and the calls are mapped over a chunk of characters at a time.
    """
    slots = _slots()
    m = len(keep)
    xy = np.empty((m, 2))
    right = np.empty(m)
    for start in range(0, m, CHUNK):
        part = keep[start : start + CHUNK]
        k = len(part)
        deque(map(_CHAR_ORIGIN_UNTYPED, repeat(page), part, slots.x_at, slots.y_at), maxlen=0)
        deque(map(_LOOSE_BOX_UNTYPED, repeat(page), part, slots.loose_at), maxlen=0)
        xy[start : start + k] = slots.origin[:k]
        right[start : start + k] = slots.loose[:k, 2]
    return xy[:, 0].copy(), xy[:, 1].copy(), right


def _distinct(major: IntArray, minor: CodeArray) -> tuple[IntArray, IntArray]:
    """The first position of each distinct (major, minor) pair and, for each position, the
    number of its pair: np.unique's return_index and return_inverse of the pairs, done as two
    stable radix sorts of 16-bit keys when they fit (pages' fonts and code points do)."""
    if not len(major) or major.max() > _INT16_MAX or minor.max() > _BMP_LAST:
        _, firsts, inverse = np.unique(
            major * _CODE_SPACE + minor, return_index=True, return_inverse=True
        )
        return firsts, inverse
    by_minor = np.argsort(minor.astype(np.uint16), kind="stable")
    order = by_minor[np.argsort(major[by_minor].astype(np.int16), kind="stable")]
    keys = major[order] * _CODE_SPACE + minor[order]
    new = np.ones(len(keys), dtype=np.bool_)
    new[1:] = keys[1:] != keys[:-1]
    inverse = np.empty(len(keys), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return order[new], inverse


def _glyph_widths(fonts: list[int], codes: list[int]) -> FloatArray:
    """The width of each font's glyph for each code point, in glyph units (0: unknown), as
    `_PageReader._unicode_width` asks it, in mapped calls as `_origins` reads."""
    slots = _slots()
    out = np.zeros(len(fonts))
    handles = {font: ctypes.c_void_p(font) for font in set(fonts)}
    size = ctypes.c_float(WIDTH_UNITS)
    for start in range(0, len(fonts), CHUNK):
        part = fonts[start : start + CHUNK]
        k = len(part)
        found = np.fromiter(
            map(
                _GLYPH_WIDTH_UNTYPED,
                map(handles.__getitem__, part),
                codes[start : start + k],
                repeat(size),
                slots.loose_at,
            ),
            dtype=np.intc,
            count=k,
        )
        known = (found != 0) & (np.array(part) != 0)
        out[start : start + k] = np.where(known, slots.loose[:k, 0], 0.0)
    return out


def _matrices(page: ctypes.c_void_p, indexes: list[int]) -> list[list[float]]:
    """a, b, c, d of the matrix of each character at `indexes`, as `_origins` reads."""
    slots = _slots()
    out = np.empty((len(indexes), 6), dtype=np.float32)
    for start in range(0, len(indexes), CHUNK):
        part = indexes[start : start + CHUNK]
        deque(map(_MATRIX_UNTYPED, repeat(page), part, slots.matrix_at), maxlen=0)
        out[start : start + len(part)] = slots.matrix[: len(part)]
    return out[:, :4].T.tolist()


def _ink_rights(page: ctypes.c_void_p, indexes: list[int]) -> FloatArray:
    """The right edge of each character's tight box (its ink), read as `_origins` reads."""
    slots = _slots()
    out = np.empty(len(indexes))
    scratch = repeat(slots.y_at[0])  # left, bottom and top, not needed
    for start in range(0, len(indexes), CHUNK):
        part = indexes[start : start + CHUNK]
        calls = map(_TIGHT_BOX_UNTYPED, repeat(page), part, scratch, slots.x_at, scratch, scratch)
        deque(calls, maxlen=0)
        out[start : start + len(part)] = slots.origin[: len(part), 0]
    return out


def _addresses(container: int, count: Any, get: Any) -> list[int]:
    """The addresses of a page's or form's objects (no NULLs), without a pointer object each."""
    pointer = ctypes.c_void_p(container)
    found = map(get, repeat(pointer), range(max(count(pointer), 0)))
    return [address for address in found if address]


def _objects(container: Any, count: Any, get: Any) -> Iterator[Any]:
    for i in range(max(count(container), 0)):
        obj = get(container, i)
        if obj:
            yield obj


@dataclass(frozen=True, slots=True)
class _PageObjects:
    """What the page's object tree tells besides the characters."""

    images: tuple[BBox, ...]
    """Every image's box in pdfplumber's frame, images inside Form XObjects included."""
    text_order: dict[int, int]
    """Text object address -> its rank in content-stream order (forms where they are drawn)."""
    rules: tuple[BBox, ...] = ()
    """Horizontal strokes of the page's paths (lines, rectangle edges), as pdfplumber's
    `horizontal_edges` gives them: where tables may be."""


RULE_FLAT_PT = 0.5
"""A path segment whose ends differ by less than this in y is horizontal (pdfminer's lines
and rectangle edges are exact; the slack absorbs float noise of transformed points)."""


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


def _path_rules(obj: Any, outer: Matrix, frame: Frame) -> Iterator[BBox]:
    """The horizontal segments of one path object, at least MIN_RULE_PT long, in
    pdfplumber's frame: each straight segment is an edge, as pdfplumber reads lines,
    rectangles and the straight parts of curves."""
    fm = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
        return
    m = multiply((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None

    def edge(a: tuple[float, float], b: tuple[float, float]) -> BBox | None:
        if abs(a[1] - b[1]) >= RULE_FLAT_PT or abs(a[0] - b[0]) < MIN_RULE_PT:
            return None
        top = frame.y_flip - a[1]
        return (min(a[0], b[0]) + frame.x_shift, top, max(a[0], b[0]) + frame.x_shift, top)

    for i in range(max(pdfium_c.FPDFPath_CountSegments(obj), 0)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = _apply(m, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            found = edge(prev, point)
            if found is not None:
                yield found
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            found = edge(point, start)
            if found is not None:
                yield found
        prev = point


def _page_objects(page: Any, frame: Frame) -> _PageObjects:
    boxes: list[BBox] = []
    order: dict[int, int] = {}
    rules: list[BBox] = []
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    fm = pdfium_c.FS_MATRIX()

    def walk(addresses: list[int], outer: Matrix, depth: int) -> None:
        for address, kind in zip(addresses, map(_OBJECT_TYPE, addresses), strict=True):
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                order.setdefault(address, len(order))
                continue
            obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    continue
                corners = [
                    (x * outer[0] + y * outer[2] + outer[4], x * outer[1] + y * outer[3] + outer[5])
                    for x in (left.value, right.value)
                    for y in (bottom.value, top.value)
                ]
                xs = [p[0] for p in corners]
                ys = [p[1] for p in corners]
                boxes.append(
                    (
                        min(xs) + frame.x_shift,
                        frame.y_flip - max(ys),
                        max(xs) + frame.x_shift,
                        frame.y_flip - min(ys),
                    )
                )
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                rules.extend(_path_rules(obj, outer, frame))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                pdfium_c.FPDFPageObj_GetMatrix(obj, fm)
                inner = multiply((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), outer)
                walk(_addresses(address, _FORM_COUNT, _FORM_OBJECT), inner, depth + 1)

    page_address = ctypes.cast(page.raw, ctypes.c_void_p).value or 0
    walk(_addresses(page_address, _PAGE_COUNT, _PAGE_OBJECT), IDENTITY, 0)
    return _PageObjects(tuple(boxes), order, tuple(rules))


def _turn_upright(page: Any, frame: Frame) -> None:
    """Apply pdfminer's page rotation to the page's objects (in memory only) and clear /Rotate,
    so that PDFium's text page reads a turned page upright and in pdfminer's coordinates."""
    for obj in list(
        _objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)
    ):
        pdfium_c.FPDFPageObj_Transform(obj, *frame.ctm)
    pdfium_c.FPDFPage_SetRotation(page.raw, 0)


def page_words(
    page: Any, page_no: PageNo, descents: Mapping[str, float] | None = None
) -> PageWords:
    """The words and figure boxes of one pypdfium2 page, as `extract.words.words_from_page`;
    `descents` are pdfminer's font descents (extract.fonts.font_descents)."""
    frame = page_frame(page.get_rotation(), page.get_mediabox())
    if frame.rotation:
        _turn_upright(page, frame)
    objects = _page_objects(page, frame)
    textpage = page.get_textpage()
    try:
        reader = _PageReader(textpage, frame, objects.text_order, descents)
        chars = reader.columns()
        words, rotated = split_page(chars, upwards=reader.turned_up >= reader.turned_down)
    finally:
        textpage.close()
    images = objects.images
    min_area = FIGURE_IMAGE_MIN_AREA * frame.width * frame.height
    figures = tuple(b for b in images if (b[2] - b[0]) * (b[3] - b[1]) >= min_area)
    upwards = reader.turned_up >= reader.turned_down
    turned, turned_bbox = turned_words(rotated, frame.width, frame.height, upwards)
    return PageWords(
        page_no,
        frame.width,
        frame.height,
        tuple(words),
        figures,
        len(images),
        turned,
        turned_bbox,
        objects.rules,
    )


def _metadata(pdf: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in METADATA_KEYS:
        value = pdf.get_metadata_value(key)
        if value:
            out[key] = value
    return out


class UnopenedPdf(CorruptPdf):
    """PDFium would not open the file or one of its pages; extract.pdf hands it to the
    pdfplumber backend, whose pdfminer reads some files PDFium refuses (a missing /Root, a
    page tree that names itself) and raises its own typed error for the others."""


ENCRYPT_KEY = b"/Encrypt"
"""An encrypted PDF names its encryption dictionary with this key in its trailer (or its
cross-reference stream's dictionary, which is never compressed): PDF 32000-1:2008, 7.6.1."""


def _classify(exc: BaseException, where: str, encrypted: bool = True) -> CorruptPdf | EncryptedPdf:
    """The typed error for a PDFium failure. PDFium's error code is the last one its thread
    set, and some failures set none (a page tree without pages): a worker that opened an
    encrypted file before would report that file's 'password' error again. So the code
    says 'encrypted' only when the file has an encryption dictionary (`encrypted`)."""
    code = getattr(exc, "err_code", None)
    if encrypted and code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return EncryptedPdf(f"encrypted PDF: a password is needed to read it ({where})")
    detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    name = type(exc).__name__
    return CorruptPdf(
        f"corrupt or truncated PDF ({where}): {name}{': ' + detail if detail else ''}"
    )


def _page_count(pdf: Any, max_pages: int) -> int:
    """The number of pages, a claim above the limit checked by loading them.

    PDFium takes the page tree's /Count at its word, pdfminer walks the tree: a PDF whose
    /Count claims a million pages with one page in its tree is read by pdfminer as the page it
    has, and so it is here. A PDF with more pages than the limit still fails on the limit.
    """
    claimed = len(pdf)
    if claimed <= max_pages:
        return claimed
    for i in range(max_pages + 1):
        try:
            page = pdf[i]
        except MemoryError:
            raise
        except Exception:  # no such page: the count lied
            return i
        page.close()
    return claimed


def read_pages(
    data: bytes, started: float, time_limit_s: float, max_pages: int
) -> tuple[list[PageWords], dict[str, Any]]:
    """Every page's words, with the limits and typed errors of the pdfplumber backend.

    A crash inside PDFium itself (a segfault) cannot be caught here: it kills the worker
    process, which flows.sandbox records as worker_crashed.
    """
    try:
        pdf = pdfium.PdfDocument(data)
    except MemoryError:
        raise
    except Exception as exc:
        error = _classify(exc, "opening", encrypted=ENCRYPT_KEY in data)
        if isinstance(error, EncryptedPdf):
            raise error from exc
        raise UnopenedPdf(error.reason) from exc
    try:
        n = _page_count(pdf, max_pages)
        if n == 0:
            raise EmptyPdf("the PDF has no pages")
        if n > max_pages:
            raise TooManyPages(f"{n} pages, more than the limit of {max_pages}")
        metadata = _metadata(pdf)
        descents = font_descents(data)
        out: list[PageWords] = []
        for i in range(n):
            if time.monotonic() - started > time_limit_s:
                raise TimeLimitExceeded(
                    f"time limit of {time_limit_s:g} s exceeded after {i} of {n} pages"
                )
            try:
                page = pdf[i]
            except MemoryError:
                raise
            except Exception as exc:
                raise UnopenedPdf(_classify(exc, f"page {i + 1}").reason) from exc
            try:
                out.append(page_words(page, i + 1, descents))
            finally:
                page.close()
    finally:
        pdf.close()
    return out, metadata
