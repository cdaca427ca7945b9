"""Undo end-of-line hyphenation, keeping the hyphens that belong to the word.

A line ending in 'metas-' followed by 'tases' is one word broken by the typesetter; one ending
in 'HER2-' followed by 'positive' keeps its hyphen. The decision uses the document's own word
list first (does 'metastases' or 'drug-resistant' occur elsewhere in the text?), then rules:
a hyphen character that the document only ever prints at line ends (WeasyPrint's U+2010) is a
break mark; a capital or digit beside the hyphen keeps it ('anti-' / 'HER2'); two halves that
are both words of the document keep the hyphen ('hand-' / 'foot'); otherwise join.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from extract.normalize import LINE_BREAK_HYPHENS

SOFT_HYPHEN = "\u00ad"
MIN_PART_LEN = 3
"""Both halves must be at least this long to count as words of their own."""

_EDGE_PUNCT = "()[]{}\"'“”‘’,.;:!?*"
_TAIL = re.compile(r"([A-Za-z0-9]+)$")
_HEAD = re.compile(r"^([A-Za-z0-9]+)")
_PIECE_HYPHENS = frozenset("-\u2010\u2011")
_PIECE_SPLIT = re.compile(r"[-\u2010\u2011]")
"""Hyphens that join the pieces of a compound word ('drug-resistant': 'drug', 'resistant')."""


@dataclass(frozen=True)
class Vocabulary:
    """The document's words (lower case) and the hyphen characters it uses inside words."""

    words: Counter[str]
    inner_hyphens: frozenset[str]
    """Hyphen characters seen inside a word on a line (not only at line ends)."""
    break_marks: frozenset[str] = frozenset()
    """Hyphen characters printed at line ends but never inside a word: the typesetter's mark."""


def build_vocabulary(lines: Iterable[str]) -> Vocabulary:
    """Count the words of the document's lines, leaving out the halves of broken words.

    The lines are read once to set the halves aside; the kept words are then counted in bulk
    (Counter over a generator runs its loop in C: this runs over every word of a document).
    """
    kept: list[str] = []
    at_ends: set[str] = set()
    skip_first = False
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        tail = tokens[-1]
        broken = len(tail) > 1 and tail[-1] in LINE_BREAK_HYPHENS
        if broken:
            at_ends.add(tail[-1])
            kept.extend(tokens[1 if skip_first else 0 : -1])
        else:
            kept.extend(tokens[1:] if skip_first else tokens)
        skip_first = broken
    inner = {h for h in LINE_BREAK_HYPHENS if any(h in tok[1:-1] for tok in kept if h in tok)}
    words: Counter[str] = Counter(tok.strip(_EDGE_PUNCT).lower() for tok in kept)
    words.pop("", None)
    for cleaned, n in list(words.items()):
        if not _PIECE_HYPHENS.isdisjoint(cleaned):
            for piece in _PIECE_SPLIT.split(cleaned):
                if piece and piece != cleaned:
                    words[piece] += n
    return Vocabulary(words, frozenset(inner), frozenset(at_ends - inner))


def ends_with_break(text: str) -> bool:
    """Whether a line ends in a hyphen right after a letter or digit (a candidate break)."""
    return len(text) > 1 and text[-1] in LINE_BREAK_HYPHENS and text[-2].isalnum()


def keep_hyphen(left: str, right: str, vocab: Vocabulary) -> bool:
    """Decide for `left` (ending in a hyphen) + `right` whether the hyphen is part of the word.

    Returns False when the hyphen is the typesetter's and the halves are to be joined.
    """
    hyphen = left[-1]
    if hyphen == SOFT_HYPHEN:
        return False
    tail_m = _TAIL.search(left[:-1])
    head_m = _HEAD.search(right)
    if not tail_m or not head_m:
        return True
    tail, head = tail_m.group(1), head_m.group(1)
    joined = (tail + head).lower()
    hyphenated = f"{tail}-{head}".lower()
    n_joined, n_hyph = vocab.words.get(joined, 0), vocab.words.get(hyphenated, 0)
    if n_joined or n_hyph:
        return n_hyph > n_joined
    if hyphen in vocab.break_marks:
        return False
    if not (tail[-1].islower() and head[0].islower()):
        return True
    if vocab.break_marks:
        # The document marks its breaks with another character: this one is a real hyphen.
        return True
    return (
        len(tail) >= MIN_PART_LEN
        and len(head) >= MIN_PART_LEN
        and tail.lower() in vocab.words
        and head.lower() in vocab.words
    )


def join_lines(lines: list[str], vocab: Vocabulary) -> str:
    """Join raw lines of one paragraph, undoing line-end hyphenation."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif ends_with_break(out):
            left = out.rsplit(None, 1)[-1]
            out = out if keep_hyphen(left, line, vocab) else out[:-1]
            out += line
        elif out.endswith("/"):
            out += line  # a URL or 'PI3K/AKT' broken after its slash
        else:
            out += " " + line
    return out
