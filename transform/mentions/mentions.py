"""Document -> Mentions: what the patterns found, normalised, with provenance and context.

The spaCy pipeline (transform.mentions.nlp) marks spans; this module turns the spans of each
sentence into Mention records: drugs and regimens (the article's abbreviations over the
builtin table), doses attached to their drug, dates (ranges and relative expressions
anchored to the previous absolute date of the same case), responses with their imaging
modality, PFS figures, adverse events with CTCAE grade, biomarkers, lesion sizes with
figure and panel, and the negation/uncertainty flags of transform.mentions.context.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.records import Block, Document
from transform.mentions import context
from transform.mentions.abbreviations import (
    abbreviation_table,
    clinical_abbreviations,
    learn,
    non_drug_definitions,
    regimens_needing_cue,
)
from transform.mentions.dates import (
    MONTHS_IN_YEAR,
    NUMERIC_DATE,
    DateParseError,
    NumericReading,
    numeric_reading,
    parse_date,
    parse_month_day,
    parse_number,
    resolve_relative,
)
from transform.mentions.lexicon import get_lexicon
from transform.mentions.lexicon.loader import ADMINISTRATION_WINDOW, ADMINISTRATION_WORDS
from transform.mentions.nlp import (
    ABBREVIATION_HEAD_CHARS,
    CONTEXT_KEY,
    DRUG_KEY,
    MENTION_KEY,
    get_nlp,
    token_heads,
    token_lowers,
)
from transform.mentions.values import (
    RESPONSE_LABELS,
    dose_range_max,
    normalize_event,
    normalize_modality,
    normalize_procedure,
    normalize_schedule,
    parse_age_sex,
    parse_biomarker,
    parse_dimensions,
    parse_dose,
    parse_grade,
    parse_months,
    recover_micro,
)
from transform.records import (
    Abbreviation,
    AdverseEventValue,
    BiomarkerValue,
    DateValue,
    DoseValue,
    DrugValue,
    DurationValue,
    LesionValue,
    Mention,
    MentionValue,
    PfsValue,
    Provenance,
    RegimenValue,
    ResponseValue,
    TextValue,
)
from transform.types import MentionKind, is_fractions, is_radiation_unit

MENTION_BLOCK_KINDS = ("body", "heading", "caption")
AUX_LABELS = frozenset(
    {"SCHEDULE", "ROUTE", "AE_GRADE", "MODALITY", "METHOD", "SITE", "FIGURE", "PANEL", "BEST",
     "EVALUATION", "SIZE_NEXT"}
)  # fmt: skip
"""Labels that only qualify a main mention (a dose's schedule, a response's modality)."""
MAX_SCHEDULE_GAP = 3
"""Tokens allowed between a dose and its schedule/route ('1.8 g d1, 8', '56.9 mg, iv, d1-15')."""
MAX_ATTACH_TOKENS = 14
"""How far left of a dose its drug may be ('gemcitabine needle (1.8 g d1, 8 ...')."""
MAX_SITE_TOKENS = 8
REGIMEN_CUES = frozenset(
    [
        "regimen",
        "regimens",
        "chemotherapy",
        "cycles",
        "cycle",
        "courses",
        "course",
        "protocol",
        "therapy",
        "scheme",
    ]
)
MAX_ABBREVIATION_TOKENS = 5
"""Tokens of the longest table abbreviation ('R-hyper-CVAD': R - hyper - CVAD)."""
_RIGHT_ATTACH_SKIP = frozenset({"of", "the", "a", "an"})
_NOT_UNIT_WORDS = frozenset(
    {"and", "or", "nor", "to", "in", "on", "at", "by", "as", "for", "was", "is"}
)
"""Short words that end a dose's amount and unit ('2 mg/kg and pertuzumab')."""
_SCHEDULE_GAP_WORDS = frozenset({"in", "on", "by", "for", "as", "a", "an", "via"})
"""Words allowed between a dose and its schedule ('2400 mg/m2 as a 46-hour infusion')."""
_METHODS = {"immunohistochemistry": "IHC", "immunohistochemical": "IHC", "ihc": "IHC",
            "fish": "FISH", "fluorescence in situ hybridization": "FISH", "ish": "ISH",
            "ngs": "NGS", "next-generation sequencing": "NGS", "next generation sequencing": "NGS",
            "pcr": "PCR", "cish": "CISH", "sish": "SISH"}  # fmt: skip
_FIGURE = re.compile(r"^\s*(?:Figure|Fig\.?)\s*(\d+[A-Za-z]?)", re.I)
_PANEL = re.compile(r"\(\s*([A-L](?:\s*[-–,]\s*[A-L])?)\s*\)")
_TRIAL_PAREN = re.compile(r"\(\s*(.+?)\s*\)")
_DURATION = re.compile(r"(\d+(?:\.\d+)?|[a-z]+)\s+(day|week|month|year)s?", re.I)
_ODD_SPACES = str.maketrans(
    dict.fromkeys([0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " ")
)
"""No-break, thin, hair and other typeset spaces ('40\u2005mg'): the tokenizer splits only
on ' ', so they become plain spaces (one character for one, offsets unchanged)."""


def plain_spaces(text: str) -> str:
    """`text` with typeset spaces as ' ', the same length (see _ODD_SPACES)."""
    return text.translate(_ODD_SPACES)


class MentionError(ValueError):
    """extract_mentions was given something that is not a Document."""


@dataclass(frozen=True)
class _Item:
    """A mention under construction: token offsets in the block's Doc."""

    kind: MentionKind
    start: int
    end: int
    value: MentionValue


@dataclass
class _CaseState:
    """The last absolute date of each case, the anchor of relative expressions."""

    anchors: dict[int | None, DateValue]
    reading: NumericReading | None = None
    """How this document's all-numeric dates read (dates.numeric_reading)."""
    not_drugs: frozenset[str] = frozenset()
    """Short forms the article defines for something else (abbreviations.non_drug_definitions)."""


def extract_mentions(
    doc: Document, abbreviations: Sequence[Abbreviation] | None = None
) -> tuple[Mention, ...]:
    """Every mention in the body, headings and captions of `doc`, in reading order.

    `abbreviations` defaults to what `transform.mentions.abbreviations.learn(doc)` finds.
    """
    if not isinstance(doc, Document):
        raise MentionError(f"expected extract.records.Document, got {type(doc).__name__}")
    article = learn(doc) if abbreviations is None else tuple(abbreviations)
    table = abbreviation_table(article)
    blocks = [b for b in doc.blocks if b.kind in MENTION_BLOCK_KINDS and b.text.strip()]
    nlp = get_nlp()
    state = _CaseState({}, numeric_reading(b.text for b in blocks), non_drug_definitions(doc))
    out: list[Mention] = []
    order = 0
    prefixes = {re.split(r"[\s\-/]", short)[0][:ABBREVIATION_HEAD_CHARS] for short in table}
    for block, sdoc in zip(blocks, nlp.pipe(plain_spaces(b.text) for b in blocks), strict=True):
        sents = list(sdoc.sents)
        starts = [sent.start for sent in sents]
        groups = {
            key: _by_sentence(sdoc, key, starts) for key in (MENTION_KEY, CONTEXT_KEY, DRUG_KEY)
        }
        for sent in sents:
            found = {key: g.get(sent.start, []) for key, g in groups.items()}
            out.extend(_sentence_mentions(block, sdoc, sent, found, table, prefixes, state, order))
            order += 1
    return tuple(out)


# --- one sentence ----------------------------------------------------------------------


def _by_sentence(sdoc: Doc, key: str, starts: list[int]) -> dict[int, list[Span]]:
    """Spans of doc.spans[key] grouped by the start token of their sentence (one pass;
    `starts` are the sentence starts in order, cheaper than asking each span.sent)."""
    out: dict[int, list[Span]] = {}
    for span in sdoc.spans[key]:
        out.setdefault(starts[bisect_right(starts, span.start) - 1], []).append(span)
    return out


def _sentence_mentions(
    block: Block,
    sdoc: Doc,
    sent: Span,
    found: dict[str, list[Span]],
    table: dict[str, Abbreviation],
    prefixes: set[str],
    state: _CaseState,
    order: int,
) -> list[Mention]:
    spans = found[MENTION_KEY]
    drugs = [
        d
        for d in _drug_items(sdoc, sent, found[DRUG_KEY], table, prefixes)
        if sdoc[d.start : d.end].text not in state.not_drugs
    ]
    if not spans and not drugs:
        return []  # every mention comes of a span or a drug item (most sentences have none)
    aux = sorted((s for s in spans if s.label_ in AUX_LABELS), key=lambda s: s.start)
    schedules = filter_spans([s for s in aux if s.label_ in ("SCHEDULE", "ROUTE")])
    aux = sorted(
        [s for s in aux if s.label_ not in ("SCHEDULE", "ROUTE")] + schedules, key=lambda s: s.start
    )
    classes = [d for d in drugs if d.kind == "drug_class"]
    drugs = [d for d in drugs if d.kind != "drug_class"]
    drugs = _given_analytes(sdoc, sent, drugs, [s for s in spans if s.label_ == "DOSE"])
    drugs = _tested_not_given(sdoc, sent, drugs)
    drug_tokens = {i for d in drugs for i in range(d.start, d.end)}
    candidates = [
        s
        for s in spans
        if s.label_ not in AUX_LABELS
        and not (s.label_ == "BIOMARKER" and parse_biomarker(s.text)[1] is None)
    ]
    dated = {i for s in candidates if s.label_ == "DATE" for i in range(s.start, s.end)}
    candidates = [  # 'In November' gives way to 'November 2013'
        s for s in candidates if s.label_ != "MONTH_DATE" or not dated & set(range(s.start, s.end))
    ]
    main = [
        s
        for s in filter_spans(candidates)
        if s.label_ == "DOSE" or not drug_tokens & set(range(s.start, s.end))
    ]
    main.sort(key=lambda s: s.start)
    items: list[_Item] = list(drugs) + classes
    items.extend(_modality_items(aux))
    doses = [s for s in main if s.label_ == "DOSE"]
    items.extend(_dose_items(sdoc, doses, aux, drugs))
    items.extend(_date_items(sdoc, [s for s in main if s.label_ in DATE_LABELS], block, state))
    for span in main:
        item = _other_item(sdoc, span, aux, block)
        if item is not None:
            items.append(item)
    items.extend(_listed_sizes(sdoc, items, aux))
    items = _without_symptom_progression(sdoc, items)
    triggers = [
        context.Trigger(s.label_, s.start - sent.start, s.end - sent.start)
        for s in found[CONTEXT_KEY]
    ]
    items.sort(key=lambda i: (i.start, i.end))
    live = context.live_triggers(triggers)
    found_flags = [
        context.flags(item.start - sent.start, item.end - sent.start, triggers, live)
        for item in items
    ]
    negated = _spread_over_lists(sdoc, items, [neg for neg, _ in found_flags])
    mentions = []
    sentence = sent.text if items else ""  # made once: each reading joins its tokens again
    for item, neg, (_, unc) in zip(items, negated, found_flags, strict=True):
        span = sdoc[item.start : item.end]
        prov = Provenance(
            page=block.page_at(span.start_char),
            sentence=sentence,
            char_start=span.start_char - sent.start_char,
            char_end=span.end_char - sent.start_char,
            order=order,
        )
        mentions.append(
            Mention(item.kind, span.text, item.value, prov, block.case_id, block.section, neg, unc)
        )
    return mentions


LIST_KINDS: frozenset[MentionKind] = frozenset({"adverse_event"})
"""Kinds whose coordinated lists share one negation ('Neutropenia, rash, diarrhoea and
fatigue were not observed': the post-trigger's window reaches only the last ones)."""
LIST_GAP_WORDS = frozenset({",", "and", "or", "nor", "/", "as", "well"})


MAX_LIST_MEMBER_TOKENS = 3
"""Words of a list member between two commas that no pattern knows ('renal dysfunction')."""


def _list_gap(gap: Span) -> bool:
    """Only list joiners, or unknown members of the same list: ', X Y ,' between commas."""
    words = [t.lower_ for t in gap]
    if all(w in LIST_GAP_WORDS for w in words):
        return True
    if not words or words[0] != "," or words[-1] not in LIST_GAP_WORDS:
        return False
    members = " ".join(words).split(",")
    return all(
        len(member.split()) <= MAX_LIST_MEMBER_TOKENS
        and all(
            w.replace("-", "").isalpha() and w not in ("was", "were", "had", "which")
            for w in member.split()
        )
        for member in members
    )


def _spread_over_lists(sdoc: Doc, items: Sequence[_Item], negated: Sequence[bool]) -> list[bool]:
    """ConText scopes a trigger to its sentence; a list of events joined only by commas and
    'and'/'or' is one phrase, so a negation of one member is the negation of each (items in
    sentence order)."""
    out = list(negated)
    listed = [k for k, item in enumerate(items) if item.kind in LIST_KINDS]
    groups: list[list[int]] = []
    for k in listed:
        if groups:
            prev = items[groups[-1][-1]]
            if prev.end <= items[k].start and _list_gap(sdoc[prev.end : items[k].start]):
                groups[-1].append(k)
                continue
        groups.append([k])
    for group in groups:
        if any(out[k] for k in group):
            for k in group:
                out[k] = True
    return out


# --- drugs and regimens ----------------------------------------------------------------


def _drug_items(
    sdoc: Doc,
    sent: Span,
    drug_spans: list[Span],
    table: dict[str, Abbreviation],
    prefixes: set[str],
) -> list[_Item]:
    """Lexicon drugs, overridden by abbreviations (the article's, then the builtin regimens)."""
    lexicon = get_lexicon()
    given_only = clinical_abbreviations()[1]
    needs_cue = regimens_needing_cue()
    unsaid: set[int] = set()
    abbr: list[_Item] = []
    heads = token_heads(sdoc)
    i = sent.start
    for at in (
        []
        if prefixes.isdisjoint(heads[sent.start : sent.end])
        else [k for k in range(sent.start, sent.end) if heads[k] in prefixes]
    ):
        if at < i:
            continue  # inside the abbreviation found before
        i = at
        matched = False
        for n in range(MAX_ABBREVIATION_TOKENS, 0, -1):
            if i + n > sent.end:
                continue
            span = sdoc[i : i + n]
            entry = table.get(span.text)
            if entry is None or not _standalone(sdoc, i, i + n):
                continue
            if entry.source == "builtin" and entry.short in needs_cue:
                window = sdoc[max(sent.start, i - 3) : min(sent.end, i + n + 3)]
                if not any(t.lower_ in REGIMEN_CUES for t in window):
                    continue
            if (
                entry.source == "builtin"
                and entry.short in given_only
                and not _given_near(sdoc, sent, i, i + n)
            ):
                unsaid.update(range(i, i + n))  # nor as the lexicon's name ('S1' heart sound)
                continue
            abbr.append(_abbreviation_item(entry, i, i + n, lexicon.lookup))
            i += n
            matched = True
            break
        if not matched:
            i += 1
    taken = {t for a in abbr for t in range(a.start, a.end)} | unsaid
    abbr.extend(_unknown_regimens(sdoc, sent, taken | _drug_tokens(drug_spans)))
    taken |= {t for a in abbr for t in range(a.start, a.end)}
    items = list(abbr)
    for span in drug_spans:
        if taken & set(range(span.start, span.end)):
            continue
        drug_class = lexicon.drug_class_of(span.text) or lexicon.drug_class_of(span.kb_id_)
        if drug_class is not None:
            items.append(_Item("drug_class", span.start, span.end, TextValue(drug_class)))
            continue
        value = lexicon.lookup(span.text)
        if value is None and span.kb_id_:  # a misprint, matched one edit away
            value = lexicon.lookup(span.kb_id_)
        if value is not None:
            items.append(_Item("drug", span.start, span.end, value))
    return items


UNKNOWN_REGIMEN_CUES = frozenset(["regimen", "regimens", "chemotherapy", "protocol"])
"""A word that, printed right after an unknown capitals token, makes it a regimen name."""
_REGIMEN_PIECE = re.compile(r"^(?:[A-Z][A-Za-z0-9]*|\d+|-)$")
_REGIMEN_NAME = re.compile(r"^[A-Z0-9](?:[A-Za-z0-9]*-)*[A-Za-z0-9]*[A-Z][A-Za-z0-9]*$")
MIN_REGIMEN_CAPITALS = 3
"""'IV chemotherapy', 'IP chemotherapy' are routes; a regimen name has three capitals or more."""
LOCOREGIONAL_PROCEDURES = frozenset(["HIPEC", "PIPAC", "TACE", "HAIC", "TAE", "DEB-TACE"])
"""Capitals before 'chemotherapy' that name how it was delivered, not a regimen."""


def _drug_tokens(spans: Iterable[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def _unknown_regimens(sdoc: Doc, sent: Span, taken: set[int]) -> list[_Item]:
    """'the COPADM regimen', 'R-GemOx chemotherapy': a capitals name no table knows, printed
    right before a regimen cue word, is a regimen mention with no known drugs (the events
    layer makes exposures only of known drugs)."""
    out: list[_Item] = []
    lowers = token_lowers(sdoc)
    if UNKNOWN_REGIMEN_CUES.isdisjoint(lowers[sent.start : sent.end]):
        return out
    for cue in (k for k in range(sent.start, sent.end) if lowers[k] in UNKNOWN_REGIMEN_CUES):
        end = start = cue
        while (
            start - 1 >= sent.start
            and start - 1 not in taken
            and _REGIMEN_PIECE.match(sdoc[start - 1].text)
            and (start == end or not sdoc[start - 1].whitespace_)
        ):
            start -= 1
        while start < end and sdoc[start].text == "-":
            start += 1
        name = sdoc[start:end].text
        capitals = sum(c.isupper() for c in name)
        if (
            start < end
            and capitals >= MIN_REGIMEN_CAPITALS
            and _REGIMEN_NAME.match(name)
            and not name[-1].isdigit()  # a gene or marker: 'HER2', 'BRCA1'
            and name not in LOCOREGIONAL_PROCEDURES
        ):
            out.append(_Item("regimen", start, end, RegimenValue(name, (), "unknown")))
    return out


def _given_near(sdoc: Doc, sent: Span, start: int, end: int) -> bool:
    """An administration word, a regimen cue or a number-led dose within
    ADMINISTRATION_WINDOW tokens: 'EMB 15 mg/kg', 'received GH', 'dox therapy'."""
    lo = max(sent.start, start - ADMINISTRATION_WINDOW)
    hi = min(sent.end, end + ADMINISTRATION_WINDOW)
    words = {t.lower_ for t in sdoc[lo:hi]}
    if not words.isdisjoint(ADMINISTRATION_WORDS) or not words.isdisjoint(REGIMEN_CUES):
        return True
    return any(
        t.like_num and k + 1 < hi and sdoc[k + 1].lower_ in DOSE_UNITS
        for k, t in enumerate(sdoc[lo:hi], start=lo)
    )


DOSE_UNITS = frozenset(["mg", "g", "mcg", "µg", "μg", "ug", "iu", "units", "ml", "mg/kg"])
"""Units that make a number next to an abbreviation its dose."""
ANALYTE_DOSE_GAP = 3
"""Tokens allowed between an analyte's name and its dose ('albumin (20 g)', '20 g of albumin')."""
_CONCENTRATION_UNITS = frozenset(["l", "dl", "ml", "ul", "µl", "μl", "liter", "litre", "kg"])


SUSCEPTIBILITY_CUES = frozenset(["susceptible", "resistant", "sensitive", "susceptibility"])
"""With ORGANISM_CUES, the words of an antimicrobial susceptibility report ('isolates
resistant to oxacillin and susceptible to vancomycin'): the drugs were tested on the
organism, not given (CLSI M100 reports susceptibility per agent)."""
ORGANISM_CUES = frozenset(["isolate", "isolates", "strain", "strains", "organism", "mic"])


def _tested_not_given(sdoc: Doc, sent: Span, drugs: list[_Item]) -> list[_Item]:
    """Drop the drugs of a susceptibility report: a sentence that names an isolate or strain
    and says susceptible/resistant, with no administration word in it."""
    words = set(token_lowers(sdoc)[sent.start : sent.end])
    if (
        words.isdisjoint(SUSCEPTIBILITY_CUES)
        or words.isdisjoint(ORGANISM_CUES)
        or not words.isdisjoint(ADMINISTRATION_WORDS)
    ):
        return drugs
    return [d for d in drugs if not isinstance(d.value, DrugValue)]


BRAND_PREFIX_LETTERS = 4
"""A one-word capitalised printed name that does not share this many first letters
with the analyte's canonical name is a brand ('Levophed' for norepinephrine): never an
assay."""


def _measured_name(text: str, drug: str) -> bool:
    key = text.lower()
    brand = text.istitle() and len(key.split()) == 1
    return not brand or key[:BRAND_PREFIX_LETTERS] == drug[:BRAND_PREFIX_LETTERS]


def _given_analytes(sdoc: Doc, sent: Span, drugs: list[_Item], doses: list[Span]) -> list[_Item]:
    """Drop the lab analytes that are also medicines (nondrugs.tsv, rule 'administered':
    procalcitonin, serum albumin, ferritin, prothrombin) unless the sentence gives them: a
    dose printed next to the name that is not a concentration ('albumin 20 g', not '35 g/L'),
    or an administration word within ADMINISTRATION_WINDOW tokens ('infused', 'received')."""
    lexicon = get_lexicon()
    out = []
    for item in drugs:
        value = item.value
        if not (
            isinstance(value, DrugValue)
            and lexicon.needs_administration(value.drug)
            and _measured_name(sdoc[item.start : item.end].text, value.drug)
        ):
            out.append(item)
            continue
        lo = max(sent.start, item.start - ADMINISTRATION_WINDOW)
        hi = min(sent.end, item.end + ADMINISTRATION_WINDOW)
        near = {t.lower_ for t in sdoc[lo:hi]}
        dosed = any(
            -ANALYTE_DOSE_GAP <= d.start - item.end <= ANALYTE_DOSE_GAP
            or -ANALYTE_DOSE_GAP <= item.start - d.end <= ANALYTE_DOSE_GAP
            for d in doses
            if not _concentration(sdoc, d)
        )
        if (
            dosed
            or not near.isdisjoint(ADMINISTRATION_WORDS)
            or _listed_with_given(sdoc, sent, item, drugs)
        ):
            out.append(item)
    return out


def _listed_with_given(sdoc: Doc, sent: Span, item: _Item, drugs: list[_Item]) -> bool:
    """'maintained on digoxin, furosemide and dopamine': an analyte in one list with a drug
    that is no analyte, the list near an administration word, is given with it (the list
    shares its verb); 'hormones such as calcitonin, serotonin and VIP' are not given."""
    lexicon = get_lexicon()
    chain = sorted(drugs, key=lambda d: d.start)
    k = chain.index(item)
    members = [item]
    for step in (-1, 1):
        j = k
        while 0 <= j + step < len(chain):
            a, b = sorted((chain[j], chain[j + step]), key=lambda d: d.start)
            if a.end > b.start or any(t.lower_ not in LIST_JOINERS for t in sdoc[a.end : b.start]):
                break
            j += step
            members.append(chain[j])
    partner = any(
        not (isinstance(m.value, DrugValue) and lexicon.needs_administration(m.value.drug))
        for m in members
    )
    lo = max(sent.start, min(m.start for m in members) - ADMINISTRATION_WINDOW)
    hi = min(sent.end, max(m.end for m in members) + ADMINISTRATION_WINDOW)
    near = {t.lower_ for t in sdoc[lo:hi]}
    return partner and not near.isdisjoint(ADMINISTRATION_WORDS)


REFERENCE_WORDS = frozenset(["normal", "reference", "range", "uln", "nr", "ref"])
"""Words of a reference range printed right after a lab value ('468 ug (normal range: 23-105)')."""
REFERENCE_GAP = 2
"""Tokens after an amount searched for a reference-range word."""


def _concentration(sdoc: Doc, dose: Span) -> bool:
    """'28 g/L', '0.5 ng/mL', '468 ug (normal range: 23-105)': a lab value, not a dose."""
    end = dose.end
    if any(t.lower_ in REFERENCE_WORDS for t in sdoc[end : end + REFERENCE_GAP]):
        return True
    return (
        end + 1 < len(sdoc)
        and sdoc[end].text == "/"
        and sdoc[end + 1].lower_.rstrip(".") in _CONCENTRATION_UNITS
    )


def _abbreviation_item(entry: Abbreviation, start: int, end: int, lookup: object) -> _Item:
    if len(entry.drugs) == 1:
        found = get_lexicon().lookup(entry.drugs[0])
        value = found if found is not None else DrugValue(entry.drugs[0])
        return _Item("drug", start, end, value)
    return _Item("regimen", start, end, RegimenValue(entry.short, entry.drugs, entry.source))


def _standalone(sdoc: Doc, start: int, end: int) -> bool:
    """The abbreviation is a word of its own, not part of 'anti-HER2' or 'PD-L1'."""
    if start > 0 and sdoc[start - 1].text in ("-", "/") and not sdoc[start - 2].whitespace_:
        return False
    return not (end < len(sdoc) and sdoc[end].text == "-" and not sdoc[end - 1].whitespace_)


# --- doses -----------------------------------------------------------------------------


def _dose_items(sdoc: Doc, doses: list[Span], aux: list[Span], drugs: list[_Item]) -> list[_Item]:
    out: list[_Item] = []
    k = 0
    while k < len(doses):
        span = doses[k]
        start, end = span.start, span.end
        # '56.9 mg/44.93 mg/35.1 mg': alternatives of one dose, the first as printed
        while k + 1 < len(doses) and doses[k + 1].start == end + 1 and sdoc[end].text == "/":
            k += 1
            end = doses[k].end
        printed = parse_dose(span.text)
        amount, unit = recover_micro(*printed, span.sent.text)
        if printed[1] is not None and unit is None:
            k += 1
            continue  # a unit only a lost micro sign explains: no dose rather than a wrong one
        radiation = is_radiation_unit(unit)
        schedule, route, tail = _schedule_after(sdoc, end, aux, doses, drugs, radiation=radiation)
        drug = None if radiation else _attached_drug(sdoc, start, tail, drugs)
        top = dose_range_max(span.text)
        for name in _sharing_drugs(sdoc, start, max(end, tail), drugs, drug):
            value = DoseValue(amount, unit, schedule, route, name, top)
            out.append(_Item("dose", start, max(end, tail), value))  # with its schedule
        k += 1
    return out


SHARE_WORDS = frozenset(["each", "both", "all"])
"""'cisplatin and etoposide, each 100 mg/m2', '... at 5 mg daily each': one dose, every drug."""
LIST_JOINERS = frozenset([",", "and", "or", "/", "plus", "&"])
SHARE_WINDOW = 3
"""Tokens around a dose searched for a share word."""


def _sharing_drugs(
    sdoc: Doc, start: int, end: int, drugs: list[_Item], attached: str | None
) -> list[str | None]:
    """The drugs one printed dose belongs to: the attached drug, or every drug of the list
    right before it when a share word ('each', 'both') stands next to the dose."""
    near = {t.lower_ for t in sdoc[max(0, start - SHARE_WINDOW) : end + SHARE_WINDOW]}
    before = sorted((d for d in drugs if d.end <= start), key=lambda d: d.start)
    if attached is None or near.isdisjoint(SHARE_WORDS) or len(before) < 2:
        return [attached]
    listed = [before[-1]]
    for prev in reversed(before[:-1]):
        gap = [t.lower_ for t in sdoc[prev.end : listed[0].start]]
        if not gap or not all(w in LIST_JOINERS for w in gap):
            break
        listed.insert(0, prev)
    names: list[str | None] = list(dict.fromkeys(_drug_name(d) for d in listed))
    return names if len(names) > 1 and None not in names and attached in names else [attached]


def _schedule_after(
    sdoc: Doc,
    end: int,
    aux: list[Span],
    doses: list[Span],
    drugs: list[_Item],
    radiation: bool = False,
) -> tuple[str | None, str | None, int]:
    """Schedules and route printed right after a dose, before the next dose or drug.

    Fractions ('in 25 fractions') are the schedule of a radiation dose only: after a drug's
    dose they belong to a radiotherapy told next to it ('cisplatin 50 mg/m2; 45 Gy in 25
    fractions'), so they end the drug's schedule.
    """
    blockers = sorted(
        [d.start for d in doses if d.start >= end] + [d.start for d in drugs if d.start >= end]
    )
    limit = blockers[0] if blockers else len(sdoc)
    schedules: list[str] = []
    route = None
    cursor = end
    for span in aux:
        if span.start < cursor or span.label_ not in ("SCHEDULE", "ROUTE"):
            continue
        if span.start - cursor > MAX_SCHEDULE_GAP or span.end > limit:
            break
        if span.label_ == "SCHEDULE" and not radiation and is_fractions(span.text):
            break
        gap = sdoc[cursor : span.start]
        if (
            any(t.is_alpha and t.lower_ not in _SCHEDULE_GAP_WORDS for t in gap)
            and span.label_ == "SCHEDULE"
            and len(gap) > 1
        ):
            break
        if span.label_ == "SCHEDULE":
            schedules.append(normalize_schedule(span.text))
        elif route is None:
            route = " ".join(span.text.lower().split())
        cursor = span.end
    return (" ".join(schedules) or None), route, cursor


def _attached_drug(sdoc: Doc, start: int, tail: int, drugs: list[_Item]) -> str | None:
    """The drug a dose belongs to: printed right after it ('200 mg of X'), else the nearest
    drug before it in the sentence."""
    after = [d for d in drugs if d.start >= tail]
    direct = [d for d in drugs if d.start >= start]
    if direct:
        nxt = min(direct, key=lambda d: d.start)
        dose_end = _dose_end(sdoc, start)
        between = [t.lower_ for t in sdoc[dose_end : nxt.start]]
        if all(w in _RIGHT_ATTACH_SKIP for w in between) and len(between) <= 2:
            return _drug_name(nxt)
    stepped = _stepped_from(sdoc, start, drugs)
    if stepped is not None:
        return stepped
    before = [d for d in drugs if d.end <= start and start - d.end <= MAX_ATTACH_TOKENS]
    if before:
        return _drug_name(max(before, key=lambda d: d.end))
    if after:
        nxt = min(after, key=lambda d: d.start)
        crossed = {t.lower_ for t in sdoc[tail : nxt.start]} & _CLAUSE_WORDS
        if nxt.start - tail <= MAX_SCHEDULE_GAP and not crossed:
            return _drug_name(nxt)
    return None


_CLAUSE_WORDS = frozenset({";", "where", "which", "while", "whereas", "when"})
"""A dose is its own clause's drug's: 'support 3 ug/kg/min, where X was started' does not
give the drug of the next clause the dose."""


_DOSE_STEP_WORDS = frozenset(
    {"then", "followed", "by", "loading", "load", "dose", "bolus", "initially", "first",
     "maintenance", "infusion", "over", "hours", "hour", "h", "weekly", "daily", "every",
     "weeks", "days"}
)  # fmt: skip
_STEP_CUES = frozenset({"then", "followed"})


def _stepped_from(sdoc: Doc, start: int, drugs: list[_Item]) -> str | None:
    """'X 8 mg/kg loading then 6 mg/kg': a dose told as the next step of the drug before it
    (only doses, schedule words and 'then' between) is that drug's, not the next drug's."""
    before = [d for d in drugs if d.end <= start]
    if not before:
        return None
    last = max(before, key=lambda d: d.end)
    between = sdoc[last.end : start]
    if not any(t.lower_ in _STEP_CUES for t in between):
        return None
    if all(not t.is_alpha or len(t) <= 3 or t.lower_ in _DOSE_STEP_WORDS for t in between) and any(
        t.like_num for t in between
    ):
        return _drug_name(last)
    return None


SYMPTOM_PROGRESSION_GAP = 2
"""'progressing dysphagia', 'progression of her dyspnoea': at most this many tokens between."""
_SYMPTOM_LINK = frozenset({"of", "her", "his", "the", "in"})


def _without_symptom_progression(sdoc: Doc, items: list[_Item]) -> list[_Item]:
    """A progression word that governs a symptom ('slowly progressing dysphagia', 'progression
    of her dyspnoea') tells the symptom worsening, not the disease progressing (RECIST 1.1
    progression is of the tumour): that progression mention is dropped, the symptom stays."""
    symptoms = [i for i in items if i.kind == "adverse_event"]
    out: list[_Item] = []
    for item in items:
        if item.kind == "progression" and any(
            0 <= s.start - item.end <= SYMPTOM_PROGRESSION_GAP
            and all(t.lower_ in _SYMPTOM_LINK for t in sdoc[item.end : s.start])
            for s in symptoms
        ):
            continue
        out.append(item)
    return out


def _dose_end(sdoc: Doc, start: int) -> int:
    """End of the dose amount+unit that starts at `start` (its schedule excluded)."""
    end = start + 1
    while end < len(sdoc) and (
        sdoc[end].like_num
        or sdoc[end].text in ("/",)
        or (
            sdoc[end].is_alpha
            and len(sdoc[end]) <= 3
            and sdoc[end].lower_ not in _RIGHT_ATTACH_SKIP
            and sdoc[end].lower_ not in _NOT_UNIT_WORDS
        )
    ):
        end += 1
    return end


def _drug_name(item: _Item) -> str | None:
    return item.value.drug if isinstance(item.value, DrugValue) else None


# --- dates -----------------------------------------------------------------------------

_RANGE_JOINERS = frozenset({"to", "until", "through", "-", "–", "and", ","})
DATE_LABELS = ("DATE", "REL_DATE", "MONTH_DATE")
_MONTH_NUMBERS = {
    m: n
    for n, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
}  # fmt: skip


def month_in_story(month: int, anchor: DateValue) -> DateValue:
    """'In June' after the case's last absolute date: that June, or the next one when June
    comes before the anchor's month (the story goes forward). Precision month, relative
    (the year is inferred, not printed)."""
    year = anchor.value.year + (1 if month < anchor.value.month else 0)
    return DateValue(date(year, month, 1), "month", relative=True)


def _move_anchor(state: _CaseState, case_id: int | None, value: DateValue) -> None:
    """The anchor of relative expressions moves forward only: a date printed earlier than
    the story's latest ('a metastasis like the primary resected in 2011', told in 2013) is a
    look back, and 'after six months' in the next sentence counts from the story's present."""
    current = state.anchors.get(case_id)
    if current is None or value.value >= current.value:
        state.anchors[case_id] = value


def _date_items(sdoc: Doc, spans: list[Span], block: Block, state: _CaseState) -> list[_Item]:
    out: list[_Item] = []
    k = 0
    while k < len(spans):
        span = spans[k]
        if span.label_ == "MONTH_DATE":
            anchor = state.anchors.get(block.case_id)
            month = _MONTH_NUMBERS.get(span[-1].lower_)
            if anchor is not None and month is not None and anchor.precision != "year":
                out.append(_Item("date", span.start, span.end, month_in_story(month, anchor)))
            k += 1
            continue
        if span.label_ == "REL_DATE":
            anchor = state.anchors.get(block.case_id)
            value = resolve_relative(span.text, anchor) if anchor else None
            if value is not None:
                out.append(_Item("date", span.start, span.end, value))
            k += 1
            continue
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        joined = (
            nxt is not None
            and nxt.label_ == "DATE"
            and all(t.lower_ in _RANGE_JOINERS for t in sdoc[span.end : nxt.start])
            and (span.end < nxt.start or span[-1].lower_ in _RANGE_JOINERS)
            and (
                span[-1].lower_ in _RANGE_JOINERS
                or any(
                    t.lower_ in ("to", "until", "through", "-", "–")
                    for t in sdoc[span.end : nxt.start]
                )
            )
        )
        day_first = state.reading.day_first if state.reading is not None else False
        try:
            if joined and nxt is not None:
                end_date, end_prec = parse_date(nxt.text, day_first=day_first)
                try:
                    first, prec = parse_date(span.text, day_first=day_first)
                except DateParseError:
                    first, prec = parse_month_day(span.text, end_date.year), "day"
                value = DateValue(
                    first, prec, end_date, end_prec, reading=_reading(span.text, state)
                )
                out.append(_Item("date", span.start, nxt.end, value))
                _move_anchor(state, block.case_id, DateValue(end_date, end_prec))
                k += 2
                continue
            first, prec = parse_date(span.text, day_first=day_first)
        except DateParseError:
            k += 1
            continue
        value = DateValue(first, prec, reading=_reading(span.text, state))
        out.append(_Item("date", span.start, span.end, value))
        _move_anchor(state, block.case_id, value)
        k += 1
    return out


def _reading(text: str, state: _CaseState) -> str | None:
    """DateValue.reading of a numeric date: how its day and month were told apart."""
    found = NUMERIC_DATE.search(text)
    if found is None:
        return None
    first, second = int(found.group(1)), int(found.group(2))
    if first > MONTHS_IN_YEAR:
        return "dmy"
    if second > MONTHS_IN_YEAR:
        return "mdy"
    return state.reading.label if state.reading is not None else "mdy"


# --- everything else ---------------------------------------------------------------------


def _modality_items(aux: list[Span]) -> list[_Item]:
    return [
        _Item("modality", s.start, s.end, TextValue(normalize_modality(s.text)))
        for s in aux
        if s.label_ == "MODALITY"
    ]


def _first(aux: list[Span], label: str, sent_start: int, sent_end: int) -> Span | None:
    for span in aux:
        if span.label_ == label and sent_start <= span.start and span.end <= sent_end:
            return span
    return None


def _other_item(sdoc: Doc, span: Span, aux: list[Span], block: Block) -> _Item | None:
    label = span.label_
    sent = span.sent
    if label in RESPONSE_LABELS:
        return _response_item(sdoc, span, aux)
    if label == "PROGRESSION":
        nxt = sdoc[span.end : span.end + 2].text.lower()
        if nxt.startswith("-") or nxt.startswith("free"):
            return None
        return _Item("progression", span.start, span.end, TextValue("progression"))
    if label == "DEATH":
        return _Item("death", span.start, span.end, TextValue("death"))
    if label == "PFS":
        months = parse_months(span.text)
        return _Item("pfs", span.start, span.end, PfsValue(months)) if months else None
    if label == "AE":
        return _adverse_event_item(sdoc, span, aux)
    if label == "BIOMARKER":
        marker, status = parse_biomarker(span.text)
        if "CEP17" in span.text.upper():
            status = "ratio " + span.text.split("CEP17")[-1].strip()
        method_span = _first(aux, "METHOD", sent.start, sent.end)
        method = _METHODS.get(method_span.text.lower()) if method_span is not None else None
        return _Item("biomarker", span.start, span.end, BiomarkerValue(marker, status, method))
    if label == "CYCLES":
        number = parse_number(span[0].text)
        return _Item("cycles", span.start, span.end, TextValue("cycles", number))
    if label == "DURATION":
        found = _DURATION.search(span.text)
        amount = parse_number(found.group(1)) if found else None
        if found is None or amount is None:
            return None
        return _Item(
            "duration", span.start, span.end, DurationValue(amount, found.group(2).lower())
        )
    if label == "TRIAL":
        inner = _TRIAL_PAREN.search(span.text)
        return _Item(
            "trial", span.start, span.end, TextValue(inner.group(1) if inner else span.text)
        )
    if label == "PROCEDURE":
        return _Item("procedure", span.start, span.end, TextValue(normalize_procedure(span.text)))
    if label == "AGE_SEX":
        age, sex = parse_age_sex(span.text)
        return _Item("age_sex", span.start, span.end, TextValue(sex or "unknown", age))
    if label == "LESION":
        return _lesion_item(sdoc, span, aux, block)
    return None


def _response_item(sdoc: Doc, span: Span, aux: list[Span]) -> _Item | None:
    if len(span) == 1 and span.text.isupper():
        before = sdoc[span.start - 1].text if span.start > 0 else ""
        after = sdoc[span.end].text if span.end < len(sdoc) else ""
        if after in ("-", "/") or before in ("-", "/"):
            return None
    sent = span.sent
    best = any(s.label_ == "BEST" and s.start < span.start and s.sent == sent for s in aux)
    modality = _first(aux, "MODALITY", sent.start, sent.end)
    value = ResponseValue(
        RESPONSE_LABELS[span.label_], best, normalize_modality(modality.text) if modality else None
    )
    return _Item("response", span.start, span.end, value)


def _adverse_event_item(sdoc: Doc, span: Span, aux: list[Span]) -> _Item:
    start, end = span.start, span.end
    grade = None
    for g in aux:
        if g.label_ != "AE_GRADE":
            continue
        if 0 <= span.start - g.end <= 1 and sdoc[g.end : span.start].text not in LIST_JOINERS:
            grade, start = parse_grade(g.text), g.start
        elif 0 <= g.start - span.end <= 2 and grade is None and not _grades_next(sdoc, g, span):
            grade = parse_grade(g.text)
            end = g.end + (1 if g.end < len(sdoc) and sdoc[g.end].text == ")" else 0)
    return _Item("adverse_event", start, end, AdverseEventValue(normalize_event(span.text), grade))


def _grades_next(sdoc: Doc, grade: Span, event: Span) -> bool:
    """'febrile neutropenia, grade 4 thrombocytopenia': a grade printed right before another
    event is that event's, not a trailing grade of the one before it."""
    return any(
        s.label_ == "AE"
        and grade.end <= s.start <= grade.end + 1
        and s.start >= event.end
        and sdoc[grade.end : s.start].text not in LIST_JOINERS
        for s in sdoc.spans[MENTION_KEY]
    )


def _listed_sizes(sdoc: Doc, items: Sequence[_Item], aux: Sequence[Span]) -> list[_Item]:
    """'two liver metastases of 3.2 cm and 2.4 cm', 'shrank from 3 cm to 1.5 cm': a bare size
    joined to a measured lesion by 'and', ',', 'or' or 'to' (a SIZE_NEXT span, joiner first)
    is one more measurement of the same site, itself open to the next one."""
    ends: dict[int, _Item] = {i.end: i for i in items if i.kind == "lesion"}
    taken = {t for i in ends.values() for t in range(i.start, i.end)}
    out: list[_Item] = []
    for span in sorted((s for s in aux if s.label_ == "SIZE_NEXT"), key=lambda s: s.start):
        prev = ends.get(span.start)
        if prev is None or not isinstance(prev.value, LesionValue):
            continue
        if taken & set(range(span.start + 1, span.end)):
            continue
        dims = parse_dimensions(sdoc[span.start + 1 : span.end].text)
        if not dims:
            continue
        value = LesionValue(prev.value.site, dims[0], None, prev.value.figure, prev.value.panel)
        item = _Item("lesion", span.start + 1, span.end, value)
        out.append(item)
        ends[span.end] = item
    return out


def _lesion_item(sdoc: Doc, span: Span, aux: list[Span], block: Block) -> _Item | None:
    dims = parse_dimensions(span.text)
    if not dims:
        return None
    sites = [s for s in aux if s.label_ == "SITE" and s.sent == span.sent]
    before = [s for s in sites if s.end <= span.start and span.start - s.end <= MAX_SITE_TOKENS]
    inside_or_after = [s for s in sites if span.start <= s.start <= span.end + 1]
    site_span = (
        max(before, key=lambda s: s.end)
        if before
        else (inside_or_after[0] if inside_or_after else None)
    )
    figure = panel = None
    if block.kind == "caption":
        fig = _FIGURE.match(block.text)
        figure = fig.group(1) if fig else None
        panels = [m for m in _PANEL.finditer(block.text[: span.start_char])]
        if panels:
            panel = re.sub(r"\s*[–,]\s*|\s*-\s*", "-", panels[-1].group(1))
    site = " ".join(site_span.text.lower().split()) if site_span is not None else None
    dim2 = dims[1] if len(dims) > 1 else None
    return _Item("lesion", span.start, span.end, LesionValue(site, dims[0], dim2, figure, panel))
