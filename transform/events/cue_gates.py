"""Cheap exact pre-tests of the cue regexes: the literal strings every match must contain.

Python's `re` tries a pattern that opens with `\\b` or a group at every character of the
text, so the ~150 case-insensitive cue patterns over every sentence were a third of the
transform stage, though most sentences hold none of a cue's words. `required_literals`
reads a pattern's parse tree (the standard library's own parser) for a set of strings one of
which every match contains; when none of them is in the text (`in`, a fast substring
search) the regex cannot match and is not run. The test never skips a match: a string the
pattern compares case-insensitively is looked for in `fold(text)`, which puts every
character in the case the regex engine itself treats it as ('K' KELVIN SIGN counts as 'k',
'ſ' as 's'); a string inside a case-sensitive scope ('(?-i:CT)') in the text as it is.
"""

from __future__ import annotations

import re
import re._constants as sre  # the parser's node kinds (re._parser's own constants)
import re._parser as sre_parse  # the standard library's regex parser (no third party does it)
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Piece = tuple[str, bool]
"""A string a match may hold, and whether the pattern compares it case-sensitively."""
Pieces = frozenset[Piece]

MAX_STRINGS = 64
"""Most strings a part of a pattern is spelled out as ('T' [0-4] [a-d]? is 25)."""
MAX_CLASS_CHARS = 10
"""Widest character class spelled out letter by letter ('[0-4]', '[pcy]', not '[A-Z]')."""
MAX_REPEAT_SPELLED = 3
"""Most repeats of a part spelled out ('s?', 'I{1,3}')."""
_EMPTY: Pieces = frozenset([("", True)])
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
"""Anchors and lookarounds consume nothing: the text on both sides of them is contiguous."""
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


@dataclass(frozen=True)
class Literals:
    """Every match contains one of `folded` in fold(text) or one of `exact` in the text."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]


def required_literals(pattern: str, flags: int = 0) -> Literals | None:
    """Strings one of which every match of `pattern` contains, or None when the pattern
    names none for sure (a wide class, a back-reference, nothing but optional parts).

    Also None when the parse tree cannot be read: `re._parser` is the standard library's own
    and private, so a Python that changed it gives no gate (every regex runs: slower, the
    same matches), never a wrong one."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        found = _required(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    except Exception:  # any change of a private parser: no gate
        return None
    if found is None:
        return None
    pieces = _minimal(found)
    return Literals(
        folded=tuple(sorted(s for s, exact in pieces if not exact)),
        exact=tuple(sorted(s for s, exact in pieces if exact)),
    )


def _valid(pieces: Iterable[Piece]) -> bool:
    """Usable as a test: no empty string, and a case-insensitive one only in ASCII (where
    fold and the regex engine agree)."""
    return all(s and (exact or s.isascii()) for s, exact in pieces)


def _score(pieces: Pieces) -> tuple[int, int]:
    """The more selective test: its shortest string longest, then fewer strings."""
    return min(len(s) for s, _ in pieces), -len(pieces)


def _required(items: Sequence[tuple[Any, Any]], ignore: bool) -> Pieces | None:
    """The most selective string set of a sequence: each run of parts spelled out in full
    (literals, small classes and groups, short repeats) is one candidate, and so is every
    required part that is not spelled out."""
    candidates: list[Pieces] = []
    run = _EMPTY

    def end_run() -> None:
        if _valid(run):
            candidates.append(run)

    for op, av in items:
        spelled = _spelled(op, av, ignore)
        if spelled is not None:
            longer = _concat(run, spelled)
            if longer is not None and _valid(longer):
                run = longer
                continue
            end_run()
            if _valid(spelled):
                run = spelled
                continue
        else:
            end_run()
        run = _EMPTY  # a part not spelled out, or spelled with strings no test can use
        found = _required_node(op, av, ignore)
        if found is not None and _valid(found):
            candidates.append(found)
    end_run()
    return max(candidates, key=_score) if candidates else None


def _required_node(op: Any, av: Any, ignore: bool) -> Pieces | None:
    if op is sre.SUBPATTERN:
        return _required(av[-1], _scoped(av, ignore))
    if op is sre.ATOMIC_GROUP:
        return _required(av, ignore)
    if op is sre.BRANCH:
        return _union(_required(branch, ignore) for branch in av[1])
    if op in _REPEATS:
        low, _high, item = av
        return _required(item, ignore) if low >= 1 else None
    return None


def _union(branches: Iterable[Pieces | None]) -> Pieces | None:
    """The strings of all a branch's alternatives, or None when one of them has none (the
    alternatives are worked out lazily: the first None ends it)."""
    union: set[Piece] = set()
    for found in branches:
        if found is None:
            return None
        union |= found
    return frozenset(union)


def _scoped(av: Any, ignore: bool) -> bool:
    """Whether a group compares case-insensitively: '(?-i:...)' turns it off, '(?i:...)' on."""
    _group, add_flags, del_flags, _items = av
    if add_flags & re.IGNORECASE:
        return True
    if del_flags & re.IGNORECASE:
        return False
    return ignore


def _concat(left: Pieces, right: Pieces) -> Pieces | None:
    out = frozenset((a + b, ea and eb) for a, ea in left for b, eb in right)
    return out if len(out) <= MAX_STRINGS else None


def _spelled_sequence(items: Sequence[tuple[Any, Any]], ignore: bool) -> Pieces | None:
    out: Pieces | None = _EMPTY
    for op, av in items:
        part = _spelled(op, av, ignore)
        if part is None or out is None:
            return None
        out = _concat(out, part)
    return out


def _spelled(op: Any, av: Any, ignore: bool) -> Pieces | None:
    """Every string a part of a pattern matches, when they are few; else None."""
    if op is sre.LITERAL:
        return frozenset([(chr(av), not ignore)])
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is sre.IN:
        chars = _class_chars(av)
        return None if chars is None else frozenset((c, not ignore) for c in chars)
    if op is sre.SUBPATTERN:
        return _spelled_sequence(av[-1], _scoped(av, ignore))
    if op is sre.ATOMIC_GROUP:
        return _spelled_sequence(av, ignore)
    if op is sre.BRANCH:
        union = _union(_spelled_sequence(branch, ignore) for branch in av[1])
        return union if union is not None and len(union) <= MAX_STRINGS else None
    if op in _REPEATS:
        low, high, item = av
        one = _spelled_sequence(item, ignore)
        if one is None or high > MAX_REPEAT_SPELLED:
            return None
        out: set[Piece] = set()
        times: Pieces | None = _EMPTY
        for count in range(high + 1):
            if times is None:
                return None
            if count >= low:
                out |= times
            times = _concat(times, one)
        return frozenset(out) if len(out) <= MAX_STRINGS else None
    return None


def _class_chars(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    """The characters of a small class of literals and ranges ('[0-4]'), else None."""
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < MAX_CLASS_CHARS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negation, a category ('\\w') or a wide range
    return chars if len(chars) <= MAX_CLASS_CHARS else None


def _minimal(pieces: Pieces) -> Pieces:
    """Without the strings that hold another one ('cancers' holds 'cancer'): the shorter
    test is met wherever the longer one is."""

    def holds(longer: Piece, shorter: Piece) -> bool:
        (text, exact), (part, part_exact) = longer, shorter
        if part_exact:
            return exact and part in text
        return part.lower() in fold(text)

    lowered = frozenset((s if exact else s.lower(), exact) for s, exact in pieces)
    return frozenset(p for p in lowered if not any(q != p and holds(p, q) for q in lowered))


_ANY_ASCII = re.compile("[\x00-\x7f]", re.IGNORECASE)
_NO_LITERAL = "\x00"
"""What a character that equals no ASCII character under the regex's case rules becomes."""


class _Folding(dict[int, str]):
    """Code point -> its ASCII lower-case equal under re.IGNORECASE, else _NO_LITERAL;
    filled as characters are met (most texts are ASCII and never come here)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _NO_LITERAL
        if ch.isascii():
            out = ch.lower()
        elif _ANY_ASCII.fullmatch(ch):
            out = next(
                chr(k).lower()
                for k in range(128)
                if re.fullmatch(re.escape(chr(k)), ch, re.IGNORECASE)
            )
        self[code] = out
        return out


_FOLDING = _Folding()


def fold(text: str) -> str:
    """`text` in the case `Literals.folded` are compared in, the same length: ASCII in
    lower case, 'K' (KELVIN SIGN) as 'k', any character no ASCII literal can match as NUL."""
    return text.lower() if text.isascii() else text.translate(_FOLDING)


def may_match(literals: Literals | None, folded: str, text: str) -> bool:
    """Whether a regex with these required literals can match inside `text` (`folded` is
    fold of the same slice): False only when none of them is there."""
    if literals is None:
        return True
    for word in literals.folded:  # a loop, not any(): this runs 40,000 times an ingest
        if word in folded:
            return True
    return bool(literals.exact) and any(word in text for word in literals.exact)
