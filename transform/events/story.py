"""A case's story as sentences: the mentions regrouped by the sentence that carries them.

The event rules reason sentence by sentence (which drugs start together, which date a clause
names), so the mentions are first gathered per sentence, in reading order, with the case and
whether the sentence sits in a figure caption. Pure over the extract and mention records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from extract.records import Block, Document
from transform.records import Mention

NON_CASE_SECTIONS: frozenset[str] = frozenset(
    {
        "front",
        "abstract",
        "introduction",
        "background",
        "discussion",
        "conclusion",
        "conclusions",
        "references",
        "back",
        "acknowledgements",
        "acknowledgments",
    }
)
"""Sections whose mentions tell no patient's story: a drug named in the discussion is not
given to the patient (docs/design.md)."""

_CAPTION_CASE = re.compile(r"\b(?:case|patient)\s+(\d{1,2})\b", re.IGNORECASE)
_FIGURE_NO = re.compile(r"^\s*(?:figure|fig\.?)\s*(\d+[A-Za-z]?)", re.IGNORECASE)
_GLOSSARY_PAIR = re.compile(r"(?:^|[;.]\s*)[A-Za-z][\w/+-]{0,12},\s+[^;]{1,60}(?=;)")
GLOSSARY_MIN_PAIRS = 3
"""A sentence with at least this many 'ABBR, expansion;' pairs is an abbreviation list
(figure legends end with one), not a statement about the patient."""
_DEFINITION = re.compile(
    r"^\s*(?P<short>[A-Za-z][\w/+-]{0,11}),\s+(?P<long>[A-Za-z][A-Za-z\s'/-]{1,60}?)\s*$"
)
_SHORT_HAS_CAPITAL = re.compile(r"[A-Z]")
DEFINITION_EXTRA_WORDS = 3
"""An expansion has at most this many words more than its abbreviation has letters."""


@dataclass(frozen=True)
class Sentence:
    order: int
    text: str
    page: int
    case_id: int
    section: str | None
    mentions: tuple[Mention, ...]
    """Sorted by position in the sentence."""
    caption: int | None = None
    """Index of the caption block the sentence belongs to, None for running text."""
    figure: str | None = None
    """Figure number of that caption ('3'), if it prints one."""

    def of_kind(self, *kinds: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind in kinds)

    @cached_property
    def is_glossary(self) -> bool:
        """An abbreviation list, not a statement: 'PR, partial response; SD, stable disease;
        PD, progressive disease.' or a legend's last entry on its own ('SD, stable disease.').
        Worked out once per sentence: eight rules ask it."""
        if len(_GLOSSARY_PAIR.findall(self.text)) >= GLOSSARY_MIN_PAIRS:
            return True
        return is_definition_list(self.text)


def abbreviates(short: str, long: str) -> bool:
    """Is `long` a spelling-out of `short`? (Schwartz & Hearst, 'A simple algorithm for
    identifying abbreviation definitions in biomedical text', PSB 2003: every letter of the
    short form, right to left, is found in order in the long form, the first one at the start
    of a word.) 'SD' / 'stable disease' yes; 'PD' / 'confirmed by CT' no."""
    letters = [c.lower() for c in short if c.isalnum()]
    text = long.lower()
    if not letters or len(text.split()) > len(letters) + DEFINITION_EXTRA_WORDS:
        return False
    li = len(text) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    return True


def is_definition_list(text: str) -> bool:
    """Every ';'-separated part of the sentence is 'ABBR, its spelling-out' (at least one).

    A figure legend closes with the abbreviations it used; when it uses one or two, the
    sentence splitter leaves 'SD, stable disease.' as a sentence of its own, which says
    nothing about the patient. Only pairs whose expansion spells out the abbreviation count,
    so 'PD, confirmed by CT' stays a statement.
    """
    body = text.strip().rstrip(".").strip()
    parts = [p for p in body.split(";") if p.strip()]
    if not parts:
        return False
    for part in parts:
        m = _DEFINITION.match(part)
        if m is None or not _SHORT_HAS_CAPITAL.search(m.group("short")):
            return False
        if not abbreviates(m.group("short"), m.group("long")):
            return False
    return True


def _caption_index(text: str, captions: Sequence[str]) -> int | None:
    """Which caption (their texts with single spaces) holds the sentence, if any."""
    probe = " ".join(text.split())
    for i, caption in enumerate(captions):
        if probe and probe in caption:
            return i
    return None


def _caption_case(block: Block, known: set[int]) -> int | None:
    """The case a caption names ('Figure 3 Case 1. ...'), when the extract left it unset; in
    a report of one patient, a caption that names no case is that patient's."""
    if block.case_id is not None:
        return block.case_id
    named = {int(n) for n in _CAPTION_CASE.findall(block.text)}
    if len(named) == 1:
        (case_id,) = named
        if not known or case_id in known:
            return case_id
    if not named and len(known) == 1:
        (only,) = known
        return only  # a single-patient report: every figure is that patient's
    return None


def case_ids(doc: Document, mentions: Iterable[Mention]) -> tuple[int, ...]:
    """The patients of the document: its case segments, plus any case a mention names."""
    ids = {c.case_id for c in doc.cases}
    ids.update(m.case_id for m in mentions if m.case_id is not None)
    return tuple(sorted(ids))


def group_sentences(doc: Document, mentions: Sequence[Mention]) -> tuple[Sentence, ...]:
    """Mentions of the case presentation and its captions, grouped per sentence, in order."""
    captions = doc.captions()
    caption_texts = [" ".join(b.text.split()) for b in captions]  # once, not per sentence
    known = set(case_ids(doc, mentions))
    by_order: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_order[mention.prov.order].append(mention)
    sentences: list[Sentence] = []
    for order in sorted(by_order):
        group = sorted(by_order[order], key=lambda m: (m.prov.char_start, -m.prov.char_end))
        first = group[0]
        text = first.prov.sentence
        cap = _caption_index(text, caption_texts)
        case_id = next((m.case_id for m in group if m.case_id is not None), None)
        figure = None
        if cap is not None:
            block = captions[cap]
            if case_id is None:
                case_id = _caption_case(block, known)
            fig = _FIGURE_NO.match(block.text)
            figure = fig.group(1) if fig else None
        section = first.section
        if case_id is None:
            continue
        if cap is None and section is not None and section in NON_CASE_SECTIONS:
            continue
        sentences.append(
            Sentence(
                order=order,
                text=text,
                page=first.prov.page,
                case_id=case_id,
                section=section,
                mentions=tuple(group),
                caption=cap,
                figure=figure,
            )
        )
    return tuple(sentences)
