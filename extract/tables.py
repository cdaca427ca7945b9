"""Tables found from their horizontal rules and the alignment of the words between them.

Journals set tables between horizontal rules (a rule above the header, one below it, one
closing the table: the 'booktabs' style), with or without vertical rules. A band of the page
between two rules of the same width is tabular when most of its rows break into several
short cells; a run of tabular bands is one table. Rules also frame figures, charts (grid
lines) and whole pages, but the bands they make hold no rows, one caption line, or justified
column text (pieces as wide as a column), so they are not taken for tables. pdfplumber's own
table finder was tried first: it takes chart grids for tables and, without vertical rules,
finds no rows, and it costs about a second per ruled page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from extract.blocks import RawBlock
from extract.layout import group_rows, make_line, split_segments
from extract.types import BBox, PageNo
from extract.words import MIN_RULE_PT, Word

RULE_TOLERANCE = 3.0
"""Points within which two rules start and end at the same x (one table's rules)."""
TABULAR_ROW_FRAC = 0.5
"""A band is tabular when at least this fraction of its rows have two or more cells ..."""
MAX_CELL_FRAC = 0.34
"""... and its cells are short: their median width at most this fraction of the rule's."""
WIDE_CELL_FRAC = 0.4
MAX_WIDE_CHAR_FRAC = 0.25
"""... and at most this share of its characters sit in pieces as wide as a column (this
fraction of the rule's width): justified text cut at wide word spaces has short pieces too,
but most of its letters are in long ones."""
MIN_TABLE_ROWS = 2
FIGURE_OVERLAP = 0.5
"""A band mostly inside a figure image is the figure's frame or grid, not a table."""
CELL_SEP = " | "
ROW_SEP = "\n"


@dataclass(frozen=True)
class TableRegion:
    """One table on one page: where it is and the words printed in it."""

    page: PageNo
    bbox: BBox
    words: tuple[Word, ...]


def _centre_in(w: Word, box: BBox) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _overlap(a: BBox, b: BBox) -> float:
    """Share of a's area inside b."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return max(w, 0) * max(h, 0) / area if area > 0 else 0.0


def rule_groups(rules: tuple[BBox, ...] | list[BBox]) -> list[list[BBox]]:
    """Horizontal rules grouped by extent (same x0 and x1), each group top to bottom, with
    the doubled strokes of one rule (a rectangle's edges, a thick line) counted once."""
    groups: list[list[BBox]] = []
    for r in sorted(rules, key=lambda r: (r[1], r[0])):
        if r[2] - r[0] < MIN_RULE_PT:
            continue
        for g in groups:
            if abs(g[0][0] - r[0]) <= RULE_TOLERANCE and abs(g[0][2] - r[2]) <= RULE_TOLERANCE:
                if r[1] - g[-1][1] > RULE_TOLERANCE:
                    g.append(r)
                break
        else:
            groups.append([r])
    return groups


def cells(words: list[Word] | tuple[Word, ...], page: PageNo) -> tuple[tuple[str, ...], ...]:
    """Rows of cell texts: the words' rows, each cut at gaps of an em or more."""
    out: list[tuple[str, ...]] = []
    for row in group_rows(list(words)):
        segs = split_segments(row.words, row.size)
        out.append(tuple(make_line(seg, page, 0).text for seg in segs))
    return tuple(out)


def _tabular(words: list[Word], width: float) -> tuple[bool, int]:
    """Whether the words of a band read as table rows, and how many rows there are."""
    rows = group_rows(words)
    if not rows:
        return False, 0
    multi = 0
    widths: list[float] = []
    chars = wide_chars = 0
    for row in rows:
        segs = split_segments(row.words, row.size)
        multi += len(segs) >= 2
        for seg in segs:
            seg_width = max(w.x1 for w in seg) - seg[0].x0
            n = sum(len(w.text) for w in seg)
            widths.append(seg_width)
            chars += n
            wide_chars += n if seg_width >= WIDE_CELL_FRAC * width else 0
    ok = (
        multi >= TABULAR_ROW_FRAC * len(rows)
        and median(widths) <= MAX_CELL_FRAC * width
        and wide_chars <= MAX_WIDE_CHAR_FRAC * chars
    )
    return ok, len(rows)


def find_tables(
    page: PageNo,
    words: tuple[Word, ...] | list[Word],
    rules: tuple[BBox, ...],
    figure_boxes: tuple[BBox, ...] = (),
) -> list[TableRegion]:
    """The tables of one page, from its horizontal rules and its words."""
    found: list[TableRegion] = []
    taken: set[int] = set()
    for group in rule_groups(rules):
        x0, x1 = group[0][0], group[0][2]
        run: list[tuple[float, float]] = []
        n_rows = 0
        bands: list[tuple[BBox | None, BBox | None]] = [*pairwise(group), (None, None)]
        for upper, lower in bands:
            ok = False
            if upper is not None and lower is not None:
                box = (x0, upper[1], x1, lower[3])
                inside = [w for i, w in enumerate(words) if i not in taken and _centre_in(w, box)]
                in_figure = any(_overlap(box, f) >= FIGURE_OVERLAP for f in figure_boxes)
                ok, rows = _tabular(inside, x1 - x0) if not in_figure else (False, 0)
                if ok:
                    run.append((upper[1], lower[3]))
                    n_rows += rows
                    continue
            if run and n_rows >= MIN_TABLE_ROWS:
                box = (x0, run[0][0], x1, run[-1][1])
                idx = [i for i, w in enumerate(words) if i not in taken and _centre_in(w, box)]
                taken.update(idx)
                found.append(TableRegion(page, box, tuple(words[i] for i in idx)))
            run, n_rows = [], 0
    return sorted(found, key=lambda t: (t.bbox[1], t.bbox[0]))


def table_text(rows: tuple[tuple[str, ...], ...]) -> str:
    """A table as text: a line per row, cells separated by ' | '."""
    return ROW_SEP.join(CELL_SEP.join(r) for r in rows)


MAX_COLUMN_CHANGE = 1
"""A continued table keeps its columns (give or take one: an empty cell at a row's end)."""


def _columns(b: RawBlock) -> int:
    return max((len(r) for r in b.rows), default=0)


def join_continued_tables(blocks: list[RawBlock]) -> list[RawBlock]:
    """A table that runs over a page break is one table.

    The part on the next page is the first thing printed there (running heads and a
    'Table 1 (continued)' caption aside) and has the same columns as the last table of the
    page before; its rows are appended to that table.
    """
    table_tops: dict[PageNo, list[float]] = {}
    for t in blocks:
        if t.kind == "table":
            table_tops.setdefault(t.first.page, []).append(t.first.top)
    out: list[RawBlock] = []
    last_table: int | None = None
    content_seen: set[PageNo] = set()
    """Pages with running text above their tables: a table there does not continue one."""
    for b in blocks:
        page = b.first.page
        if b.kind == "table" and last_table is not None:
            prev = out[last_table]
            if (
                prev.last.page == page - 1
                and page not in content_seen
                and not _text_below(prev, blocks)
                and abs(_columns(prev) - _columns(b)) <= MAX_COLUMN_CHANGE
            ):
                out[last_table] = replace(prev, parts=prev.parts + b.parts, rows=prev.rows + b.rows)
                continue
        tops = table_tops.get(page, [])
        below_tables = bool(tops) and all(b.first.top > top for top in tops)
        if b.kind in ("body", "heading", "reference") and not below_tables:
            content_seen.add(page)
        out.append(b)
        if b.kind == "table":
            last_table = len(out) - 1
    return out


def _text_below(t: RawBlock, blocks: list[RawBlock]) -> bool:
    """Whether running text follows the table further down its last page."""
    page, bottom = t.last.page, t.last.bottom
    return any(
        b.kind in ("body", "heading", "reference") and b.first.page == page and b.first.top > bottom
        for b in blocks
    )
