"""Records the extract stage hands on: a PDF as blocks of text in reading order.

Frozen and made of plain values so that they pickle across worker processes and can be
cached by the PDF's hash. Nothing here knows about medicine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.types import BBox, BlockKind, PageNo, Section


@dataclass(frozen=True)
class Piece:
    """Where a stretch of a block's text sits on the page.

    A paragraph rejoined across a column or page break has several pieces; `start` is the
    offset in `Block.text` where this piece begins.
    """

    start: int
    page: PageNo
    bbox: BBox


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, caption, running head/foot or reference, in reading order."""

    text: str
    kind: BlockKind
    page: PageNo
    bbox: BBox
    section: Section | None = None
    case_id: int | None = None
    """Patient segment (1, 2, ...) inside the case presentation; None elsewhere."""
    pieces: tuple[Piece, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's cells row by row (kind 'table'); a table continued over a page break is one
    block whose rows run on. Empty for other kinds."""

    def page_at(self, offset: int) -> PageNo:
        """The page on which the character at `offset` of `text` was printed."""
        page = self.page
        for piece in self.pieces:
            if piece.start > offset:
                break
            page = piece.page
        return page


@dataclass(frozen=True)
class CaseSegment:
    """One patient's part of the case presentation."""

    case_id: int
    heading: str
    """The heading that opened the segment as printed ('Case 1', 'Case presentation', ...)."""
    first_page: PageNo


@dataclass(frozen=True)
class DocumentMeta:
    """Bibliographic facts read from the first page and the PDF metadata."""

    title: str | None = None
    doi: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    n_pages: int = 0


@dataclass(frozen=True)
class Document:
    """A PDF as the extract stage understands it."""

    doc_id: str
    """SHA-256 of the PDF's bytes, hex."""
    path: str
    meta: DocumentMeta
    blocks: tuple[Block, ...]
    cases: tuple[CaseSegment, ...] = field(default=())

    def body(self) -> tuple[Block, ...]:
        """Blocks a reader reads as running text (headings included, captions not)."""
        return tuple(b for b in self.blocks if b.kind in ("body", "heading"))

    def captions(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "caption")
