"""Section headings printed inline, in the running text of a paragraph.

Web pages turned into PDFs (and some journals' run-in styles) print a heading as the first
words of a paragraph, or even in the middle of one: '... literature review CASE REPORT A
52-year-old man presented ...', '... Figure 1 Chocolate agar ... DISCUSSION Few bacteria ...',
'Case presentation A 45-year-old ...'. Such a heading is a known section phrase (case report,
case presentation, discussion, references, ...) that is

- in capitals, or in bold (a leading bold run of the line), or
- in title case standing at a sentence start (block start, after a sentence end, after
  another heading phrase, or after a capitalised word as in a keyword list),

and followed by the capitalised start of a sentence (a capitalised word, then a lower-case
word within the next few). A run of several section phrases ('Abstract Introduction Case
presentation Discussion References', a web page's table of contents) is a list, not a
heading: only its last phrase can be one (and the 'Abstract' right before it).

The block is cut there: the text before stays as it was, the phrase becomes a heading block,
the text after a body block. Geometry of a cut line is estimated from the character position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extract.blocks import Part, RawBlock
from extract.layout import Line

FOLLOW_WINDOW = 4
"""After the heading, a lower-case word must come within this many words of the first one."""

_SPLIT_PHRASES: tuple[tuple[str, ...], ...] = (
    ("case", "report"),
    ("case", "presentation"),
    ("case", "description"),
    ("case", "history"),
    ("clinical", "case"),
    ("case",),
    ("discussion",),
    ("conclusion",),
    ("conclusions",),
    ("references",),
    ("introduction",),
    ("background",),
    ("abstract",),
)
"""Phrases that open a section when they stand as an inline heading (lower case)."""
_LIST_PHRASES: tuple[tuple[str, ...], ...] = (
    ("case", "reports"),
    ("results",),
    ("methods",),
    ("consent",),
    ("declarations",),
    ("keywords",),
    ("acknowledgements",),
    ("acknowledgments",),
    ("abbreviations",),
    ("summary",),
)
"""Other section names: not split on, but they make a run of phrases a list ('Case Reports'
opens a section only right before 'Case 1': alone it is mostly a journal's name)."""
_MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "for", "in", "on", "with", "to"})
PROSE_WINDOW = 5
"""In the words after the first one, lower-case words are at least as many as capitalised ones
(prose, not a title)."""
BARE_CASE_WINDOW = 3
"""'Case' alone needs its lower-case word sooner ('Case A 67-year-old ...', not a journal's
'Case Rep Radiol 15 ...')."""
_CASE_WORDS = frozenset({"case", "patient"})
_CASE_NUMBER = re.compile(r"^#?(?:\d{1,2}|[IVX]{1,4})$")
_DASHES = frozenset({"-", "–", "—", ":"})
_LOWER_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*[,.;:]?$")
_AGE_WORD = re.compile(r"^\d+[-‐]")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_EDGE = "\"'“”‘’([{"
_HEAD_PUNCT = ":."


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    part: int
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Match:
    first: int
    """Index of the phrase's first token."""
    stop: int
    """Index one past its last token."""
    split: bool
    """A phrase that opens a section (else a list-only phrase)."""


def _tokens(b: RawBlock) -> list[_Token]:
    out: list[_Token] = []
    for p, part in enumerate(b.parts):
        for i, ln in enumerate(part.lines):
            for m in re.finditer(r"\S+", ln.text):
                out.append(_Token(m.group(0), p, i, m.start(), m.end()))
    return out


def _bare(text: str) -> str:
    return text.rstrip(_HEAD_PUNCT)


def _phrase_at(toks: list[_Token], i: int) -> _Match | None:
    """The section phrase starting at token i, if any (its last word may end in ':' or '.')."""
    first = toks[i].text
    if (
        first.lower() in _CASE_WORDS
        and i + 1 < len(toks)
        and _CASE_NUMBER.match(_bare(toks[i + 1].text))
    ):
        return _Match(i, i + 2, True)
    best: _Match | None = None
    for phrases, split in ((_SPLIT_PHRASES, True), (_LIST_PHRASES, False)):
        for phrase in phrases:
            n = len(phrase)
            if i + n > len(toks) or (best is not None and best.stop - best.first >= n):
                continue
            words = [toks[i + k].text for k in range(n)]
            # Only the last word may carry the heading's colon or full stop.
            if any(w != _bare(w) for w in words[:-1]):
                continue
            if [_bare(w).lower() for w in words] == list(phrase):
                best = _Match(i, i + n, split)
    return best


def _letters(words: list[str]) -> str:
    return "".join(c for w in words for c in w if c.isalpha())


def _caps(words: list[str]) -> bool:
    letters = _letters(words)
    return len(letters) >= 4 and letters.isupper()


def _title(words: list[str]) -> bool:
    """'Case report', 'Case Report', 'Discussion', 'Case 2' (not 'CASE report' or 'case')."""
    if not words[0][:1].isupper():
        return False
    for w in words:
        if _CASE_NUMBER.match(_bare(w)):
            continue
        tail = _letters([w])[1:]
        if tail and not tail.islower():
            return False
    return True


def _sentence_follows(toks: list[_Token], i: int, window: int = FOLLOW_WINDOW) -> bool:
    """Token i starts a sentence: a capitalised word (or '45-year-old'), then a lower-case word
    within the next few (a standalone dash or colon after the heading is stepped over)."""
    if i < len(toks) and toks[i].text in _DASHES:
        i += 1
    if i >= len(toks):
        return False
    first = toks[i].text
    if not (first[:1].isupper() or _AGE_WORD.match(first)):
        return False
    if not any(_LOWER_WORD.match(t.text.lstrip(_EDGE)) for t in toks[i + 1 : i + 1 + window]):
        return False
    # A sentence, not a title ('Case Report: Clinical Features of a COVID-19 Patient ...').
    after = [t.text.lstrip(_EDGE) for t in toks[i + 1 : i + 1 + PROSE_WINDOW]]
    lower = sum(1 for w in after if _LOWER_WORD.match(w))
    upper = sum(1 for w in after if w[:1].isupper())
    return lower >= upper


def _list_follows(toks: list[_Token], m: _Match) -> bool:
    """A reference list ('References 1. Collin P, ...' or '[1] ...') after 'References'."""
    if m.stop >= len(toks) or _bare(toks[m.first].text).lower() != "references":
        return False
    return bool(re.match(r"^(?:\[?\d{1,3}[.\])]?)$", toks[m.stop].text))


def _sentence_start(toks: list[_Token], i: int, matches: dict[int, _Match]) -> bool:
    """Nothing, a sentence end, another heading phrase, a capitalised word or a citation number
    comes before."""
    if i == 0:
        return True
    prev = toks[i - 1].text
    if _SENTENCE_END.search(prev):
        return True
    if any(m.stop == i for m in matches.values()):
        return True
    if prev.endswith(",") or prev.lower() in _MINOR_WORDS:
        return False
    # A capitalised word (a keyword list) or a citation number ('... capacity. 2 , 3 Case').
    return prev[:1].isupper() or not any(c.islower() for c in prev)


def _is_bold_lead(b: RawBlock, tok: _Token, words: list[str]) -> bool:
    line = b.parts[tok.part].lines[tok.line]
    return tok.start == 0 and bool(line.lead_bold) and line.lead_bold.startswith(" ".join(words))


def find_inline_headings(b: RawBlock) -> list[tuple[int, int, int, int, int, int]]:
    """Spans (part, line, char) .. (part, line, char) of the inline headings of a block."""
    toks = _tokens(b)
    matches: dict[int, _Match] = {}
    i = 0
    while i < len(toks):
        m = _phrase_at(toks, i)
        if m is not None:
            matches[i] = m
            i = m.stop
        else:
            i += 1
    chosen: list[_Match] = []
    order = sorted(matches)
    for k, i in enumerate(order):
        m = matches[i]
        nxt = matches.get(m.stop)
        if not m.split and nxt is None:
            continue
        if nxt is not None:
            # In a run of phrases only the last counts, and the one right before it when that
            # is 'Abstract' ('Abstract Background ...') or a case section opening with its
            # first patient ('Case Reports Case 1 ...').
            if (
                nxt.split
                and matches.get(nxt.stop) is None
                and _pairs(toks, m, nxt)
                and _accept(b, toks, nxt, matches, in_run=True)
            ):
                chosen.append(m)
            continue
        if _accept(b, toks, m, matches, in_run=k > 0 and matches[order[k - 1]].stop == i):
            chosen.append(m)
    spans = []
    for m in chosen:
        a, z = toks[m.first], toks[m.stop - 1]
        spans.append((a.part, a.line, a.start, z.part, z.line, z.end))
    return spans


def _pairs(toks: list[_Token], m: _Match, nxt: _Match) -> bool:
    words = [_bare(toks[k].text).lower() for k in range(m.first, m.stop)]
    is_case_label = toks[nxt.first].text.lower() in _CASE_WORDS and _CASE_NUMBER.match(
        _bare(toks[nxt.first + 1].text) if nxt.stop - nxt.first == 2 else ""
    )
    if words == ["abstract"]:
        return not is_case_label
    return words[0] in ("case", "clinical") and bool(is_case_label)


def _accept(
    b: RawBlock, toks: list[_Token], m: _Match, matches: dict[int, _Match], *, in_run: bool
) -> bool:
    words = [toks[k].text for k in range(m.first, m.stop)]
    if m.first == 0 and _is_bold_lead(b, toks[0], words):
        # A bold run-in label opening a paragraph ('Background: ...' of a structured abstract)
        # is the paragraph's label, read as such by the section walk.
        return False
    bare_case = [_bare(w).lower() for w in words] == ["case"]
    window = BARE_CASE_WINDOW if bare_case else FOLLOW_WINDOW
    if not _sentence_follows(toks, m.stop, window) and not _list_follows(toks, m):
        return False
    if _caps(words) or _is_bold_lead(b, toks[m.first], words):
        return True
    if not _title(words):
        return False
    if bare_case or (
        m.stop - m.first == 2
        and toks[m.first].text.lower() in _CASE_WORDS
        and _CASE_NUMBER.match(_bare(toks[m.first + 1].text))
    ):
        # 'Case 2 A 64-year-old ...', 'Case A 67 ...': at a block start or after a sentence.
        return in_run or m.first == 0 or bool(_SENTENCE_END.search(toks[m.first - 1].text))
    return in_run or _sentence_start(toks, m.first, matches)


def _cut_line(ln: Line, start: int, end: int) -> Line | None:
    text = ln.text[start:end]
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    a, z = start + lead, start + lead + len(stripped)
    n = max(len(ln.text), 1)
    width = ln.x1 - ln.x0
    return replace(
        ln,
        text=stripped,
        x0=ln.x0 + width * a / n,
        x1=ln.x0 + width * z / n,
        lead_bold=ln.lead_bold if a == 0 else "",
        n_words=len(stripped.split()),
    )


Pos = tuple[int, int, int]


def _slice(b: RawBlock, start: Pos, stop: Pos) -> tuple[Part, ...]:
    """The parts of a block between two (part, line, char) positions."""
    parts: list[Part] = []
    for p, part in enumerate(b.parts):
        lines: list[Line] = []
        for i, ln in enumerate(part.lines):
            here = (p, i)
            if here < start[:2] or here > stop[:2]:
                continue
            a = start[2] if here == start[:2] else 0
            z = stop[2] if here == stop[:2] else len(ln.text)
            cut = _cut_line(ln, a, z)
            if cut is not None:
                lines.append(cut)
        if lines:
            parts.append(Part(tuple(lines)))
    return tuple(parts)


def split_inline_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """Cut body blocks (and captions that run on into the text) at their inline headings."""
    out: list[RawBlock] = []
    for b in blocks:
        if b.kind not in ("body", "caption"):
            out.append(b)
            continue
        spans = find_inline_headings(b)
        if not spans:
            out.append(b)
            continue
        end: Pos = (len(b.parts) - 1, len(b.parts[-1].lines) - 1, len(b.last.text))
        pos: Pos = (0, 0, 0)
        first = True
        kind = b.kind
        for p0, l0, c0, p1, l1, c1 in spans:
            before = _slice(b, pos, (p0, l0, c0))
            if before:
                out.append(replace(b, parts=before, kind=kind) if first else RawBlock(before, kind))
                first = False
            heading = _slice(b, (p0, l0, c0), (p1, l1, c1))
            if heading:
                out.append(
                    replace(b, parts=heading, kind="heading", inline=True)
                    if first
                    else RawBlock(heading, "heading", inline=True)
                )
                first = False
            pos, kind = (p1, l1, c1), "body"
        rest = _slice(b, pos, end)
        if rest:
            out.append(RawBlock(rest, kind))
    return out
