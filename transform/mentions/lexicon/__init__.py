"""Drug lexicon: names -> canonical DrugBank name, id and class (loader + shipped tables)."""

from transform.mentions.lexicon.loader import (
    Lexicon,
    LexiconError,
    SynonymRow,
    get_lexicon,
    is_short_abbreviation,
    normalize_name,
)

__all__ = [
    "Lexicon",
    "LexiconError",
    "SynonymRow",
    "get_lexicon",
    "is_short_abbreviation",
    "normalize_name",
]
