"""Words of every page -> Document: the pure assembly of the extract stage.

Kept apart from the PDF reading (extract/pdf.py) so that it is tested and timed on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from extract.blocks import (
    Part,
    RawBlock,
    learn_typography,
    mark_figure_text,
    rejoin,
    segment,
)
from extract.front import mark_front_matter
from extract.hyphenation import (
    Vocabulary,
    build_vocabulary,
    ends_with_break,
    join_lines,
    keep_hyphen,
)
from extract.inline import split_inline_headings
from extract.layout import SPANNING, Line, Row, group_rows, make_line, order_lines
from extract.meta import build_meta
from extract.normalize import normalize_text
from extract.records import Block, Document, Piece
from extract.running import PageRows, find_running
from extract.sections import assign_sections, kinds_for_sections, mark_headings
from extract.tables import (
    ROW_SEP,
    TableRegion,
    cells,
    find_tables,
    join_continued_tables,
    table_text,
)
from extract.types import BBox, BlockKind
from extract.words import PageWords, Word


def _in_box(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _split_figure_words(page: PageWords) -> tuple[list[Word], list[list[Word]]]:
    """Words of the running page, and per figure image the words printed on it."""
    if not page.figure_boxes:
        return list(page.words), []
    text: list[Word] = []
    figures: list[list[Word]] = [[] for _ in page.figure_boxes]
    for w in page.words:
        for i, box in enumerate(page.figure_boxes):
            if _in_box(w, box):
                figures[i].append(w)
                break
        else:
            text.append(w)
    return text, [f for f in figures if f]


def _row_block(row: Row, page: int, kind: BlockKind) -> RawBlock:
    line = make_line(list(row.words), page, SPANNING)
    return RawBlock((Part((line,)),), kind)


def _turned_block(words: tuple[Word, ...], page: int, bbox: BBox) -> RawBlock:
    """Rotated text as one figure block, read line by line in its own frame; it sits where
    the rotated words are printed on the page."""
    x0, top, x1, bottom = bbox
    lines = [
        replace(make_line(list(r.words), page, SPANNING), x0=x0, top=top, x1=x1, bottom=bottom)
        for r in group_rows(words)
    ]
    return RawBlock((Part(tuple(lines)),), "figure")


def _table_block(t: TableRegion) -> RawBlock:
    """A table as a block: a line per row (for its place on the page) and the row's cells."""
    grid = cells(t.words, t.page)
    lines = tuple(make_line(list(r.words), t.page, SPANNING) for r in group_rows(list(t.words)))
    return RawBlock((Part(lines),), "table", rows=grid)


def _assemble_table(b: RawBlock) -> tuple[str, tuple[Piece, ...], tuple[tuple[str, ...], ...]]:
    rows = tuple(tuple(normalize_text(c) for c in r) for r in b.rows)
    out = ""
    pieces: list[Piece] = []
    k = 0
    for part in b.parts:
        n = len(part.lines)
        text = table_text(rows[k : k + n])
        k += n
        if out:
            out += ROW_SEP
        pieces.append(Piece(len(out), part.page, part.bbox))
        out += text
    return out, tuple(pieces), rows


def _assemble(b: RawBlock, vocab: Vocabulary) -> tuple[str, tuple[Piece, ...]]:
    """The block's normalised text, with hyphenation undone, and where each part starts."""
    if b.kind == "table":
        return _assemble_table(b)[:2]
    out = ""
    prev_raw = ""
    pieces: list[Piece] = []
    for part in b.parts:
        raw = join_lines([ln.text for ln in part.lines], vocab)
        norm = normalize_text(raw)
        if not norm:
            continue
        if out:
            if prev_raw.endswith("/"):
                pass
            elif ends_with_break(prev_raw):
                left = prev_raw.rsplit(None, 1)[-1]
                if not keep_hyphen(left, raw, vocab) and out.endswith("-"):
                    out = out[:-1]
            else:
                out += " "
        pieces.append(Piece(len(out), part.page, part.bbox))
        out += norm
        prev_raw = raw
    return out, tuple(pieces)


def _metadata_title(metadata: Mapping[str, object]) -> str | None:
    value = metadata.get("Title")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "ignore")
    return value if isinstance(value, str) else None


def build_document(
    doc_id: str, path: str, pages: Sequence[PageWords], metadata: Mapping[str, object]
) -> Document:
    """Lay out, segment, classify and section the words of all pages into a Document."""
    page_rows: list[PageRows] = []
    figure_words: list[list[list[Word]]] = []
    page_tables: list[list[TableRegion]] = []
    for page in pages:
        text_words, figs = _split_figure_words(page)
        tables = find_tables(page.page, text_words, page.rules, page.figure_boxes)
        if tables:
            in_table = {id(w) for t in tables for w in t.words}
            text_words = [w for w in text_words if id(w) not in in_table]
        page_rows.append(PageRows(page.height, tuple(group_rows(text_words))))
        figure_words.append(figs)
        page_tables.append(tables)
    running = find_running(page_rows)

    page_lines: list[list[Line]] = []
    heads: list[list[RawBlock]] = []
    feet: list[list[RawBlock]] = []
    for p, (page, pr) in enumerate(zip(pages, page_rows, strict=True)):
        kept: list[Row] = []
        heads.append([])
        feet.append([])
        for i, row in enumerate(pr.rows):
            zone = running.get((p, i))
            if zone == "header":
                heads[-1].append(_row_block(row, page.page, "header"))
            elif zone == "footer":
                feet[-1].append(_row_block(row, page.page, "footer"))
            else:
                kept.append(row)
        page_lines.append(order_lines(kept, page.page))

    all_lines = [ln for lines in page_lines for ln in lines]
    typo = learn_typography(all_lines)
    vocab = build_vocabulary(ln.text for ln in all_lines)

    raw: list[RawBlock] = []
    for p, page in enumerate(pages):
        raw.extend(heads[p])
        raw.extend(segment(page_lines[p], typo))
        for words in figure_words[p]:
            lines = [make_line(list(r.words), page.page, SPANNING) for r in group_rows(words)]
            raw.append(RawBlock((Part(tuple(lines)),), "figure"))
        raw.extend(_table_block(t) for t in page_tables[p])
        if page.turned and page.turned_bbox is not None:
            raw.append(_turned_block(page.turned, page.page, page.turned_bbox))
        raw.extend(feet[p])
    raw = join_continued_tables(raw)
    raw = mark_figure_text(raw, typo.body_size)
    raw = mark_headings(raw, typo.body_size)
    raw = rejoin(raw, typo.body_size)
    raw = split_inline_headings(raw)
    raw, title_at = mark_front_matter(raw, typo.body_size)
    title = (_assemble(raw[title_at], vocab)[0] or None) if title_at is not None else None
    sectioned = assign_sections(raw, title or _metadata_title(metadata))
    raw = kinds_for_sections(raw, sectioned.sections)

    blocks: list[Block] = []
    for b, section, case_id in zip(raw, sectioned.sections, sectioned.case_ids, strict=True):
        text, pieces = _assemble(b, vocab)
        if not text:
            continue
        rows = _assemble_table(b)[2] if b.kind == "table" else ()
        running_kind = b.kind in ("header", "footer")
        blocks.append(
            Block(
                text=text,
                kind=b.kind,
                page=pieces[0].page,
                bbox=pieces[0].bbox,
                section=None if running_kind else section,
                case_id=None if running_kind else case_id,
                pieces=pieces,
                rows=rows,
            )
        )

    first_texts = [b.text for b in blocks if b.page == 1 and b.kind not in ("header", "footer")]
    running_texts = [b.text for b in blocks if b.kind in ("header", "footer")]
    meta = build_meta(
        title=title,
        first_page_texts=first_texts,
        running_texts=running_texts,
        metadata=metadata,
        n_pages=len(pages),
    )
    return Document(
        doc_id=doc_id, path=path, meta=meta, blocks=tuple(blocks), cases=sectioned.cases
    )
