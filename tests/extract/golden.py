"""Token alignment of extracted text with a golden text, shared by the extract tests."""

from __future__ import annotations

import difflib
import re

from extract.normalize import normalize_text

_TOKEN = re.compile(r"\S+")


def tokens(text: str) -> list[str]:
    """Word tokens after the stage's own character choices (so '15–20%' == '15-20%')."""
    return _TOKEN.findall(normalize_text(" ".join(text.split())))


def alignment(expected: str, actual: str) -> tuple[float, str]:
    """Fraction of expected tokens matched in order, and where they first diverge."""
    exp, act = tokens(expected), tokens(actual)
    matcher = difflib.SequenceMatcher(None, exp, act, autojunk=False)
    matched = sum(m.size for m in matcher.get_matching_blocks())
    first = ""
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            first = (
                f"{tag} at token {i1}: expected {' '.join(exp[max(0, i1 - 5) : i2 + 5])!r} "
                f"got {' '.join(act[max(0, j1 - 5) : j2 + 5])!r}"
            )
            break
    return matched / max(len(exp), 1), first
