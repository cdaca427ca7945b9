"""Geometry of a page: words -> rows -> column gutters -> lines in reading order.

Pure functions over `Word` records. Columns are found from the words themselves (a vertical
band of whitespace that many rows leave empty), never from a page width or a fixed gutter,
so one-, two- and three-column pages, and pages mixing full-width blocks with columns, are
read the way a person reads them: a run of column rows is read column by column, and a
full-width element (title, abstract, wide figure caption) closes the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter

from extract.types import BBox, PageNo
from extract.words import Word

ROW_OVERLAP = 0.5
"""Words share a row when their vertical extents overlap by this fraction of the smaller one
(a superscript overlaps its line enough, the next line does not)."""
MIN_WORD_HEIGHT = 1.0
MUCH_LARGER = 1.4
"""A row's words at least this many times smaller than its largest are another size class:
a title in one column set beside body lines of the other."""
APART_EM = 1.0
"""Smaller words this many of their ems clear of the larger words' horizontal span are not
their superscripts or run-on text: they are lines of their own (another column)."""
GLUE_RATIO = 0.15
"""Adjacent words closer than this fraction of the font size are one token split only by a
font change (bold label, superscript 'mg/m' + '2'); they are glued without a space."""
SEGMENT_GAP_EM = 1.0
"""A horizontal gap of at least this many ems splits a row into pieces (column candidates);
justified word spacing stays below it."""
MIN_SEGMENT_EM = 3.0
"""A row piece narrower than this (in ems) is a label or table cell, too small to vote for a
column gutter."""
MIN_GUTTER_ROWS = 3
GUTTER_ROW_FRAC = 0.15
"""A gutter is a band left empty by at least this many rows / this fraction of the page's rows."""
COVER_SLACK_ROWS = 2
COVER_SLACK_FRAC = 0.05
"""Inside a band of whitespace, x positions printed on by at most this many rows more than the
emptiest x belong to the gutter."""
GUTTER_EDGE_FRAC = 0.1
"""Gutters hug neither edge of the text area."""
BOLD_CHAR_FRAC = 0.9
"""A line is bold (or italic) when at least this fraction of its characters are."""
BULLETS = frozenset("•◦▪▫■□●○‣⁃∙")
"""List bullet glyphs, dropped when printed as a word of their own."""
SPANNING = -1
"""Column index of a line that crosses a gutter (full-width element)."""
_BY_X0 = attrgetter("x0")
_BY_TOP_X0 = attrgetter("top", "x0")


@dataclass(frozen=True, slots=True)
class Row:
    """Words that sit on one horizontal line of the page, left to right."""

    words: tuple[Word, ...]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of one column (or a full-width line), text still raw."""

    text: str
    page: PageNo
    column: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    lead_bold: str
    """Leading bold words of a line that is not bold throughout (a run-in label), else ''."""
    n_words: int

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


def group_rows(words: tuple[Word, ...] | list[Word]) -> list[Row]:
    """Cluster words into rows by vertical overlap, top to bottom."""
    rows: list[Row] = []
    current: list[Word] = []
    ref_top = ref_bottom = ref_size = 0.0
    for w in sorted(words, key=_BY_TOP_X0):
        if current:
            # min() and max() spelt out: this runs for every word of a page
            top, bottom = w.top, w.bottom
            overlap = (bottom if bottom < ref_bottom else ref_bottom) - (
                top if top > ref_top else ref_top
            )
            height, ref_height = bottom - top, ref_bottom - ref_top
            smaller = height if height < ref_height else ref_height
            if smaller < MIN_WORD_HEIGHT:
                smaller = MIN_WORD_HEIGHT
            if overlap >= ROW_OVERLAP * smaller:
                current.append(w)
                if w.size > ref_size:
                    ref_top, ref_bottom, ref_size = w.top, w.bottom, w.size
                continue
            rows.append(_make_row(current, ref_top, ref_bottom, ref_size))
        current = [w]
        ref_top, ref_bottom, ref_size = w.top, w.bottom, w.size
    if current:
        rows.append(_make_row(current, ref_top, ref_bottom, ref_size))
    out: list[Row] = []
    for row in rows:
        out.extend(_split_sizes(row))
    if len(out) != len(rows):
        out.sort(key=lambda r: (r.top, r.x0))
    return out


def _split_sizes(row: Row) -> list[Row]:
    """Split off the much smaller words printed clear of a large row's words.

    A large title in one column overlaps several body lines of the other column vertically,
    so the sweep above puts them all in one row. Superscripts and run-on text touch or sit
    among the large words; words well to the left or right of all of them are regrouped into
    rows of their own.
    """
    sizes = [w.size for w in row.words]
    big_size = max(sizes)
    small_limit = big_size / MUCH_LARGER
    if min(sizes) > small_limit:  # one size class: most rows
        return [row]
    big = [w for w in row.words if w.size > small_limit]
    small = [w for w in row.words if w.size <= small_limit]
    if not small or not big:
        return [row]
    x0, x1 = min(w.x0 for w in big), max(w.x1 for w in big)
    apart = [w for w in small if w.x0 >= x1 + APART_EM * w.size or w.x1 <= x0 - APART_EM * w.size]
    if not apart:
        return [row]
    gone = {id(w) for w in apart}
    keep = [w for w in row.words if id(w) not in gone]
    top = min(w.top for w in big if w.size == big_size)
    bottom = max(w.bottom for w in big if w.size == big_size)
    return [_make_row(keep, top, bottom, big_size), *group_rows(apart)]


def _make_row(words: list[Word], top: float, bottom: float, size: float) -> Row:
    return Row(tuple(sorted(words, key=_BY_X0)), top, bottom, size)


def split_segments(words: tuple[Word, ...] | list[Word], size: float) -> list[list[Word]]:
    """Cut a row (sorted left to right) at gaps of at least SEGMENT_GAP_EM."""
    segments: list[list[Word]] = []
    min_gap = SEGMENT_GAP_EM * size
    right = float("-inf")
    for w in words:
        if segments and w.x0 - right < min_gap:
            segments[-1].append(w)
            if w.x1 > right:  # max(right, w.x1), without the call: once per word of a page
                right = w.x1
        else:
            segments.append([w])
            right = w.x1
    return segments


def _least_covered(cover: list[int], start: int, stop: int, n_rows: int) -> tuple[int, int]:
    """The longest stretch of [start, stop) printed on by barely more rows than the least."""
    limit = min(cover[start:stop]) + max(COVER_SLACK_ROWS, COVER_SLACK_FRAC * n_rows)
    best = (start, start + 1)
    run_start: int | None = None
    for i in range(start, stop + 1):
        inside = i < stop and cover[i] <= limit
        if inside and run_start is None:
            run_start = i
        elif not inside and run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    return best


Bounds = list[tuple[float, float, list[Word]]]
"""A row's pieces cut at wide gaps (`split_segments`): (x0, x1, words) each."""


def find_gutters(rows: list[Row], bounds: list[Bounds] | None = None) -> list[tuple[float, float]]:
    """Vertical whitespace bands that separate columns, as (x0, x1) intervals.

    For every x, count the rows that have a real stretch of text (a few ems) ending left of x
    with nothing printed at x, and those with such a stretch starting right of x. Where both
    counts are high, columns meet: a gutter. Rows of the two columns need not share baselines.
    Within that band the gutter sits where the fewest words are printed (full-width lines only).
    `bounds`: each row's `_bounds`, when the caller has them already.
    """
    if not rows:
        return []
    left = min(r.x0 for r in rows)
    right = max(r.x1 for r in rows)
    width = int(right - left) + 2
    if width <= 2:
        return []
    left_diff = [0] * (width + 1)
    right_diff = [0] * (width + 1)
    cover_diff = [0] * (width + 1)

    def span(diff: list[int], a: float, b: float) -> None:
        i, j = max(int(a - left) + 1, 0), min(int(b - left), width)
        if i < j:
            diff[i] += 1
            diff[j] -= 1

    if bounds is None:
        bounds = [_bounds(row) for row in rows]
    for row, pieces in zip(rows, bounds, strict=True):
        min_width = MIN_SEGMENT_EM * row.size
        last = len(pieces) - 1
        for k, (x0, x1, _) in enumerate(pieces):
            span(cover_diff, x0 - 1, x1)
            if x1 - x0 < min_width:
                continue
            span(left_diff, x1, pieces[k + 1][0] if k < last else right)
            span(right_diff, pieces[k - 1][1] if k > 0 else left, x0)
    lefts, rights, cover = (list(accumulate(d)) for d in (left_diff, right_diff, cover_diff))
    score = list(map(min, lefts, rights))
    need = max(MIN_GUTTER_ROWS, GUTTER_ROW_FRAC * len(rows))
    gutters: list[tuple[float, float]] = []
    start: int | None = None
    for x, v in enumerate([*score, 0]):
        if v >= need and start is None:
            start = x
        elif v < need and start is not None:
            i0, i1 = _least_covered(cover, start, x, len(rows))
            g0, g1 = left + i0, left + i1
            centre = (g0 + g1) / 2
            if (
                left + GUTTER_EDGE_FRAC * (right - left)
                < centre
                < right - GUTTER_EDGE_FRAC * (right - left)
            ):
                gutters.append((g0, g1))
            start = None
    return gutters


_ROUNDED_SIZES: dict[float, float] = {}
"""Font size -> rounded to 0.1 pt: a document prints in a handful of sizes, and make_line
rounds the size of every word."""


def make_line(words: list[Word], page: PageNo, column: int) -> Line:
    """Join a row piece's words into a raw line, gluing font-split tokens and superscripts.

    A list bullet glyph standing alone carries no text and is left out. One pass over the
    words gathers what the line needs (it is called for every line of every page).
    """
    words = sorted(words, key=_BY_X0)
    if len(words) > 1:
        words = [w for w in words if w.text not in BULLETS] or words
    rounded_of = _ROUNDED_SIZES
    sizes: list[float] = []
    weight: dict[float, int] = {}
    n_chars = bold_chars = italic_chars = 0
    x1 = words[0].x1
    for w in words:
        rounded = rounded_of.get(w.size)
        if rounded is None:
            rounded = rounded_of[w.size] = round(w.size, 1)
        sizes.append(rounded)
        if w.x1 > x1:
            x1 = w.x1
        n = len(w.text)
        weight[rounded] = weight.get(rounded, 0) + n
        n_chars += n
        if w.bold:
            bold_chars += n
        if w.italic:
            italic_chars += n
    # the first of the heaviest, as most_common(1)
    size = max(weight, key=weight.__getitem__) if len(weight) > 1 else sizes[0]
    n_chars = n_chars or 1
    glue = GLUE_RATIO * size
    parts: list[str] = [words[0].text]
    prev_x1 = words[0].x1
    for w in words[1:]:
        parts.append("" if w.x0 - prev_x1 < glue else " ")
        parts.append(w.text)
        prev_x1 = w.x1
    bold = bold_chars >= BOLD_CHAR_FRAC * n_chars
    lead: list[str] = []
    if not bold:
        for w in words:
            if not w.bold:
                break
            lead.append(w.text)
    sized = words
    if len(weight) > 1:
        sized = [w for w, r in zip(words, sizes, strict=True) if r == size]
    return Line(
        text="".join(parts),
        page=page,
        column=column,
        x0=words[0].x0,
        top=min([w.top for w in sized]),
        x1=x1,
        bottom=max([w.bottom for w in sized]),
        size=size,
        bold=bold,
        italic=italic_chars >= BOLD_CHAR_FRAC * n_chars,
        lead_bold=" ".join(lead),
        n_words=len(words),
    )


def _bounds(row: Row) -> Bounds:
    return [
        (seg[0].x0, max([w.x1 for w in seg]), seg) for seg in split_segments(row.words, row.size)
    ]


def _activity(crossing: list[bool]) -> tuple[list[bool], list[bool]]:
    """For one gutter: is it in force at each row, and does a crossing row cut across it?

    The gutter is in force over runs of at least MIN_GUTTER_ROWS rows that leave it empty (a
    table above two columns makes gutters that the columns then cross: not in force there). A
    row printed across it is a full-width element when the gutter is in force just above or
    just below that row (and the row is not itself in the columns of another gutter).
    """
    n = len(crossing)
    active = [False] * n
    i = 0
    while i < n:
        if crossing[i]:
            i += 1
            continue
        j = i
        while j < n and not crossing[j]:
            j += 1
        if j - i >= MIN_GUTTER_ROWS:
            for k in range(i, j):
                active[k] = True
        i = j
    cuts = [False] * n
    for r in range(n):
        if crossing[r]:
            above = next((active[k] for k in range(r - 1, -1, -1) if not crossing[k]), False)
            below = next((active[k] for k in range(r + 1, n) if not crossing[k]), False)
            cuts[r] = above or below
    return active, cuts


def order_lines(rows: list[Row], page: PageNo) -> list[Line]:
    """Lines of a page in reading order: column runs column by column, full-width lines between."""
    bounds = [_bounds(row) for row in rows]
    centres = [(g0 + g1) / 2 for g0, g1 in find_gutters(rows, bounds)]
    if not centres:
        return [make_line(list(row.words), page, 0) for row in rows]
    per_gutter = [_activity([any(x0 < c < x1 for x0, x1, _ in b) for b in bounds]) for c in centres]
    out: list[Line] = []
    band: list[list[tuple[int, list[Word]]]] = []

    def flush() -> None:
        if not band:
            return
        if len(band) == 1:
            # A single row between full-width lines is a full-width line whose space happened
            # to fall on the gutter; keep it whole.
            out.append(make_line([w for _, ws in band[0] for w in ws], page, SPANNING))
        else:
            for col in range(len(centres) + 1):
                for pieces in band:
                    for c, ws in pieces:
                        if c == col:
                            out.append(make_line(ws, page, col))
        band.clear()

    for r, row in enumerate(rows):
        in_columns = any(active[r] for active, _ in per_gutter)
        if not in_columns and any(cuts[r] for _, cuts in per_gutter):
            flush()
            out.append(make_line(list(row.words), page, SPANNING))
            continue
        splits = [c for c, (active, _) in zip(centres, per_gutter, strict=True) if active[r]]
        pieces: list[tuple[int, list[Word]]] = []
        for x0, _, seg in bounds[r]:
            col = sum(1 for c in centres if c < x0)
            same = pieces and not any(pieces[-1][1][0].x0 < c < x0 for c in splits)
            if same:
                pieces[-1][1].extend(seg)
            else:
                pieces.append((col, list(seg)))
        band.append(pieces)
    flush()
    return out
