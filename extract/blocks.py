"""Lines in reading order -> paragraphs, captions, headings; paragraphs rejoined across breaks.

A paragraph ends where the style changes (size, boldness), where the line spacing opens up,
where a first-line indent starts a new paragraph, or after a short line that closes a sentence.
A paragraph cut by a column or page break is put back together when the next column starts
without an indent (and, in documents that do not indent, when the first part did not end a
sentence). Captions ('Figure 3 ...', 'Table 1 ...') are taken out of the running text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise

from extract.layout import Line
from extract.types import BBox, BlockKind, PageNo

SIZE_TOLERANCE = 0.4
"""Font sizes closer than this (points) are the same size."""
GAP_FACTOR = 1.35
"""A line further below the previous one than this multiple of the usual line pitch starts a
new block."""
INDENT_MIN_EM = 0.6
INDENT_MAX_EM = 4.0
"""A first-line indent is between these many ems from the column's left edge."""
SHORT_LINE_EM = 2.0
"""A line ending this many ems before the column's right edge is short (a paragraph's last)."""
MAX_PITCH_EM = 3.0
"""Line-to-line distances above this are not line spacing (used to learn the usual pitch)."""
DEFAULT_PITCH_EM = 1.25
INDENT_STYLE_FRAC = 0.4
"""A document whose paragraphs mostly start indented marks paragraphs by indent alone."""
CAPTION_SMALLER_PT = 0.3
"""A caption printed smaller than the body by this much needs no other signal."""

CAPTION_RE = re.compile(
    r"^(?:supplementary\s+|suppl\.?\s+)?(?:fig(?:ure)?s?\.?|table|chart|scheme|graph)"
    r"\s*(?:[A-Z]?\d+[A-Za-z]?|[IVX]+)(?:\s*[-,]\s*\d+)?(?P<sep>\s*[.:|]|\s|$)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Part:
    """The lines of one block that sit in one column of one page."""

    lines: tuple[Line, ...]

    @property
    def page(self) -> PageNo:
        return self.lines[0].page

    @property
    def bbox(self) -> BBox:
        return (
            min(ln.x0 for ln in self.lines),
            min(ln.top for ln in self.lines),
            max(ln.x1 for ln in self.lines),
            max(ln.bottom for ln in self.lines),
        )


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block before its text is assembled: its parts, its kind and how it starts."""

    parts: tuple[Part, ...]
    kind: BlockKind
    column_start: bool = False
    """First block of a column or page run: it may continue the previous column's paragraph."""
    indented: bool = False
    inline: bool = False
    """A heading cut out of a paragraph's running text (see extract/inline.py)."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's cells, one tuple per line of `parts` (kind 'table' only)."""
    opens_abstract: bool = False
    """The first paragraph of an abstract printed without an 'Abstract' heading, right after
    the front matter (see extract/front.py)."""
    front: bool = False
    """Front matter of page 1 (article-type label, authors, affiliations, dates, copyright):
    never a heading, always in section 'front' (see extract/front.py)."""

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(ln for p in self.parts for ln in p.lines)

    @property
    def first(self) -> Line:
        return self.parts[0].lines[0]

    @property
    def last(self) -> Line:
        return self.parts[-1].lines[-1]

    @property
    def size(self) -> float:
        return self.first.size


@dataclass(frozen=True)
class Typography:
    """What is usual in this document: body font size, line pitch per size, column edges."""

    body_size: float
    pitch: dict[float, float]
    edges: dict[tuple[PageNo, int], tuple[float, float]]

    def line_pitch(self, size: float) -> float:
        return self.pitch.get(round(size, 1), DEFAULT_PITCH_EM * size)


def learn_typography(lines: list[Line]) -> Typography:
    """Body size (most characters), usual pitch per size, and left/right edges per column."""
    weight: Counter[float] = Counter()
    for ln in lines:
        weight[ln.size] += len(ln.text)
    body = weight.most_common(1)[0][0] if weight else 10.0
    steps: dict[float, list[float]] = defaultdict(list)
    by_col: dict[tuple[PageNo, int], list[Line]] = defaultdict(list)
    for ln in lines:
        by_col[(ln.page, ln.column)].append(ln)
    for col_lines in by_col.values():
        for a, b in pairwise(col_lines):
            step = b.top - a.top
            if abs(a.size - b.size) <= SIZE_TOLERANCE and 0 < step <= MAX_PITCH_EM * a.size:
                steps[a.size].append(step)
    pitch = {s: sorted(v)[len(v) // 2] for s, v in steps.items()}
    edges = {key: _edges(col) for key, col in by_col.items()}
    return Typography(body, pitch, edges)


def _edges(lines: list[Line]) -> tuple[float, float]:
    """Left edge shared by at least two lines (else the leftmost), and the right edge."""
    xs = sorted(round(ln.x0) for ln in lines)
    left = float(xs[0])
    for a, b in pairwise(xs):
        if b - a <= 1:
            left = float(a)
            break
    return left, max(ln.x1 for ln in lines)


def is_caption_start(line: Line, body_size: float) -> bool:
    """'Figure 2 ...', 'Table 1. ...' opening a block, told apart from a sentence that starts
    with 'Figure 2 shows' by a smaller size, a bold label, or punctuation after the number."""
    m = CAPTION_RE.match(line.text)
    if not m:
        return False
    if line.size < body_size - CAPTION_SMALLER_PT or line.lead_bold or line.bold:
        return True
    return bool(m.group("sep").strip())


def _indented(line: Line, typo: Typography) -> bool:
    left = typo.edges.get((line.page, line.column), (line.x0, line.x1))[0]
    offset = line.x0 - left
    return INDENT_MIN_EM * line.size <= offset <= INDENT_MAX_EM * line.size


def _is_short(line: Line, typo: Typography) -> bool:
    right = typo.edges.get((line.page, line.column), (line.x0, line.x1))[1]
    return line.x1 < right - SHORT_LINE_EM * line.size


def _breaks(prev: Line, cur: Line, nxt: Line | None, typo: Typography) -> bool:
    """Whether `cur` starts a new block after `prev` in the same column of the same page."""
    if abs(prev.size - cur.size) > SIZE_TOLERANCE or prev.bold != cur.bold:
        return True
    if cur.top - prev.top > GAP_FACTOR * typo.line_pitch(prev.size) or cur.top < prev.top:
        return True
    if is_caption_start(cur, typo.body_size):
        return True
    if _indented(cur, typo) and not _indented(prev, typo):
        hanging = (
            not _is_short(prev, typo)
            and nxt is not None
            and nxt.column == cur.column
            and abs(nxt.x0 - cur.x0) <= 1
        )
        if not hanging:
            return True
    return _is_short(prev, typo) and bool(_SENTENCE_END.search(prev.text))


def segment(lines: list[Line], typo: Typography) -> list[RawBlock]:
    """Cut the reading-order lines into blocks, each within one column of one page."""
    blocks: list[RawBlock] = []
    current: list[Line] = []
    column_start = True

    def close() -> None:
        nonlocal column_start
        if current:
            first = current[0]
            caption = is_caption_start(first, typo.body_size)
            blocks.append(
                RawBlock(
                    (Part(tuple(current)),),
                    "caption" if caption else "body",
                    column_start=column_start,
                    indented=_indented(first, typo),
                )
            )
            current.clear()
            column_start = False

    for i, ln in enumerate(lines):
        if current:
            prev = current[-1]
            if prev.page != ln.page or prev.column != ln.column:
                close()
                column_start = True
            else:
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                if _breaks(prev, ln, nxt, typo):
                    close()
        current.append(ln)
    close()
    return blocks


def mark_figure_text(blocks: list[RawBlock], body_size: float) -> list[RawBlock]:
    """Text printed inside a figure (labels, placeholders) just above its caption, in the same
    column and in a size other than the body's, is figure text rather than running text."""
    out = list(blocks)
    for i, b in enumerate(out):
        if b.kind != "caption" or not CAPTION_RE.match(b.first.text.lstrip()):
            continue
        if b.first.text.lower().startswith(("table", "supplementary table")):
            continue
        j = i - 1
        while j >= 0:
            prev = out[j]
            if (
                prev.kind != "body"
                or prev.first.page != b.first.page
                or prev.first.column != b.first.column
            ):
                break
            if abs(prev.size - body_size) <= SIZE_TOLERANCE or prev.first.bold:
                break
            out[j] = replace(prev, kind="figure")
            j -= 1
    return out


def rejoin(blocks: list[RawBlock], body_size: float) -> list[RawBlock]:
    """Join a paragraph's parts across column and page breaks.

    The continuation is the first block of a new column (or page) that does not start with an
    indent, in the same size as the paragraph it continues; captions, figure text and running
    heads printed in between are stepped over.
    """
    started = [b for b in blocks if b.kind == "body" and not b.column_start]
    indent_style = bool(started) and (
        sum(b.indented for b in started) >= INDENT_STYLE_FRAC * len(started)
    )
    out: list[RawBlock] = []
    last_body: int | None = None
    for b in blocks:
        if b.kind in ("caption", "figure", "header", "footer"):
            out.append(b)
            continue
        if (
            b.kind == "body"
            and last_body is not None
            and b.column_start
            and not b.indented
            and abs(out[last_body].size - b.size) <= SIZE_TOLERANCE
            and (indent_style or not _SENTENCE_END.search(out[last_body].last.text))
        ):
            prev = out[last_body]
            out[last_body] = replace(prev, parts=prev.parts + b.parts)
            continue
        out.append(b)
        last_body = len(out) - 1 if b.kind == "body" else None
    return out
