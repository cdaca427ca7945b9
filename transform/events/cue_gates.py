"""Cheap exact pre-tests of the cue regexes: the literal words every match must contain.

Python's `re` tries a pattern that opens with `\\b` or a group at every character of the
text, so the ~150 case-insensitive cue patterns over every sentence were a third of the
transform stage, though most sentences hold none of a cue's words. `required_literals`
reads a pattern's parse tree (the standard library's own parser) for a set of literal
strings one of which every match contains; when none of them is in the sentence (`in`, a
fast substring search) the regex cannot match and is not run. The test never skips a
match: `fold` puts the text in the case the literals are compared in, character by
character with the regex engine's own case-insensitive equivalences (so 'K' KELVIN SIGN
still counts as 'k', and 'ſ' as 's').
"""

from __future__ import annotations

import re
import re._constants as sre  # the parser's node kinds (re._parser's own constants)
import re._parser as sre_parse  # the standard library's regex parser (no third party does it)
from collections.abc import Sequence
from typing import Any

Literals = frozenset[str]
"""Lower-case strings, one of which every match contains."""

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
"""Anchors and lookarounds consume nothing: they neither add nor break a literal run, but a
run does not go on across them ('a\\bb' holds 'a' and 'b', not 'ab')."""
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_literals(pattern: str, flags: int = 0) -> Literals | None:
    """Literal strings (lower case) one of which every match of `pattern` contains, or None
    when the pattern names none for sure (a class, a back-reference, an optional part).

    Only ASCII literals are kept (a set holding another is None): `fold` compares in ASCII
    lower case, where the regex engine's case rules and str.lower agree."""
    found = _sequence(sre_parse.parse(pattern, flags))
    if found is None or not all(x.isascii() for x in found):
        return None
    return frozenset(x.lower() for x in found)


def _sequence(items: Sequence[tuple[Any, Any]]) -> Literals | None:
    """The most selective literal set of a sequence: each run of literal characters is one
    candidate, and so is every required group in it."""
    candidates: list[Literals] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        if op in _ZERO_WIDTH:
            continue
        found = _node(op, av)
        if found is not None and all(found):
            candidates.append(found)
    end_run()
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))


def _node(op: Any, av: Any) -> Literals | None:
    if op is sre.SUBPATTERN:
        return _sequence(av[-1])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(branch)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in _REPEATS:
        low, _high, item = av
        return _sequence(item) if low >= 1 else None
    return None


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
    """`text` in the case `required_literals` are compared in, the same length: ASCII in
    lower case, 'K' (KELVIN SIGN) as 'k', any character no ASCII literal can match as NUL."""
    return text.lower() if text.isascii() else text.translate(_FOLDING)


def may_match(literals: Literals | None, folded: str) -> bool:
    """Whether a regex with these required literals can match inside `folded` (a slice of
    fold(text)): False only when none of them is there."""
    return literals is None or any(x in folded for x in literals)
