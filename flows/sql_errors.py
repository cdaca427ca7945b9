"""DuckDB's SQL error, kept whole (its LINE and caret lines show where), with a hint when the
word it stumbled on is close to a table or view name (`from case` -> `cases`).

Why: `case` is an SQL keyword, so DuckDB reports a bare syntax error where the user meant
the `cases` table; DuckDB suggests names only for words it parsed as tables.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

NEAR = re.compile(r'syntax error at or near "([^"]+)"')
CLOSE_NAME = 0.75
"""difflib ratio from which a word is taken for a misspelt name ('case' / 'cases' is 0.89)."""


def close_name(word: str, names: Iterable[str]) -> str | None:
    """The table or view name `word` most likely meant, if one is close enough."""
    pool = sorted(set(names))
    low = word.lower()
    if low in pool:
        return None
    hits = difflib.get_close_matches(low, pool, n=1, cutoff=CLOSE_NAME)
    return hits[0] if hits else None


def explain(message: str, names: Iterable[str]) -> str:
    """The message with trailing blank lines dropped, plus a 'did you mean' line when the
    syntax error sits on a word close to a name of the warehouse."""
    text = message.rstrip()
    near = NEAR.search(text)
    if near is None:
        return text
    name = close_name(near.group(1), names)
    if name is None:
        return text
    return f'{text}\nhint: did you mean "{name}"?'
