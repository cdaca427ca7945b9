"""Character normalisation of extracted text.

Choices (documented for the stages downstream):
- ligatures (fi, fl, ffi, ...) are expanded;
- every hyphen and dash variant used inside words or ranges (U+2010 hyphen, U+2011 non-breaking
  hyphen, U+2012 figure dash, U+2013 en dash, U+2212 minus) becomes ASCII '-', so '15–20%',
  'd1–14' and 'HER2‐positive' read as '15-20%', 'd1-14', 'HER2-positive'; the em dash, a
  punctuation mark between words, is kept;
- the multiplication sign '×' is KEPT as '×' (an 'x' could be a letter; patterns match '×');
- superscript and subscript digits become plain digits ('mg/m²' -> 'mg/m2');
- no-break and other fixed-width spaces become a plain space; zero-width characters and soft
  hyphens are dropped;
- quotation marks are kept as printed.
"""

from __future__ import annotations

import re

LINE_BREAK_HYPHENS = frozenset("-\u2010\u2011\u00ad")
"""Characters that may end a line on a word broken by the typesetter."""

_TABLE = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00ad": "",
        "\u2070": "0",
        "\u00b9": "1",
        "\u00b2": "2",
        "\u00b3": "3",
        "\u2074": "4",
        "\u2075": "5",
        "\u2076": "6",
        "\u2077": "7",
        "\u2078": "8",
        "\u2079": "9",
        "\u2080": "0",
        "\u2081": "1",
        "\u2082": "2",
        "\u2083": "3",
        "\u2084": "4",
        "\u2085": "5",
        "\u2086": "6",
        "\u2087": "7",
        "\u2088": "8",
        "\u2089": "9",
    }
)
_SPACES = re.compile(r"[ \t]{2,}")


def normalize_text(text: str) -> str:
    """Apply the character choices above and collapse runs of spaces."""
    return _SPACES.sub(" ", text.translate(_TABLE)).strip()
