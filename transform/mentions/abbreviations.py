"""Abbreviations an article defines for drugs and regimens, over a shipped regimen table.

Case reports define their own shorthand, often in figure legends ('TH, taxol, herceptin;
GP, gemcitabine, DDP; DDP, cisplatin') and in running text ('cisplatin (DDP)'). Those
definitions win over the standard regimen table (NCCN names), because the same letters
mean different drugs in different countries (THP is pirarubicin in Chinese practice).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources

from extract.records import Block, Document
from transform.mentions.lexicon import get_lexicon
from transform.records import Abbreviation, Provenance

REGIMEN_FILE = "regimens.tsv"
CLINICAL_FILE = "clinical_abbreviations.tsv"
CONTEXT_ANY = "any"
CONTEXT_GIVEN = "given"
REGIMEN_CUE = "regimen"
LEGEND_KINDS = ("caption", "body")
MAX_SHORT_LENGTH = 10
MAX_EXPANSION_ITEMS = 6
MAX_ITEM_WORDS = 4
LONG_FORM_WINDOW_WORDS = 10

_SHORT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,9}$")
_ITEM_SPLIT = re.compile(r"\s*(?:,|\+|/|\band\b|\bplus\b|\bwith\b|\bcombined with\b)\s*", re.I)
_PAREN_SHORT = re.compile(
    r"\(\s*([A-Za-z0-9][A-Za-z0-9\-]{0,9})(?:\s+(?:regimen|protocol|chemotherapy|scheme))?\s*\)"
)
"""'cisplatin (DDP)'; a regimen may name itself as one ('X, Y and Z (XYZ regimen)')."""
_PAREN_GROUP = re.compile(r"\s*\([^()]*\)\s*$")
_QUOTES = "\"'“”‘’"


def is_abbreviation_like(text: str) -> bool:
    """'TH', 'GP', 'UTD1', 'mFOLFOX6', 'T' look like abbreviations; 'Moreover' does not."""
    if not _SHORT.match(text):
        return False
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    return upper >= 1 and upper >= lower


@lru_cache(maxsize=1)
def builtin_regimens() -> tuple[Abbreviation, ...]:
    """The shipped table of standard regimens (transform/mentions/lexicon/regimens.tsv)."""
    return tuple(
        Abbreviation(row["short"], tuple(d.strip() for d in row["drugs"].split("+")),
                     row["drugs"], "builtin")
        for row in _data_rows(REGIMEN_FILE)
    )  # fmt: skip


@lru_cache(maxsize=1)
def regimens_needing_cue() -> frozenset[str]:
    """Regimen names that are also words or other abbreviations (cue 'regimen' in
    regimens.tsv: MAP, ICE, EP): regimen mentions only beside a regimen cue word."""
    return frozenset(r["short"] for r in _data_rows(REGIMEN_FILE) if r["cue"] == REGIMEN_CUE)


def _data_rows(name: str) -> list[dict[str, str]]:
    raw = resources.files("transform.mentions.lexicon").joinpath(name).read_text("utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


def _case_variants(short: str) -> tuple[str, ...]:
    """'carbo' is printed 'carbo', 'Carbo' or 'CARBO'; capitals and mixed case as written."""
    if short.islower():
        return (short, short.capitalize(), short.upper())
    return (short,)


@lru_cache(maxsize=1)
def clinical_abbreviations() -> tuple[tuple[Abbreviation, ...], frozenset[str]]:
    """The shipped table of common clinical drug abbreviations (clinical_abbreviations.tsv)
    and the printed forms of those that count only when given (context 'given')."""
    out: list[Abbreviation] = []
    given: set[str] = set()
    for row in _data_rows(CLINICAL_FILE):
        if row["context"] not in (CONTEXT_ANY, CONTEXT_GIVEN) or not row["source"].strip():
            raise ValueError(f"{CLINICAL_FILE}: bad row {row}")
        drugs = tuple(d.strip() for d in row["drugs"].split("+"))
        for short in _case_variants(row["short"]):
            out.append(Abbreviation(short, drugs, row["drugs"], "builtin"))
            if row["context"] == CONTEXT_GIVEN:
                given.add(short)
    return tuple(out), frozenset(given)


def _resolve_item(
    item: str, defined: Mapping[str, list[str]], seen: frozenset[str]
) -> tuple[str, ...]:
    """Canonical drugs an expansion item names: the article's own definition first, then the
    lexicon, then the regimen table; nesting ('GP, gemcitabine, DDP') resolves recursively."""
    item = item.strip(_QUOTES + " .;:")
    if not item or len(item.split()) > MAX_ITEM_WORDS:
        return ()
    if item in defined and item not in seen:
        drugs: list[str] = []
        for sub in defined[item]:
            drugs.extend(_resolve_item(sub, defined, seen | {item}))
        if drugs:
            return tuple(dict.fromkeys(drugs))
    found = get_lexicon().lookup(item)
    if found is not None:
        return (found.drug,)
    for reg in builtin_regimens():
        if reg.short == item:
            return reg.drugs
    return ()


def _legend_definitions(text: str) -> dict[str, tuple[str, list[str]]]:
    """'SHORT, item, item; SHORT, item' pieces of a legend -> short -> (expansion, items)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for piece in text.split(";"):
        piece = piece.strip()
        piece = re.split(r"(?<=[a-z0-9)\]])\.\s+", piece)[-1]  # text after the last sentence end
        head, sep, rest = piece.partition(",")
        short = head.strip().strip(_QUOTES)
        if not sep or not is_abbreviation_like(short):
            continue
        items = [i for i in (s.strip() for s in rest.split(",")) if i]
        if 0 < len(items) <= MAX_EXPANSION_ITEMS:
            out[short] = (rest.strip().rstrip("."), items)
    return out


def _long_form_definitions(text: str) -> dict[str, tuple[str, list[str]]]:
    """'cisplatin (DDP)', 'gemcitabine and cisplatin (DDP) (GP)' -> short -> (expansion, items).

    Several drugs before the parenthesis make a regimen only when there are as many as the
    abbreviation has capitals (GP: gemcitabine, cisplatin); otherwise the single drug
    right before it is the long form (DDP: cisplatin).
    """
    out: dict[str, tuple[str, list[str]]] = {}
    for match in _PAREN_SHORT.finditer(text):
        short = match.group(1)
        if not is_abbreviation_like(short):
            continue
        before = text[: match.start()]
        while _PAREN_GROUP.search(before):
            before = _PAREN_GROUP.sub("", before)
        before = re.split(r"[\[\]" + _QUOTES + r";:.(]", before)[-1]
        words = before.split()[-LONG_FORM_WINDOW_WORDS:]
        items = [i for i in _ITEM_SPLIT.split(" ".join(words)) if i.strip()]
        drug_items: list[str] = []
        for item in reversed(items):
            tail = _drug_tail(item)
            if tail is None:
                break
            drug_items.insert(0, tail)
            if tail != item.strip():
                break
        if not drug_items:
            continue
        capitals = sum(c.isupper() for c in short)
        if len(drug_items) >= 2 and len(drug_items) == capitals:
            out[short] = (" + ".join(drug_items), drug_items)
        else:
            out[short] = (drug_items[-1], [drug_items[-1]])
    return out


_SHORT_FIRST = re.compile(
    r"(?<![\w\-/])([A-Za-z0-9][A-Za-z0-9\-/]{1,9})\s*\(\s*([^()]{3,80}?)\s*\)"
)


def _short_first_definitions(text: str) -> dict[str, tuple[str, list[str]]]:
    """'L-AMB (liposomal amphotericin B)', 'GP (gemcitabine and cisplatin)': the short form
    first, its drug or drugs in the parenthesis (every item a lexicon drug)."""
    out: dict[str, tuple[str, list[str]]] = {}
    if "(" not in text:
        return out  # the pattern needs a parenthesis: no search of every character
    for match in _SHORT_FIRST.finditer(text):
        short, inner = match.group(1), match.group(2)
        if not is_abbreviation_like(short.replace("/", "")) or get_lexicon().lookup(short):
            continue
        items = [i.strip(_QUOTES + " .;:") for i in _ITEM_SPLIT.split(inner) if i.strip()]
        if items and len(items) <= MAX_EXPANSION_ITEMS:
            drugs = [i for i in items if get_lexicon().lookup(i) is not None]
            if len(drugs) == len(items):
                out[short] = (inner, items)
    return out


def _drug_tail(item: str) -> str | None:
    """The longest run of final words of `item` that the lexicon knows as a drug."""
    words = item.strip().split()
    for k in range(min(len(words), MAX_ITEM_WORDS), 0, -1):
        cand = " ".join(words[-k:]).strip(_QUOTES)
        if get_lexicon().lookup(cand) is not None:
            return cand
    return None


def _blocks(doc: Document) -> Iterable[Block]:
    return (b for b in doc.blocks if b.kind in LEGEND_KINDS)


def _initials_match(short: str, words: Sequence[str]) -> bool:
    """'CBP' and 'continuous blood purification': one word per letter, each word starting
    with its letter (a hyphenated word gives one letter per part)."""
    letters = [c.lower() for c in short if c.isalpha()]
    parts = [p for w in words for p in w.split("-") if p]
    return len(letters) >= 2 and [p[0].lower() for p in parts] == letters


def non_drug_definitions(doc: Document) -> frozenset[str]:
    """Short forms the article defines for something that is not a drug: 'continuous blood
    purification (CBP)' makes CBP no carboplatin in this article, whatever the lexicon says
    (the article's own definitions win, as for drugs). The long form is the words right
    before the bracket whose initials spell the short form, none of them a drug."""
    out: set[str] = set()
    for block in _blocks(doc):
        for match in _PAREN_SHORT.finditer(block.text):
            short = match.group(1)
            if not is_abbreviation_like(short) or not short.isalpha():
                continue
            words = re.findall(r"[A-Za-z][\w-]*", block.text[: match.start()])
            long = words[-len(short) :] if len(words) >= len(short) else []
            if not _initials_match(short, long) and len(long) > 1:
                long = words[-(len(short) - 1) :]  # a hyphenated word spells two letters
            if not long or not _initials_match(short, long):
                continue
            if not _names_a_drug(long):
                out.add(short)
    return frozenset(out)


def _names_a_drug(words: Sequence[str]) -> bool:
    """Any run of the words (hyphens also read as spaces) is a lexicon drug: 'all-trans
    retinoic acid' holds 'retinoic acid' (tretinoin), so ATRA stays a drug."""
    lexicon = get_lexicon()
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            run = " ".join(words[i:j])
            if lexicon.lookup(run) is not None or lexicon.lookup(run.replace("-", " ")):
                return True
    return False


def learn(doc: Document) -> tuple[Abbreviation, ...]:
    """Drug abbreviations the article defines, in the order first defined.

    Only definitions that resolve to at least one drug are kept ('PR, partial response' is
    not a drug abbreviation). The builtin regimen table is not repeated here; see
    `builtin_regimens()`.
    """
    raw: dict[str, tuple[str, list[str], Block]] = {}
    for block in _blocks(doc):
        found = _legend_definitions(block.text) if block.kind == "caption" else {}
        found.update(_short_first_definitions(block.text))
        found.update({k: v for k, v in _long_form_definitions(block.text).items()})
        for short, (expansion, items) in found.items():
            raw.setdefault(short, (expansion, items, block))
    defined = {short: items for short, (_, items, _) in raw.items()}
    out = []
    for short, (expansion, _, block) in raw.items():
        drugs = _resolve_item(short, defined, frozenset())
        if drugs:
            prov = Provenance(page=block.page, sentence=block.text[:500])
            out.append(Abbreviation(short, drugs, expansion, "article", prov))
    return tuple(out)


def abbreviation_table(
    article: Sequence[Abbreviation] | None,
) -> dict[str, Abbreviation]:
    """short -> Abbreviation: the article's definitions over the builtin regimens and the
    clinical abbreviations."""
    table = {a.short: a for a in clinical_abbreviations()[0]}
    table.update({a.short: a for a in builtin_regimens()})
    table.update({a.short: a for a in article or ()})
    return table
