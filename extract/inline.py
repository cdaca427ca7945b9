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
from typing import NamedTuple

from extract.blocks import Part, RawBlock
from extract.layout import Line
from extract.normalize import LINE_BREAK_HYPHENS

FOLLOW_WINDOW = 4
"""After the heading, a lower-case word must come within this many words of the first one."""

_SPLIT_PHRASES: tuple[tuple[str, ...], ...] = (
    ("case", "report"),
    ("case", "presentation"),
    ("case", "description"),
    ("case", "history"),
    ("clinical", "case"),
    ("presentation", "of", "case"),
    ("report", "of", "case"),
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
LIST_RUN = 3
"""This many section phrases in a row are a list (a web page's table of contents): what
follows its last one must be plain prose for that one to be a heading."""
SUBHEADING_MAX_WORDS = 4
"""A sub-heading right after an inline heading has two to this many words."""
"""This many section phrases in a row are a list (a web page's table of contents)."""
_CASE_WORDS = frozenset({"case", "patient"})
_CASE_NUMBER = re.compile(r"^#?(?:\d{1,2}|[IVX]{1,4})$")
_DASHES = frozenset({"-", "–", "—", ":"})
_LOWER_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*[,.;:]?$")
_AGE_WORD = re.compile(r"^\d+[-‐]")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_ADDRESS = re.compile(r"^(?:\S+@\S+\.[a-z]{2,}|https?://\S+|www\.\S+)$", re.IGNORECASE)
_CAPTION_WORD = re.compile(r"^(?:fig(?:ure)?\.?|table)$", re.IGNORECASE)
_CAPTION_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?[:.]$")
CAPTION_LOOKBACK = 30
"""A caption printed in the running text reaches at most this many words before a heading."""
_EDGE = "\"'“”‘’([{"
_HEAD_PUNCT = ":."


class _Token(NamedTuple):
    """A word of a block with where it starts and ends. A named tuple, not a frozen
    dataclass: one is built per word of every block, and a frozen dataclass's __init__
    (one object.__setattr__ per field) was a third of the inline-heading pass."""

    text: str
    part: int
    line: int
    start: int
    end: int
    end_part: int
    end_line: int
    """Where the token ends: another line than it starts on for a word broken at a line end."""


@dataclass(frozen=True, slots=True)
class _Match:
    first: int
    """Index of the phrase's first token."""
    stop: int
    """Index one past its last token."""
    split: bool
    """A phrase that opens a section (else a list-only phrase)."""
    label: bool = False
    """A patient label: 'Case 2', 'Patient II', 'Case report 1'."""


def _tokens(b: RawBlock, from_line: int = 0) -> list[_Token]:
    """The block's words with their positions; a lower-case word hyphenated across a line
    break ('Case presenta-' / 'tion The ...') is one token spanning both lines.

    Words are what `str.split` cuts (the whitespace of the regex \\S+) found again with
    `str.find` for their offsets: this runs over every word of the body text. `from_line`:
    the words of the block's lines from this one on (counted over all its parts).
    """
    out: list[_Token] = []
    append = out.append
    new = tuple.__new__  # a _Token without NamedTuple's Python-level __new__
    k = -1
    for p, part in enumerate(b.parts):
        for i, ln in enumerate(part.lines):
            k += 1
            if k < from_line:
                continue
            text = ln.text
            find = text.find
            end = 0
            first = True
            for word in text.split():
                start = find(word, end)
                end = start + len(word)
                if first:
                    first = False
                    prev = out[-1] if out else None
                    if (
                        prev is not None
                        and _broken(prev.text)
                        and word[:1].islower()
                        and (prev.end_part, prev.end_line) != (p, i)
                    ):
                        out[-1] = _Token(
                            prev.text[:-1] + word, prev.part, prev.line, prev.start, end, p, i
                        )
                        continue
                append(new(_Token, (word, p, i, start, end, p, i)))
    return out


def _last_tokens(b: RawBlock, n: int) -> list[_Token]:
    """The block's last tokens, at least n of them when it has them: `_tokens` from a line
    whose first word cannot join the line before it (that line's last word ends in no
    hyphen), so they are the same as the end of the block's `_tokens`."""
    ends = [ln.text.rstrip()[-1:] for part in b.parts for ln in part.lines]
    start = len(ends) - 1
    while start > 0:
        toks = _tokens(b, start)
        before = next((e for e in reversed(ends[:start]) if e), "")
        if len(toks) >= n and before not in LINE_BREAK_HYPHENS:
            return toks
        start -= 1
    return _tokens(b)


def _may_hold_heading(b: RawBlock) -> bool:
    """Whether any token of the block can open a phrase (a superset of `_may_open` over
    `_tokens`: cheap enough to skip the tokens of most paragraphs)."""
    for part in b.parts:
        for ln in part.lines:
            text = ln.text
            if ln.lead_bold or _MAY_OPEN.search(text) or text.rstrip()[-1:] in LINE_BREAK_HYPHENS:
                return True
    return False


def _broken(text: str) -> bool:
    return len(text) > 2 and text[-1] in LINE_BREAK_HYPHENS and text[-2].islower()


def _bare(text: str) -> str:
    return text.rstrip(_HEAD_PUNCT)


def _by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], bool], ...]]:
    """Section and list phrases by their first word, in their order of precedence (section
    phrases first): a token is compared only with the phrases it can begin."""
    out: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrases, split in ((_SPLIT_PHRASES, True), (_LIST_PHRASES, False)):
        for phrase in phrases:
            out.setdefault(phrase[0], []).append((phrase, split))
    return {k: tuple(v) for k, v in out.items()}


_PHRASES_BY_FIRST = _by_first_word()


def _capitalised(word: str) -> str:
    """A regex for a word (lower case) printed capitalised or in capitals: its first letter
    upper case (the Kelvin sign lower-cases to 'k' too), the rest in any case."""
    first = "[K\u212a]" if word[0] == "k" else word[0].upper()
    return first + "(?i:" + word[1:] + ")"


_MAY_OPEN = re.compile(
    r"(?<!\S)(?:"
    + "|".join(_capitalised(w) for w in sorted(_CASE_WORDS | set(_PHRASES_BY_FIRST)))
    + r")[:.]*(?!\S)"
)
"""A capitalised word a phrase or a patient label can start with (`_may_open`), found in a
line's text. `_accept` takes only a phrase in capitals or title case, or a bold run-in label,
and only a taken phrase (or the one it is paired with) gives a span: a block with no such
word on any line, no bold lead and no word broken at a line end has no inline heading."""


def _may_open(text: str) -> bool:
    """Whether a phrase (or a patient label) can start at a token of this text: what
    _phrase_at looks up first, so that a token that cannot is skipped without building
    anything."""
    return text.lower() in _CASE_WORDS or _bare(text).lower() in _PHRASES_BY_FIRST


def _phrase_at(toks: list[_Token], i: int) -> _Match | None:
    """The section phrase starting at token i, if any (its last word may end in ':' or '.')."""
    first = toks[i].text
    if first.lower() in _CASE_WORDS:
        j = i + 1
        if j + 1 < len(toks) and toks[j].text.lower() == "report":
            j += 1
        if j < len(toks) and _CASE_NUMBER.match(_bare(toks[j].text)):
            return _Match(i, j + 1, True, label=True)
    best: _Match | None = None
    for phrase, split in _PHRASES_BY_FIRST.get(_bare(first).lower(), ()):
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


def _prose_at(toks: list[_Token], i: int) -> bool:
    """A capitalised word, then straight away a lower-case word or a number."""
    if i + 1 >= len(toks) or not toks[i].text[:1].isupper():
        return False
    second = toks[i + 1].text.lstrip(_EDGE)
    return bool(_LOWER_WORD.match(second)) or second[:1].isdigit()


def _subheading(toks: list[_Token], i: int) -> int:
    """The length of a sub-heading in sentence case right after a heading ('Case presentation
    Initial presentation A 49-year-old ...'), followed by a sentence; 0 if there is none."""
    if i >= len(toks) or not toks[i].text.isalpha() or not toks[i].text[:1].isupper():
        return 0
    for k in range(2, SUBHEADING_MAX_WORDS + 1):
        if i + k > len(toks):
            return 0
        word = _bare(toks[i + k - 1].text)
        if not (word.isalpha() and word.islower()):
            return 0
        if word in _MINOR_WORDS:
            continue
        if _sentence_follows(toks, i + k):
            return k
    return 0


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
    if _SENTENCE_END.search(prev) or _ADDRESS.match(prev):
        # (An e-mail address or a link closes an author block as a full stop would.)
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


def find_inline_headings(
    b: RawBlock, toks: list[_Token] | None = None
) -> list[tuple[int, int, int, int, int, int]]:
    """Spans (part, line, char) .. (part, line, char) of the inline headings of a block
    (`toks`: the block's _tokens, when the caller has them already)."""
    if toks is None:
        if not _may_hold_heading(b):
            return []
        toks = _tokens(b)
    matches: dict[int, _Match] = {}
    i = 0
    while i < len(toks):
        low = toks[i].text.lower()
        if low not in _CASE_WORDS and low.rstrip(_HEAD_PUNCT) not in _PHRASES_BY_FIRST:
            i += 1  # no phrase starts here (_may_open, inlined: it runs for every word)
            continue
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
        before = 0
        while k - before > 0 and matches[order[k - before - 1]].stop == order[k - before]:
            before += 1
        if before >= LIST_RUN - 1 and not _typographic(b, toks, m) and not _prose_at(toks, m.stop):
            # The end of a table of contents ('... References Introduction Thyroid gland
            # disorders ...'), not a journal's label after it ('... Declarations References
            # Case Report Open Access Brachial neuropathy ...'): plain prose must follow.
            continue
        if _accept(b, toks, m, matches, in_run=before > 0):
            chosen.append(m)
    spans = []
    for m in chosen:
        a, z = toks[m.first], toks[m.stop - 1]
        spans.append((a.part, a.line, a.start, z.end_part, z.end_line, z.end))
        sub = _subheading(toks, m.stop)
        if sub:
            a, z = toks[m.stop], toks[m.stop + sub - 1]
            spans.append((a.part, a.line, a.start, z.end_part, z.end_line, z.end))
    return spans


def _pairs(toks: list[_Token], m: _Match, nxt: _Match) -> bool:
    words = [_bare(toks[k].text).lower() for k in range(m.first, m.stop)]
    if words == ["abstract"]:
        return not nxt.label
    return words[0] in ("case", "clinical") and nxt.label


def _typographic(b: RawBlock, toks: list[_Token], m: _Match) -> bool:
    words = [toks[k].text for k in range(m.first, m.stop)]
    return _caps(words) or _is_bold_lead(b, toks[m.first], words)


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
    if (
        not _sentence_follows(toks, m.stop, window)
        and not _list_follows(toks, m)
        and not _subheading(toks, m.stop)
    ):
        return False
    if _caps(words) or _is_bold_lead(b, toks[m.first], words):
        return True
    if not _title(words):
        return False
    if bare_case or m.label:
        # 'Case 2 A 64-year-old ...', 'Case A 67 ...': at a block start or after a sentence.
        if in_run or m.first == 0 or _SENTENCE_END.search(toks[m.first - 1].text):
            return True
        return _after_caption(b, toks, m)
    return in_run or _sentence_start(toks, m.first, matches) or _after_caption(b, toks, m)


def _caption_before(toks: list[_Token], i: int) -> bool:
    """A caption ('Figure 6: ...') starts within the few words before token i."""
    for k in range(max(0, i - CAPTION_LOOKBACK), i - 1):
        if _CAPTION_WORD.match(toks[k].text) and _CAPTION_NUMBER.match(toks[k + 1].text):
            return True
    return False


def _after_caption(b: RawBlock, toks: list[_Token], m: _Match) -> bool:
    """A caption running on into the text need not end in a full stop ('... Click here to
    view Case 2 The second patient ...', '... view Discussion MTC was ...'): a heading may
    follow its last word, if that is a plain lower-case word (not 'of', 'the', 'case')."""
    if m.first == 0 or not (b.kind == "caption" or _caption_before(toks, m.first)):
        return False
    prev = toks[m.first - 1].text
    last = toks[m.stop - 1].text
    return (
        prev.isalpha()
        and prev.islower()
        and prev not in _MINOR_WORDS
        and prev not in _CASE_WORDS
        and last == _bare(last)
    )


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


MAX_TAIL_TOKENS = 3
"""At most this many words of a heading can be left at the end of the block before its text."""
_BETWEEN = frozenset({"header", "footer", "figure"})


def _carry_tails(blocks: list[RawBlock]) -> list[RawBlock]:
    """Move a heading stranded at the end of a paragraph to the start of the next one.

    A heading printed in the running text with extra space after it ('... this tumour. Case
    presentation' / 'A 56-year-old ...', or 'woman. Case' / 'presentation A 53-year-old ...')
    ends one block while its sentence starts the next. The words after the block's last
    sentence end are carried over when, with them, the next body block opens with an inline
    heading. Only the block's last words are read (`_last_tokens`).
    """
    out = list(blocks)
    for i, b in enumerate(out):
        if b.kind != "body":
            continue
        j = i + 1
        while j < len(out) and out[j].kind in _BETWEEN:
            j += 1
        if j >= len(out) or out[j].kind != "body":
            continue
        toks = _last_tokens(b, MAX_TAIL_TOKENS + 1)
        for n in range(1, min(MAX_TAIL_TOKENS, len(toks)) + 1):
            start = len(toks) - n
            if start > 0 and not _SENTENCE_END.search(toks[start - 1].text):
                continue
            first = toks[start].text
            if not _may_open(first) and not (n == 1 and _broken(first)):
                # No heading can start at the carried words' first token (the last token
                # alone may still join a word broken across the two blocks).
                continue
            tail = _slice(b, (toks[start].part, toks[start].line, toks[start].start), _end(b))
            nxt = replace(out[j], parts=tail + out[j].parts)
            spans = find_inline_headings(nxt)
            if not spans or spans[0][:3] != (0, 0, 0):
                continue
            if spans[0][3:] < (len(tail) - 1, *_end(RawBlock(tail, "body"))[1:]):
                continue  # the heading found does not take in all the carried words
            head = _slice(b, (0, 0, 0), (toks[start].part, toks[start].line, toks[start].start))
            out[i] = replace(b, parts=head)
            out[j] = nxt
            break
    return [b for b in out if b.parts]


def _end(b: RawBlock) -> Pos:
    return (len(b.parts) - 1, len(b.parts[-1].lines) - 1, len(b.last.text))


def split_inline_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """Cut body blocks (and captions that run on into the text) at their inline headings."""
    out: list[RawBlock] = []
    for b in _carry_tails(blocks):
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
