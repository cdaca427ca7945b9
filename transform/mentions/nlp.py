"""The one spaCy pipeline of the transform stage: blank English + rule components.

No statistical model (nothing downloads): a sentencizer, a drug matcher over the
lexicon, and two span rulers fed from transform/mentions/patterns/*.jsonl. Built once per
process because the drug matcher holds tens of thousands of names.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache, reduce
from itertools import product
from operator import itemgetter, or_
from typing import Any

import spacy
from spacy.attrs import SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex, filter_spans

from transform.mentions import context
from transform.mentions.lexicon import get_lexicon, is_short_abbreviation, normalize_name
from transform.mentions.lexicon.loader import FUZZY_MIN_LENGTH
from transform.mentions.patterns import CONTEXT_FAMILY, MENTION_FAMILIES, PatternRow, load_patterns

DRUG_KEY = "drugs"
MENTION_KEY = "mentions"
CONTEXT_KEY = "context"
DRUG_LABEL = "DRUG"

UNIT_AFTER_NUMBER = (
    r"(?<=\d)(?=(?:mg|mcg|µg|μg|ug|g|kg|ml|mL|IU|UI|(?i:c?gy)|cm2|cm²|mm2|cm|mm|h|L|"
    r"hours?|days?|weeks?|months?|tablets?|capsules?|units?|liters?|litres?)(?:[^A-Za-z]|$))"
)
"""'60mg', '250μg', '3cm', '24hours', '4tablets': split the number from its unit so patterns
see two tokens."""
EXTRA_INFIXES = (
    UNIT_AFTER_NUMBER,
    r"(?<=AUC)(?=\d)",  # 'AUC5'
    r"/",  # 'mg/m2', 'mg/44.93', 'd1–2/50', 'HER2/neu', '12/03/2019'
    r"[×✕⨯]",  # '4.1×3.0'
    r"(?<=\d)(?=[xX]\d)|(?<=\d[xX])(?=\d)",  # '4.1x3.0'
    r"[)\]](?=-[A-Za-z])|(?<=[)\]])-(?=[A-Za-z])",  # 'trimethoprim (TMP)-sulfamethoxazole'
    r"[)\]](?=\+)|(?<=[)\]])\+",  # '70 mg [45 mg/m2]+ cisplatin'
)
EXTRA_SUFFIXES = (r"(?<=[mdnpµμ/]L)\.", r"(?<=IU)\.")
"""'10.0 ng/mL.', '5 mIU/mL.', '40 U/L.', '6000 IU.': spaCy splits a final period only after a
lower-case letter, so a unit ending in a capital kept it and hid the sentence end."""


TEXTS_KEY = "caselines_texts"


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, read once per Doc and shared by the components: each reading of a
    token makes a Token object, and three components read every token."""
    texts: list[str] | None = doc.user_data.get(TEXTS_KEY)
    if texts is None:
        texts = doc.user_data[TEXTS_KEY] = [t.text for t in doc]
    return texts


DISTINCT_KEY = "caselines_distinct"


def token_set(doc: Doc) -> frozenset[str]:
    """The distinct token texts of a Doc, once: each matcher's memo takes the new ones."""
    distinct: frozenset[str] | None = doc.user_data.get(DISTINCT_KEY)
    if distinct is None:
        distinct = doc.user_data[DISTINCT_KEY] = frozenset(token_texts(doc))
    return distinct


LOWERS_KEY = "caselines_lowers"


def token_lowers(doc: Doc) -> list[str]:
    """Every token's lower-case text (spaCy's LOWER is str.lower() of the text), once per
    Doc, for the per-sentence scans of the mention layer."""
    lowers: list[str] | None = doc.user_data.get(LOWERS_KEY)
    if lowers is None:
        lowers = doc.user_data[LOWERS_KEY] = list(map(str.lower, token_texts(doc)))
    return lowers


HEADS_KEY = "caselines_heads"
ABBREVIATION_HEAD_CHARS = 3
"""How much of a token the abbreviation scan compares with the first word of each
abbreviation the article and the builtin table know."""


_HEAD = itemgetter(slice(ABBREVIATION_HEAD_CHARS))


def token_heads(doc: Doc) -> list[str]:
    """Every token's first ABBREVIATION_HEAD_CHARS characters, once per Doc: most sentences
    hold no token an abbreviation starts with, which one set test tells."""
    heads: list[str] | None = doc.user_data.get(HEADS_KEY)
    if heads is None:
        heads = doc.user_data[HEADS_KEY] = list(map(_HEAD, token_texts(doc)))
    return heads


def customize_tokenizer(nlp: Language) -> None:
    """Add the infixes and suffixes dose, date and size patterns rely on (EXTRA_INFIXES,
    EXTRA_SUFFIXES)."""
    infixes = list(nlp.Defaults.infixes or ()) + list(EXTRA_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    suffixes = list(nlp.Defaults.suffixes or ()) + list(EXTRA_SUFFIXES)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search  # type: ignore[union-attr]


def _is_valid_drug_text(text: str) -> bool:
    """Short letter-only names count only in capitals: 'TAM' is tamoxifen, 'tam' is not."""
    key = normalize_name(text)
    if is_short_abbreviation(key):
        return text.isupper()
    return True


ANTIBODY_WORDS = frozenset(["antibody", "antibodies"])
_NUMBER_PREFIX = re.compile(r"^\d+-(?=[A-Za-z])")
"""A locant printed before a name ('5-fluorouracil', '6-mercaptopurine')."""

MAX_TOKEN_KEYS = 50_000
"""Token texts remembered by the drug matcher (cleared when full, for a long-lived worker)."""
MAX_NAME_TOKENS = 10
"""Longest drug name in tokens that the matcher tries ('nanoparticle albumin-bound paclitaxel')."""


class DrugMatcher:
    """Marks lexicon drug names in doc.spans['drugs'], case-insensitively.

    A token n-gram lookup in the lexicon's name set: the same result as a PhraseMatcher on
    LOWER over the filtered names, without tokenizing ~60,000 names at start-up (seconds).
    """

    def __init__(
        self,
        names: Iterable[str],
        misspelt: Callable[[str], str | None] | None = None,
        lab_words: Iterable[str] = (),
        antibody_drug: Callable[[str], bool] | None = None,
    ):
        self.names = frozenset(names)
        self.max_chars = max((len(n) for n in self.names), default=0)
        self.sorted_names = sorted(self.names)
        """For prefix look-ups: a token n-gram no name starts with grows into no name."""
        self.token_keys: dict[str, str] = {}
        """Token text -> its normalised key: a word seen before costs one look-up."""
        self.openers: set[str] = set()
        """Token texts a name can start with (an alphanumeric key some name starts with):
        most tokens start no name, and only these are tried."""
        self.spaced_openers: set[str] = set()
        """The openers that are a name or start a name of several words ('folinic'): before a
        space, only these can start one ('the' starts 'theophylline' but no name 'the ...')."""
        self.continues: dict[str, bool] = {}
        """An n-gram key followed by its gap -> whether some name goes on from it."""
        self.unasked: dict[str, str] = {}
        """Token text -> the word the misprint search tries, for texts long enough and all
        letters that `misspelt` was not asked about yet."""
        self.misprints: dict[str, str] = {}
        """Token text -> the name `misspelt` said it stands for (a text it said None of
        leaves `unasked` and is never asked again: its answer for a word never changes)."""
        self.misspelt = misspelt
        self.lab_words = frozenset(lab_words)
        self.antibody_drug = antibody_drug

    def _lab_test(self, doc: Doc, texts: list[str], start: int, end: int) -> bool:
        """The name is part of a lab test, stain or biology term: the next word is one of the
        lexicon's lab words ('alanine aminotransferase', 'prothrombin time', 'vitamin D
        levels'), except 'antibody' after an antibody drug ('rituximab antibody')."""
        if end >= len(doc):
            return False
        following = self.token_keys[texts[end]]
        if following not in self.lab_words:
            return False
        if following in ANTIBODY_WORDS and self.antibody_drug is not None:
            return not self.antibody_drug(doc[start:end].text)
        return True

    def _named(self, key: str) -> bool:
        """Whether some name starts with `key` (a binary search of the sorted names)."""
        at = bisect_left(self.sorted_names, key)
        return at < len(self.sorted_names) and self.sorted_names[at].startswith(key)

    def _learn(self, distinct: frozenset[str]) -> None:
        """Put the texts never seen before in the memos (all of them, cleared, when full)."""
        memo = self.token_keys
        new = distinct.difference(memo)
        if len(memo) + len(new) > MAX_TOKEN_KEYS:
            for table in (
                memo, self.openers, self.spaced_openers, self.continues, self.unasked,
                self.misprints,
            ):  # fmt: skip
                table.clear()
            new = distinct
        for text in new:
            low = memo[text] = normalize_name(text)
            if low[:1].isalnum() and self._named(low):
                self.openers.add(text)
                if low in self.names or self._named(low + " "):
                    self.spaced_openers.add(text)
            # '5-fluorourasil' (a locant starts with a digit: no other word is searched)
            word = _NUMBER_PREFIX.sub("", text) if text[:1].isdigit() else text
            if len(word) >= FUZZY_MIN_LENGTH and word.isalpha():
                self.unasked[text] = word

    def _goes_on(self, key: str) -> bool:
        """Whether some name starts with `key`, remembered (bounded with token_keys)."""
        known = self.continues.get(key)
        if known is None:
            known = self.continues[key] = self._named(key)
        return known

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int]] = []
        texts = token_texts(doc)
        self._learn(token_set(doc))
        keys = self.token_keys
        glued, spaced = self.openers, self.spaced_openers
        spaces = doc.to_array(SPACY).tolist()
        n = len(texts)
        for start in [
            i
            for i, (text, space) in enumerate(zip(texts, spaces, strict=True))
            if text in (spaced if space else glued)
        ]:
            key = ""
            here: list[tuple[int, int]] = []
            for end in range(start + 1, min(start + MAX_NAME_TOKENS, n) + 1):
                key += keys[texts[end - 1]]
                if len(key) > self.max_chars:
                    break
                if key in self.names and _is_valid_drug_text(doc[start:end].text):
                    if self._lab_test(doc, texts, start, end):
                        here = []  # 'vitamin B 12 deficiency': nor its head 'vitamin B'
                        break
                    here.append((start, end))
                if spaces[end - 1]:
                    key += " "
                if not self._goes_on(key):
                    break  # no name goes on from here: the longer n-grams match nothing
            found.extend(here)
        corrected: dict[int, str] = {}
        if self.misspelt is not None:
            covered = {i for s, e in found for i in range(s, e)}
            unasked, misprints = self.unasked, self.misprints
            for i in [i for i, text in enumerate(texts) if text in unasked or text in misprints]:
                if i in covered:
                    continue
                text = texts[i]
                name = misprints.get(text)
                if name is None:
                    word = unasked.pop(text, None)
                    if word is None:
                        continue  # asked at an earlier token of this document: no misprint
                    name = self.misspelt(word)
                    if name is not None:
                        misprints[text] = name
                if name is not None and not self._lab_test(doc, texts, i, i + 1):
                    found.append((i, i + 1))
                    corrected[i] = name
        starts = {s for s, _ in found}
        ends = {e for _, e in found}
        spans = [
            Span(doc, s, e, label=DRUG_LABEL, kb_id=corrected.get(s, ""))
            for s, e in found
            if not _glued_to_word(doc, s, e, starts, ends)
        ]
        doc.spans[DRUG_KEY] = filter_spans(spans)
        return doc


_WORDISH = re.compile(r"^[A-Za-z0-9]")
_JOINERS = frozenset(["-", "/"])
EXPOSURE_SUFFIXES = frozenset(
    ["based", "containing", "induced", "related", "associated", "treated", "pretreated",
     "exposed", "naive", "naïve", "therapy", "treatment", "injection", "injections",
     "infusion", "monotherapy", "regimen"]
)  # fmt: skip
"""'methotrexate-associated', 'heparin-induced', 'Avastin-injection': the drug was given."""
DOSE_PREFIXES = frozenset(["hd", "ld", "dose", "nab"])
"""'HD-MTX', 'high-dose-cytarabine': a dose qualifier before the name, not another word."""


def _glued_to_word(
    doc: Doc, start: int, end: int, starts: set[int] | None = None, ends: set[int] | None = None
) -> bool:
    """A name that is part of a hyphenated word ('anti-HER2', 'trastuzumab-resistant').

    Not when the word on the other side of the hyphen is itself a drug name
    ('trimethoprim-sulfamethoxazole', 'olanzapine-lithium') or, on the right, says the drug
    was given ('methotrexate-associated').
    """
    starts = starts or set()
    ends = ends or set()
    if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        left = doc[start - 2].text
        if (
            _WORDISH.match(left)
            and not left.isdigit()  # a locant: '5-fluorouracil'
            and start - 1 not in ends
            and left.lower() not in DOSE_PREFIXES
        ):
            return True
    if end < len(doc) - 1 and doc[end].text == "-" and not doc[end - 1].whitespace_:
        nxt = doc[end + 1].text.lower()
        if end + 1 in starts:
            return False
        return nxt.isalpha() and nxt not in EXPOSURE_SUFFIXES
    return False


@Language.factory("caselines_drugs")
def make_drug_matcher(nlp: Language, name: str) -> DrugMatcher:
    lexicon = get_lexicon()

    def antibody_drug(text: str) -> bool:
        value = lexicon.lookup(text)
        return value is not None and lexicon.is_antibody_drug(value)

    return DrugMatcher(lexicon.names(), lexicon.misspelt, lexicon.lab_words, antibody_drug)


# --- rule patterns -------------------------------------------------------------------------

MAX_COMBINED = 4096
"""Matchers kept for the sets of pattern groups sentences passed (a few dozen per article)."""
MAX_EXPANSIONS = 400
"""A token pattern of fixed words ({"LOWER": {"IN": [...]}}, "OP": "?") becomes at most this
many phrases; wider ones stay token patterns."""
_WORD_KEYS = ("LOWER", "ORTH", "TEXT")
_REPEAT = re.compile(r"^\{(\d+),(\d+)\}$")

Step = tuple[str, str]
"""One fixed token of an expanded pattern: ('LOWER', 'mg') or ('ORTH', 'HER2')."""


def _token_choices(token: dict[str, Any]) -> list[tuple[Step, ...]] | None:
    """The token sequences one pattern token stands for, or None if it is not a fixed word."""
    keys = [k for k in token if k != "OP"]
    if len(keys) != 1 or keys[0] not in _WORD_KEYS:
        return None
    attr = "ORTH" if keys[0] == "TEXT" else keys[0]
    value = token[keys[0]]
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = list(value["IN"])
    else:
        return None
    one = [((attr, w),) for w in words]
    op = token.get("OP")
    if op is None:
        return list(one)
    if op == "?":
        return [(), *one]
    repeat = _REPEAT.match(str(op))
    if repeat is None:
        return None
    low, high = int(repeat.group(1)), int(repeat.group(2))
    out: list[tuple[Step, ...]] = []
    for n in range(low, high + 1):
        out.extend(tuple(s for part in combo for s in part) for combo in product(one, repeat=n))
    return out


def expand_pattern(pattern: list[dict[str, Any]]) -> list[tuple[Step, ...]] | None:
    """Every fixed token sequence a pattern of words matches (None: not a pattern of words).

    Lets the hash-based PhraseMatcher do the work of the token Matcher, which tries every
    pattern at every token and costs time in proportion to the number of patterns.
    """
    choices = []
    total = 1
    for token in pattern:
        options = _token_choices(token)
        if options is None:
            return None
        total *= len(options)
        if total > MAX_EXPANSIONS:
            return None
        choices.append(options)
    seqs = {tuple(s for part in combo for s in part) for combo in product(*choices)}
    return sorted(seq for seq in seqs if seq)


BIOMARKER_NAME_LABEL = "BM_NAME"
"""biomarkers.jsonl marks only the marker's name; biomarker_ends reads the status after it."""
BIOMARKER_LABEL = "BIOMARKER"
_BM_LINKS = frozenset(
    ["status", "ihc", "fish", "gene", "protein", "was", "is", "were", "expression", "index",
     "level", "strongly", "weakly", "diffusely", "focally", "tps", "cps", "-"]
)  # fmt: skip
_BM_WORDS = frozenset(
    ["positive", "negative", "positivity", "negativity", "amplified", "amplification",
     "overexpression", "overexpressed", "mutation", "mutated", "mutant", "wild-type", "wild",
     "expression", "high", "low", "equivocal", "score", "deficient", "proficient", "stable",
     "rearrangement", "fusion", "loss"]
)  # fmt: skip
_BM_SCORE_LINKS = frozenset(
    ["ihc", "score", "status", ":", "was", "of", "tps", "cps", "<", ">", "\u2264", "\u2265", "=",
     "expression", "index", "staining", "positivity", "proliferation", "proliferative",
     "labelling", "labeling", "measured", "at", "about", "approximately", "in", "is",
     "tumour", "tumor", "proportion", "combined"]
)  # fmt: skip
MAX_SCORE_LINK_TOKENS = 4
"""'MIB-1 labelling index was about 12%': a score may follow the name by a few link words."""
_BM_SIGNS = frozenset(["+", "-", "\u2212", "\u2013", "++", "+++"])
_BM_SCORE = re.compile(
    r"^(?:[0-3]\+|\+{1,3}|[0-3]|\d{1,3}(?:[-\u2013]\d{1,3})?%?|[-\u2212\u2013])$"
)  # an IHC score, a sign, a percent or a range of percents (70-80)
_BM_RANGE_TAIL = re.compile(r"^[-\u2013~]\s*\d{1,3}\s*%$")
"""The rest of a range of percents split into tokens: '- 40 %' of '30-40%'."""
_BM_ALIAS = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,6}$")
_BM_NOT_IN_PAREN = frozenset([")", ".", "("])
_BM_PROTEIN_CHANGE = re.compile(
    r"^(?:p\.)?[ACDEFGHIKLMNPQRSTVWY]\d{1,4}(?:[ACDEFGHIKLMNPQRSTVWY]|fs)$"
)
"""A protein change named as a variant (HGVS short form): L858R, G12C, V600E, T790M."""
_BM_EXON_KINDS = frozenset(
    ["deletion", "deletions", "del", "insertion", "insertions", "ins", "mutation", "mutations",
     "skipping"]
)  # fmt: skip
_BM_VARIANT_STOPS = frozenset([".", ";", ",", "(", ")"])
VARIANT_WINDOW_TOKENS = 6
"""How far after a gene's name its variant may be told ('EGFR testing revealed an exon 19
deletion'), within the clause."""
MAX_PAREN_TOKENS = 6
MAX_LINK_TOKENS = 2


def _paren_end(doc: Doc, i: int) -> int | None:
    """End of '( 1-6 tokens )' opening at token i (no '.' or '(' inside), else None."""
    if i >= len(doc) or doc[i].text != "(":
        return None
    for j in range(i + 1, min(i + MAX_PAREN_TOKENS + 2, len(doc))):
        text = doc[j].text
        if text == ")":
            return j + 1 if j > i + 1 else None
        if text in _BM_NOT_IN_PAREN:
            return None
    return None


def biomarker_ends(doc: Doc, end: int) -> list[int]:
    """Where a biomarker mention whose name ends at token `end` may end: its status.

    'ER (90%)', 'ER (ER) (90%)', 'HER2 status was positive', 'HER2 IHC 3 +', 'Ki-67 40%',
    'PR -': the forms spaCy token patterns once spelled out per marker name, read here once
    per name found (the patterns cost time per name and per token). Every form that fits is
    returned, as the token Matcher returned every match.
    """
    n = len(doc)
    ends: list[int] = []
    paren = _paren_end(doc, end)
    if paren is not None:
        ends.append(paren)
    if paren is not None and _BM_ALIAS.match(doc[end + 1].text) and paren == end + 3:
        alias = _paren_end(doc, paren)
        if alias is not None:
            ends.append(alias)
    for k in range(MAX_LINK_TOKENS + 1):
        i = end + k
        if i >= n:
            break
        if doc[i].lower_ in _BM_WORDS:
            ends.append(i + 1)
            if doc[i].lower_ == "wild" and doc[i + 1 : i + 3].text.lower() in ("- type", "-type"):
                ends.append(i + 3)  # 'wild - type'
        if k < MAX_LINK_TOKENS and doc[i].lower_ not in _BM_LINKS:
            break
    for k in range(MAX_SCORE_LINK_TOKENS + 1):
        i = end + k
        if i >= n:
            break
        if _BM_SCORE.match(doc[i].text):
            ends.append(i + 1)
            if i + 1 < n and doc[i + 1].text in ("+", "%"):
                ends.append(i + 2)
            if _BM_RANGE_TAIL.match(doc[i + 1 : i + 4].text):
                ends.append(i + 4)  # '30 - 40 %'
        if doc[i].lower_ not in _BM_SCORE_LINKS:
            break
    if end < n and doc[end].text in _BM_SIGNS:
        ends.append(end + 1)
    ends.extend(_variant_ends(doc, end))
    return ends


def _variant_ends(doc: Doc, end: int) -> list[int]:
    """Where a variant named after a gene ends: 'L858R', 'exon 19 deletion' (a few tokens
    on, never past the clause)."""
    n = len(doc)
    for i in range(end, min(end + VARIANT_WINDOW_TOKENS, n)):
        text = doc[i].text.rstrip(".")
        if text in _BM_VARIANT_STOPS or not text:
            return []
        if _BM_PROTEIN_CHANGE.match(text):
            return [i + 1]
        if (
            i + 1 < n
            and not doc[i].whitespace_
            and _BM_PROTEIN_CHANGE.match(text + doc[i + 1].text.rstrip("."))
        ):
            return [i + 2]  # 'T790M' tokenised as 'T790' 'M' (unit-like suffix split off)
        if (
            doc[i].lower_ == "exon"
            and i + 2 < n
            and doc[i + 1].text.isdigit()
            and doc[i + 2].lower_ in _BM_EXON_KINDS
        ):
            return [i + 3]
    return []


Gate = tuple[str, Any]
"""A cheap necessary condition of one pattern token, tested per sentence: ('L', words) some
lower-case token is one of words; ('T', words) likewise on the text; ('NUM', None) some
token is number-like; ('RT'|'RL', regex) some token's text/lower-case matches."""


def _required(token: dict[str, Any]) -> bool:
    op = token.get("OP")
    if op in (None, "+", "!") or op == "1":
        return op != "!"
    repeat = _REPEAT.match(str(op))
    return repeat is not None and int(repeat.group(1)) >= 1


def _node_gate(token: dict[str, Any]) -> Gate | None:
    """The most selective cheap condition a token of a pattern imposes, if any."""
    regex: Gate | None = None
    for key in ("LOWER", "ORTH", "TEXT"):
        value = token.get(key)
        short = "L" if key == "LOWER" else "T"
        if isinstance(value, str):
            return (short, frozenset([value]))
        if isinstance(value, dict) and set(value) == {"IN"}:
            return (short, frozenset(value["IN"]))
        if isinstance(value, dict) and set(value) == {"REGEX"}:
            regex = ("R" + short, re.compile(value["REGEX"]))
    if token.get("LIKE_NUM") is True:
        return ("NUM", None)
    return regex


def pattern_gates(pattern: list[dict[str, Any]]) -> frozenset[Gate]:
    """Conditions every sentence holding a match of `pattern` meets."""
    return frozenset(g for t in pattern if _required(t) and (g := _node_gate(t)) is not None)


class RuleMatcher:
    """The span rules of one pattern family set, written to doc.spans[key].

    Patterns of fixed words go to a PhraseMatcher on LOWER (case-sensitive words are
    checked after the match). The rest stay token patterns, grouped by the cheap conditions
    they impose (pattern_gates), and a group runs only on sentences that meet them: spaCy's
    Matcher tries every pattern at every token, which is what made the mention layer slow.
    The spans come out as spaCy's SpanRuler orders them: longest first, then leftmost.
    """

    def __init__(self, nlp: Language, rows: Iterable[PatternRow], key: str) -> None:
        self.key = key
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.vocab = nlp.vocab
        self.groups: dict[frozenset[Gate], list[tuple[str, list[dict[str, Any]]]]] = {}
        self.combined: dict[tuple[int, ...], Matcher] = {}
        self.token_bits: dict[str, int] = {}
        """Token text -> the bits of the gates that token alone passes (its word gates on its
        text and lower case, the regex gates it matches, number-like): each text is
        searched once (bounded by MAX_TOKEN_KEYS), and a sentence's gates are an OR of
        look-ups (testing every gate against every word of every document was half the
        stage)."""
        self.chosen: dict[int, tuple[int, ...]] = {}
        """The gate bits a sentence passed -> the groups whose gates all hold."""
        self.checks: dict[int, tuple[str, tuple[tuple[int, str], ...]]] = {}
        phrase_docs: dict[str, list[Doc]] = {}
        for row in rows:
            if isinstance(row.pattern, str):
                seqs = [tuple(("LOWER", t.text) for t in nlp.make_doc(row.pattern))]
            else:
                found = expand_pattern(row.pattern)
                if found is None:
                    gates = pattern_gates(row.pattern)
                    self.groups.setdefault(gates, []).append((row.label, row.pattern))
                    continue
                seqs = found
            for seq in seqs:
                orth = tuple((i, w) for i, (attr, w) in enumerate(seq) if attr == "ORTH")
                name = f"{row.label}\x1f{orth!r}" if orth else row.label
                self.checks[nlp.vocab.strings.add(name)] = (row.label, orth)
                words = [w for _, w in seq]
                phrase_docs.setdefault(name, []).append(Doc(nlp.vocab, words=words))
        for name, docs in phrase_docs.items():
            self.phrases.add(name, docs)
        self.group_rows = list(self.groups.values())
        self._index_gates()
        check = Matcher(nlp.vocab, validate=True)  # fail at start-up on a malformed pattern
        for label, pattern in (row for rows in self.group_rows for row in rows):
            check.add(label, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found: set[tuple[int, int, int]] = self._token_matches(doc)
        biomarker = strings[BIOMARKER_LABEL]
        texts = token_texts(doc)
        for match_id, start, end in self.phrases(doc):
            label, orth = self.checks[match_id]
            if not all(texts[start + i] == w for i, w in orth):
                continue
            if label == BIOMARKER_NAME_LABEL:
                found.update((biomarker, start, e) for e in biomarker_ends(doc, end))
            else:
                found.add((strings[label], start, end))
        ordered = sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        doc.spans[self.key] = [Span(doc, s, e, label=m) for m, s, e in ordered if s != e]
        return doc

    def _index_gates(self) -> None:
        """One bit per gate: a group's mask is its gates' bits; a word's bits are the word
        gates that hold it (the regex gates it matches are added when it is first seen)."""
        bit: dict[Gate, int] = {}
        for gates in self.groups:
            for gate in sorted(gates, key=repr):
                bit.setdefault(gate, 1 << len(bit))
        self.group_masks = [sum(bit[g] for g in gates) for gates in self.groups]
        self.num_bits = sum(b for g, b in bit.items() if g[0] == "NUM")
        self.word_bits: dict[str, dict[str, int]] = {"L": {}, "T": {}}
        self.regex_bits: dict[str, list[tuple[re.Pattern[str], int]]] = {"L": [], "T": []}
        for gate, b in bit.items():
            kind, value = gate
            if kind in ("L", "T"):
                for word in value:
                    words = self.word_bits[kind]
                    words[word] = words.get(word, 0) | b
            elif kind in ("RL", "RT"):
                self.regex_bits[kind[1]].append((value, b))
        self.group_pairs = [_pattern_pairs([p for _, p in rows], bit) for rows in self.group_rows]

    def _token_matches(self, doc: Doc) -> set[tuple[int, int, int]]:
        bits = self._bits_of(token_texts(doc), token_set(doc))
        found: set[tuple[int, int, int]] = set()
        for sent in doc.sents:
            a, b = sent.start, sent.end
            passing = reduce(or_, bits[a:b], 0)
            chosen = self.chosen.get(passing)
            if chosen is None:
                if len(self.chosen) >= MAX_COMBINED:
                    self.chosen.clear()
                chosen = self.chosen[passing] = tuple(
                    k for k, mask in enumerate(self.group_masks) if not mask & ~passing
                )
            if chosen:
                chosen = self._side_by_side(chosen, bits[a:b])
            if chosen:
                matcher = self._combined(chosen)
                found.update((m, a + s, a + e) for m, s, e in matcher(doc[a:b]))
        return found

    def _side_by_side(self, chosen: tuple[int, ...], bits: list[int]) -> tuple[int, ...]:
        """The chosen groups one of whose patterns has, for each pair of its neighbouring
        single tokens, two neighbouring tokens of the sentence (`bits`) that pass their gates
        ('and' then a word in -ed): a sentence that holds both words apart cannot match."""
        held: dict[tuple[int, int], bool] = {}

        def holds(pair: tuple[int, int]) -> bool:
            known = held.get(pair)
            if known is None:
                x, y = pair
                known = held[pair] = any(u & x and v & y for u, v in itertools.pairwise(bits))
            return known

        return tuple(
            k
            for k in chosen
            if (pairs := self.group_pairs[k]) is None
            or any(all(holds(pair) for pair in one) for one in pairs)
        )

    def _bits_of(self, texts: list[str], distinct: frozenset[str] | None = None) -> list[int]:
        """The gate bits each token passes (regexes searched once per new text; `distinct`:
        the set of `texts`, when the caller has it)."""
        memo = self.token_bits
        if distinct is None:
            distinct = frozenset(texts)
        new = distinct.difference(memo)
        if len(memo) + len(new) > MAX_TOKEN_KEYS:
            memo.clear()
            new = distinct
        lower_words, text_words = self.word_bits["L"], self.word_bits["T"]
        lower_regexes, text_regexes = self.regex_bits["L"], self.regex_bits["T"]
        for text in new:
            lower = text.lower()
            bits = lower_words.get(lower, 0) | text_words.get(text, 0)
            if self.num_bits and self.vocab[text].like_num:
                bits |= self.num_bits
            for regex, b in lower_regexes:
                if regex.search(lower) is not None:
                    bits |= b
            for regex, b in text_regexes:
                if regex.search(text) is not None:
                    bits |= b
            memo[text] = bits
        return list(map(memo.__getitem__, texts))

    def _combined(self, chosen: tuple[int, ...]) -> Matcher:
        """One Matcher holding the groups a sentence passed (one pass over its tokens, and
        predicates shared between groups evaluated once), kept for the next sentence."""
        matcher = self.combined.get(chosen)
        if matcher is None:
            if len(self.combined) >= MAX_COMBINED:
                self.combined.clear()
            matcher = Matcher(self.vocab)
            for k in chosen:
                for label, pattern in self.group_rows[k]:
                    matcher.add(label, [pattern])
            self.combined[chosen] = matcher
        return matcher


def _pattern_pairs(
    patterns: list[list[dict[str, Any]]], bit: dict[Gate, int]
) -> list[tuple[tuple[int, int], ...]] | None:
    """Per pattern, the gate bits of each pair of neighbouring tokens that both match exactly
    once (no "OP") and both have a gate: a match puts two such tokens side by side. None when
    a pattern has no such pair (its group is run on the gates alone)."""
    out: list[tuple[tuple[int, int], ...]] = []
    for pattern in patterns:
        pairs = []
        for left, right in itertools.pairwise(pattern):
            if "OP" in left or "OP" in right:
                continue
            a, b = _node_gate(left), _node_gate(right)
            if a is not None and b is not None:
                pairs.append((bit[a], bit[b]))
        if not pairs:
            return None
        out.append(tuple(pairs))
    return out


OPEN_BRACKETS = frozenset("([")
CLOSE_BRACKETS = frozenset(")]")
BRACKETS = OPEN_BRACKETS | CLOSE_BRACKETS
MAX_BRACKET_TOKENS = 60
"""Longest bracketed aside that keeps its sentence whole ('(135 mg per square meter;
Nanjing Pharmaceutical Co., Ltd., Jiangsu, China.)'); an unclosed bracket in a longer
stretch is a layout accident, and the sentencizer's cuts stand."""


def join_bracketed_sentences(doc: Doc) -> Doc:
    """Undo sentence cuts inside a bracketed aside, and right after one when the text goes on
    in lower case: a period inside brackets ('Co., Ltd., China.)') ends the aside, not the
    sentence ('..., China.), tegafur on day 2 plus cisplatin ...')."""
    texts = token_texts(doc)
    marks = [i for i, text in enumerate(texts) if text in BRACKETS]
    if not marks:
        return doc
    starts = doc.to_array(SENT_START).tolist()

    def join(j: int) -> None:
        if starts[j] == 1:  # only a cut is undone: setting False on the others changes nothing
            doc[j].is_sent_start = False
            starts[j] = -1

    depth_open: list[int] = []
    for i in marks:
        if texts[i] in OPEN_BRACKETS:
            depth_open.append(i)
        elif depth_open:
            start = depth_open.pop()
            if i - start <= MAX_BRACKET_TOKENS:
                for inner in range(start + 1, i + 1):
                    join(inner)
                nxt = i + 1
                while nxt < len(texts) and doc[nxt].is_punct and texts[nxt] not in ".!?":
                    join(nxt)
                    nxt += 1
                if nxt < len(texts) and texts[nxt][:1].islower():
                    join(nxt)
    return doc


@Language.component("caselines_bracket_sentences")
def _bracket_sentences(doc: Doc) -> Doc:
    return join_bracketed_sentences(doc)


@Language.factory("caselines_rules", default_config={"families": [], "key": MENTION_KEY})
def make_rule_matcher(nlp: Language, name: str, families: list[str], key: str) -> RuleMatcher:
    rows = [row for fam in families for row in load_patterns(fam)]
    if CONTEXT_FAMILY in families:
        context.check_labels(rows)
    return RuleMatcher(nlp, rows, key)


def build_nlp() -> Language:
    """A fresh pipeline (tests may build one; the pipeline itself uses get_nlp())."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("caselines_bracket_sentences")
    nlp.add_pipe("caselines_drugs")
    nlp.add_pipe(
        "caselines_rules",
        name="mention_rules",
        config={"families": list(MENTION_FAMILIES), "key": MENTION_KEY},
    )
    nlp.add_pipe(
        "caselines_rules",
        name="context_rules",
        config={"families": [CONTEXT_FAMILY], "key": CONTEXT_KEY},
    )
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline, built on first use."""
    return build_nlp()
