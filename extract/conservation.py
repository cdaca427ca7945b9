"""Conservation: how many of a page's letters reach the Document's blocks.

pdfplumber's own `extract_words` (default settings) is the reference: every letter or digit it
finds on a page must land in some block of the page (body, heading, caption, table, figure,
running head/foot, reference or front matter). A page that keeps less is losing text silently;
the first line it lost is named so that the cause can be found.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pdfplumber

from extract.records import Block, Document
from extract.types import PageNo


@dataclass(frozen=True)
class PageShare:
    """Letters pdfplumber finds on a page and how many of them the blocks kept."""

    page: PageNo
    letters: int
    kept: int
    first_lost: str
    """The first printed line (top to bottom) holding a word no block kept; '' when none."""

    @property
    def share(self) -> float:
        return min(1.0, self.kept / self.letters) if self.letters else 1.0


def _letters(text: str) -> Counter[str]:
    """Letters and digits of a text, folded (ligatures split, case and accents ignored)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return Counter(c for c in folded if c.isalnum())


def block_page_texts(blocks: Iterable[Block]) -> dict[PageNo, list[str]]:
    """The text of every block cut at its pieces, by the page each piece was printed on.

    A table's cells count too: their text is the block's text.
    """
    out: dict[PageNo, list[str]] = {}
    for b in blocks:
        if not b.pieces:
            out.setdefault(b.page, []).append(b.text)
            continue
        starts = [p.start for p in b.pieces] + [len(b.text)]
        for piece, end in zip(b.pieces, starts[1:], strict=True):
            out.setdefault(piece.page, []).append(b.text[piece.start : end])
    return out


def page_share(
    page: PageNo, words: Sequence[dict[str, object]], kept_texts: Sequence[str]
) -> PageShare:
    """Compare one page's reference words with the text the blocks kept of that page."""
    want = Counter[str]()
    for w in words:
        want.update(_letters(str(w["text"])))
    have = Counter[str]()
    for t in kept_texts:
        have.update(_letters(t))
    letters = sum(want.values())
    kept = sum(min(n, have[c]) for c, n in want.items())
    first_lost = ""
    if kept < letters:
        first_lost = _first_lost_line(words, " ".join(kept_texts))
    return PageShare(page, letters, kept, first_lost)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text).casefold() if c.isalnum())


def _first_lost_line(words: Sequence[dict[str, object]], kept: str) -> str:
    """The first line (by position) with a word whose letters are nowhere in the kept text
    (read either way: pdfplumber's defaults read text turned upwards backwards)."""
    flat = _fold(kept)
    lines: dict[int, list[dict[str, object]]] = {}
    for w in words:
        lines.setdefault(round(float(str(w["top"]))), []).append(w)
    for top in sorted(lines):
        row = sorted(lines[top], key=lambda w: float(str(w["x0"])))
        for w in row:
            token = _fold(str(w["text"]))
            if token and token not in flat and token[::-1] not in flat:
                return " ".join(str(x["text"]) for x in row)
    return ""


def measure(path: str | os.PathLike[str], doc: Document) -> list[PageShare]:
    """Per page of the PDF at `path`, the share of pdfplumber's letters kept in `doc`."""
    by_page = block_page_texts(doc.blocks)
    with open(path, "rb") as fh:
        data = fh.read()
    out: list[PageShare] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages):
            words = page.extract_words()
            out.append(page_share(i + 1, words, by_page.get(i + 1, [])))
            page.close()
    return out
