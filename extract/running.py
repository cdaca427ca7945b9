"""Running heads and feet, recognised by repetition across pages and by position.

A journal prints its name, the page number, a copyright line or the DOI on every page. Such a
line is found because the same text (digits normalised, so 'Page 3' and 'Page 4' match) sits in
the top or bottom margin of several pages; the margin positions learned from those lines then
also catch the variants that do not repeat (the first page's 'Case Report 4206').
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from extract.layout import Row

MARGIN_FRAC = 0.1
"""Running heads/feet sit within this fraction of the page height from its top or bottom."""
EDGE_ROWS = 3
"""Only the first and last few rows of a page are candidates."""
MIN_REPEAT_PAGES = 2
REPEAT_PAGE_FRAC = 0.25
"""A text repeats when it is on at least this many pages / this fraction of the pages."""
BAND_TOLERANCE = 2.0
"""Points within which another page's margin row is at the same position as a repeated one."""

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\s\W_]+")


@dataclass(frozen=True, slots=True)
class PageRows:
    """A page's rows with the page height (the only page fact needed here)."""

    height: float
    rows: tuple[Row, ...]


def repeat_key(text: str) -> str:
    """Text reduced to what repeats across pages: lower case, digits as '0', no spaces.

    The digit stand-in is a word character, so a bare page number keeps a key ('0').
    """
    return _NON_WORD.sub("", _DIGITS.sub("0", text.lower()))


def _candidates(page: PageRows) -> list[tuple[int, str]]:
    """(row index, zone) of the rows in a page's margins, zone 'header' or 'footer'."""
    out: list[tuple[int, str]] = []
    n = len(page.rows)
    for i, row in enumerate(page.rows):
        if i < EDGE_ROWS and row.bottom <= MARGIN_FRAC * page.height:
            out.append((i, "header"))
        elif i >= n - EDGE_ROWS and row.top >= (1 - MARGIN_FRAC) * page.height:
            out.append((i, "footer"))
    return out


def find_running(pages: list[PageRows]) -> dict[tuple[int, int], str]:
    """Map (page index, row index) of running heads/feet to 'header' or 'footer'."""
    cands = [_candidates(p) for p in pages]
    pages_with: dict[tuple[str, str], set[int]] = {}
    for p, (page, cs) in enumerate(zip(pages, cands, strict=True)):
        for i, zone in cs:
            key = repeat_key(page.rows[i].text())
            if key:
                pages_with.setdefault((zone, key), set()).add(p)
    need = max(MIN_REPEAT_PAGES, math.ceil(REPEAT_PAGE_FRAC * len(pages)))
    repeated = {k for k, ps in pages_with.items() if len(ps) >= need}
    found: dict[tuple[int, int], str] = {}
    bands: list[tuple[str, float]] = []
    for p, (page, cs) in enumerate(zip(pages, cands, strict=True)):
        for i, zone in cs:
            if (zone, repeat_key(page.rows[i].text())) in repeated:
                found[(p, i)] = zone
                bands.append((zone, page.rows[i].top))
    for p, (page, cs) in enumerate(zip(pages, cands, strict=True)):
        for i, zone in cs:
            if (p, i) in found:
                continue
            top = page.rows[i].top
            if any(z == zone and abs(top - t) <= BAND_TOLERANCE for z, t in bands):
                found[(p, i)] = zone
    return found
