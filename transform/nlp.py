"""The one spaCy pipeline of the transform stage: blank English + rule components.

No statistical model (nothing downloads): a sentencizer, a drug matcher over the
lexicon, and two span rulers fed from transform/patterns/*.jsonl. Built once per
process because the drug matcher holds tens of thousands of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from transform.lexicon import get_lexicon, is_short_abbreviation, normalize_name
from transform.patterns import CONTEXT_FAMILY, MENTION_FAMILIES, load_patterns

DRUG_KEY = "drugs"
MENTION_KEY = "mentions"
CONTEXT_KEY = "context"
DRUG_LABEL = "DRUG"

UNIT_AFTER_NUMBER = (
    r"(?<=\d)(?=(?:mg|mcg|µg|μg|ug|g|kg|ml|mL|IU|Gy|cm2|cm²|mm2|cm|mm|h)(?:[^A-Za-z]|$))"
)
"""'60mg', '250μg', '3cm': split the number from its unit so patterns see two tokens."""
EXTRA_INFIXES = (
    UNIT_AFTER_NUMBER,
    r"(?<=AUC)(?=\d)",  # 'AUC5'
    r"/",  # 'mg/m2', 'mg/44.93', 'd1–2/50', 'HER2/neu', '12/03/2019'
    r"[×✕⨯]",  # '4.1×3.0'
    r"(?<=\d)(?=[xX]\d)|(?<=\d[xX])(?=\d)",  # '4.1x3.0'
)


def customize_tokenizer(nlp: Language) -> None:
    """Add the infixes dose, date and size patterns rely on (see EXTRA_INFIXES)."""
    infixes = list(nlp.Defaults.infixes or ()) + list(EXTRA_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


def _is_valid_drug_text(text: str) -> bool:
    """Short letter-only names count only in capitals: 'TAM' is tamoxifen, 'tam' is not."""
    key = normalize_name(text)
    if is_short_abbreviation(key):
        return text.isupper()
    return True


MAX_NAME_TOKENS = 10
"""Longest drug name in tokens that the matcher tries ('nanoparticle albumin-bound paclitaxel')."""


class DrugMatcher:
    """Marks lexicon drug names in doc.spans['drugs'], case-insensitively.

    A token n-gram lookup in the lexicon's name set: the same result as a PhraseMatcher on
    LOWER over the filtered names, without tokenizing ~60,000 names at start-up (seconds).
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.max_chars = max((len(n) for n in self.names), default=0)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        lowers = [normalize_name(t.text) for t in doc]
        gaps = [" " if t.whitespace_ else "" for t in doc]
        for start in range(len(doc)):
            if not lowers[start][:1].isalnum():
                continue
            key = ""
            for end in range(start + 1, min(start + MAX_NAME_TOKENS, len(doc)) + 1):
                key += lowers[end - 1]
                if len(key) > self.max_chars:
                    break
                if key in self.names:
                    text = doc[start:end].text
                    if _is_valid_drug_text(text) and not _glued_to_word(doc, start, end):
                        spans.append(Span(doc, start, end, label=DRUG_LABEL))
                key += gaps[end - 1]
        doc.spans[DRUG_KEY] = filter_spans(spans)
        return doc


_WORDISH = re.compile(r"^[A-Za-z0-9]")


def _glued_to_word(doc: Doc, start: int, end: int) -> bool:
    """A name that is part of a hyphenated word ('anti-HER2', 'trastuzumab-resistant')."""
    if start > 0 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        return start >= 2 and bool(_WORDISH.match(doc[start - 2].text))
    if end < len(doc) - 1 and doc[end].text == "-" and not doc[end - 1].whitespace_:
        nxt = doc[end + 1].text.lower()
        return nxt.isalpha() and nxt not in ("based", "containing", "induced", "related")
    return False


@Language.factory("caselines_drugs")
def make_drug_matcher(nlp: Language, name: str) -> DrugMatcher:
    return DrugMatcher(get_lexicon().names())


def build_nlp() -> Language:
    """A fresh pipeline (tests may build one; the pipeline itself uses get_nlp())."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("caselines_drugs")
    mentions = nlp.add_pipe(
        "span_ruler",
        name="mention_ruler",
        config={"spans_key": MENTION_KEY, "phrase_matcher_attr": "LOWER", "validate": True},
    )
    mentions.add_patterns(  # type: ignore[attr-defined]
        [row.as_ruler_pattern() for fam in MENTION_FAMILIES for row in load_patterns(fam)]
    )
    context = nlp.add_pipe(
        "span_ruler",
        name="context_ruler",
        config={"spans_key": CONTEXT_KEY, "phrase_matcher_attr": "LOWER", "validate": True},
    )
    context.add_patterns(  # type: ignore[attr-defined]
        [row.as_ruler_pattern() for row in load_patterns(CONTEXT_FAMILY)]
    )
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline, built on first use."""
    return build_nlp()
