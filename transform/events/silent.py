"""Sentences of the case presentation that carry no mention, placed in the story.

The story (story.group_sentences) is built from mentions, so a sentence the mention patterns
find nothing in is missing from it, yet it may be the one that says the disease is advanced
('The diagnosis was stage IV gastric adenocarcinoma (T4N2M1).', 'Metastatic hepatoblastoma
was confirmed by histology.'). The rules that need such statements (the metastatic onset,
lines.py rule 1) read them from here: the case's running text cut around the sentences the
story has, each remaining stretch given the story position just after the sentence before
it (the mention layer numbers every sentence of the document, so the true position lies
between its neighbours'). Pure over the extract records and the story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.records import Block, Document
from transform.events.story import NON_CASE_SECTIONS, Sentence

_SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s+[A-Z0-9(\[]|\s*$)|$)", re.DOTALL)
"""A sentence ends at '.', '!' or '?' before a capital, a digit or the end ('7.67 ng/mL' and
'Fig.4' do not end one)."""
MIN_SENTENCE_CHARS = 12
"""Shorter leftovers are headings or fragments ('Case 1.'), not statements."""


def _case_blocks(doc: Document, case_id: int) -> tuple[Block, ...]:
    return tuple(
        b
        for b in doc.body()
        if b.case_id == case_id and b.kind == "body" and (b.section or "") not in NON_CASE_SECTIONS
    )


def _located(block: Block, story: Sequence[Sentence]) -> list[tuple[int, int, int]]:
    """(start, end, order) of the story's running-text sentences found in the block."""
    out: list[tuple[int, int, int]] = []
    cursor = 0
    for s in sorted((s for s in story if s.caption is None), key=lambda s: s.order):
        at = block.text.find(s.text, cursor)
        if at < 0:
            continue
        out.append((at, at + len(s.text), s.order))
        cursor = at + len(s.text)
    return out


def _pieces(text: str, lo: int, hi: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in _SENTENCE.finditer(text, lo, hi):
        piece = m.group(0).strip()
        if len(piece) >= MIN_SENTENCE_CHARS:
            out.append((m.start(), piece))
    return out


def silent_sentences(
    doc: Document, case_id: int, story: Sequence[Sentence]
) -> tuple[Sentence, ...]:
    """The case's running-text sentences the story lacks, each with an estimated position.

    A stretch after a located sentence takes that sentence's order + 1; one before the
    block's first located sentence takes that sentence's order - 1; a block without any
    located sentence follows the last located sentence of the blocks before it.
    """
    out: list[Sentence] = []
    last_order = 0
    for block in _case_blocks(doc, case_id):
        located = _located(block, story)
        if located:
            bounds = [(0, located[0][2] - 1)] + [(end, order + 1) for _, end, order in located]
            last_order = located[-1][2]
        else:
            bounds = [(0, last_order + 1)]
        starts = [start for start, _, _ in located] + [len(block.text)]
        for (lo, order), hi in zip(bounds, starts, strict=True):
            for at, text in _pieces(block.text, lo, hi):
                out.append(
                    Sentence(
                        order=max(order, 1),
                        text=text,
                        page=block.page_at(at),
                        case_id=case_id,
                        section=block.section,
                        mentions=(),
                    )
                )
    return tuple(out)
