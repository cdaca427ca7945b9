"""Words of every page -> Document: the pure assembly of the extract stage.

Kept apart from the PDF reading (extract/pdf.py) so that it is tested and timed on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from extract.blocks import (
    Part,
    RawBlock,
    learn_typography,
    mark_figure_text,
    rejoin,
    segment,
)
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
from extract.types import BlockKind
from extract.words import PageWords, Word

TITLE_LARGER_PT = 1.0
"""The title is the largest text of the first page, at least this much above the body size."""


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


def _assemble(b: RawBlock, vocab: Vocabulary) -> tuple[str, tuple[Piece, ...]]:
    """The block's normalised text, with hyphenation undone, and where each part starts."""
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


def _title(blocks: list[RawBlock], vocab: Vocabulary, body_size: float) -> str | None:
    first = [b for b in blocks if b.first.page == 1 and b.kind in ("heading", "body")]
    if not first:
        return None
    best = max(first, key=lambda b: b.size)
    if best.size < body_size + TITLE_LARGER_PT:
        return None
    return _assemble(best, vocab)[0] or None


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
    for page in pages:
        text_words, figs = _split_figure_words(page)
        page_rows.append(PageRows(page.height, tuple(group_rows(text_words))))
        figure_words.append(figs)
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
        raw.extend(feet[p])
    raw = mark_figure_text(raw, typo.body_size)
    raw = mark_headings(raw, typo.body_size)
    raw = rejoin(raw, typo.body_size)
    raw = split_inline_headings(raw)
    title = _title(raw, vocab, typo.body_size)
    sectioned = assign_sections(raw, title or _metadata_title(metadata))
    raw = kinds_for_sections(raw, sectioned.sections)

    blocks: list[Block] = []
    for b, section, case_id in zip(raw, sectioned.sections, sectioned.case_ids, strict=True):
        text, pieces = _assemble(b, vocab)
        if not text:
            continue
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
