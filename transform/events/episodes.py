"""Treatment episodes: the drugs a sentence says were started together, with dates and doses.

An episode is what a clause of the story starts ("she received X and Y from A to B"): the
drugs share it, its dates come from the clause, its doses and cycles from the same stretch
of text. Drugs named as the thing that failed ("trastuzumab resistance"), refused, stopped
or only compared in a trial description are not started. The line rules (lines.py) then
decide which episodes make up a line of therapy.

In plain words, with the sources: docs/rules.md (Treatment episodes).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Literal, TypeAlias

from transform.events import cue_words
from transform.events.negation import forward_only, negation_released, released_by_clause
from transform.events.story import Sentence
from transform.events.timing import DatedSpan, DateRole, nearest, sentence_dates
from transform.records import (
    DoseValue,
    DrugExposure,
    DrugValue,
    DurationValue,
    Mention,
    Provenance,
    RegimenValue,
    TextValue,
)
from transform.types import DatePrecision, Setting, is_radiation_unit

ClauseRole: TypeAlias = Literal["start", "stop", "none"]
NotStarted: TypeAlias = Literal[
    "no_start_told",
    "stopped",
    "negated",
    "prior_history",
    "named_as_cause",
    "hypothetical",
    "trial_arm",
    "unknown_regimen",
    "general_statement",
]
"""Why a sentence does not start a drug it names (mention_verdicts)."""

_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|but|while|whereas|although|however|which)\b|\s+but\s+|\s+whereas\s+"
)
_NEGATION_SCOPE_END = re.compile(
    r"\b(?:and|but)\s+(?:was|were|is|has|had|then|she|he|they|the patient|subsequently)\b", re.I
)
RESISTANCE_BEFORE_CHARS = 30
"""How far before a drug a 'failed', 'resistant to', 'progression on' cue still governs it."""
RESISTANCE_AFTER_CHARS = 16
"""How far after a drug 'resistance' or '-refractory' still governs it ('X resistance')."""
NEGATION_AFTER_CHARS = 30
"""How far after a drug a refusal still governs it ('lapatinib was refused by the patient')."""
ENROLLMENT_CUE = "event.start.enrolled"
"""The treat_start cue of trial enrolment (patterns/event_cues.jsonl)."""
REFERENCE_BEFORE_CHARS = 40
"""How far before a drug a causation cue still makes it a reference ('CMP was related to the
recent use of X'), or an option or modal cue a hypothetical ('X could be an option')."""
REFERENCE_AFTER_CHARS = 40
"""How far after a drug an option cue still governs it ('X was the only option')."""
OWN_START_AFTER_CHARS = 30
"""How far after a drug its own start verb frees it from a cue before it ('X was started')."""
_SHORT_FORM = re.compile(r"\s*\([A-Za-z0-9][\w-]{0,11}\)")
"""A drug's short form in brackets right after it ('(5-FU)', '(BCNU)')."""
CAUSED_AFTER_GAP = 2
"""'X-induced', 'X remains the culprit': the causation word follows the drug at once."""
MERGE_WINDOW = 3
"""Sentences within which an undated episode is the same one as its dated neighbour
('randomised to A + B. From May 2 to March 7, A + B were given.')."""


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    role: ClauseRole
    own_start_cue: bool


@dataclass(frozen=True)
class EpisodeDrug:
    drug: str
    drug_as_printed: str
    prov: Provenance
    drug_id: str | None = None
    drug_class: str | None = None
    doses: tuple[DoseValue, ...] = ()
    """Every dose the text gives the drug in this episode, in printed order ('DDP 40 mg d1-2/50
    mg d3' gives two): each becomes its own DrugExposure of the same drug and episode."""


@dataclass(frozen=True)
class Episode:
    """Drugs started together, as one clause of the story tells it."""

    case_id: int
    order: int
    drugs: tuple[EpisodeDrug, ...]
    regimen: str | None = None
    start: date | None = None
    start_precision: DatePrecision | None = None
    end: date | None = None
    end_precision: DatePrecision | None = None
    cycles: int | None = None
    maintenance: bool = False
    after_progression: bool = False
    setting_hint: Setting | None = None
    enrollment: bool = False
    """Told as enrolment in a trial ('enrolled in a phase I trial of X and Y'): its date is
    the enrolment's, which yields to a dated telling of the same drugs next to it."""
    dose_told: bool = False
    """Opened by a dose statement ('the highest dose of X was 35 mg a day') of a drug not
    told before: dose_changes.py does not read its sentence again as a change."""
    restart: bool = False
    """Told as a new course of drugs given before ('resumed', 'rechallenged', 'again',
    'second-line'): never folded into the earlier episode of the same drugs."""
    summary: bool = False
    """Told only as the content of a treatment ('the regimen consisted of X and Y', 'the
    treatment comprised surgery, then chemotherapy (X, Y)'), with no start verb of its own:
    it describes the course the story has just told (`_courses_described`)."""
    concurrent: bool = False
    """Told as given alongside the treatment before it ('Concurrently, X was given')."""
    continued: bool = False
    """Told as going on ('X was continued', 'she remained on X'): never a new course."""

    @property
    def drug_names(self) -> frozenset[str]:
        return frozenset(d.drug for d in self.drugs)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class _Hit:
    """A drug or regimen mention that may be started, with the drugs it stands for."""

    mention: Mention
    drugs: tuple[EpisodeDrug, ...]
    regimen: str | None

    @property
    def start(self) -> int:
        return self.mention.prov.char_start

    @property
    def end(self) -> int:
        return self.mention.prov.char_end


# --- clauses -----------------------------------------------------------------------------


CLAUSE_MEMO = 256
"""Sentences whose clauses are remembered: the event rules ask the clauses of one sentence
from ten places, and those of a document's sentences again when they group its episodes
(an article has a hundred-odd sentences; a later document's are never the same)."""


def clauses(sentence: Sentence) -> tuple[Clause, ...]:
    """The sentence cut at clause breaks, each with what it does to the drugs it names.

    A clause with a start cue starts its drugs; one with only a stop cue stops them; one with
    neither continues the clause before it (a list split by ', and'), or, at the head of the
    sentence, the clause after it ('X 100 mg, and Y 50 mg were given').
    """
    return _clauses(sentence.text)


@lru_cache(maxsize=CLAUSE_MEMO)
def _clauses(text: str) -> tuple[Clause, ...]:
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    raw: list[tuple[int, int, ClauseRole, bool]] = []
    for a, b in spans:
        starts = _starts_here(text, a, b)
        stops = cue_words.has("treat_stop", text, a, b)
        role: ClauseRole = "start" if starts else "stop" if stops else "none"
        raw.append((a, b, role, starts))
    out: list[Clause] = []
    for i, (a, b, role, own) in enumerate(raw):
        if role == "none":
            before = [r for _, _, r, _ in raw[:i] if r != "none"]
            after = [(r, x, y) for x, y, r, _ in raw[i + 1 :] if r != "none"]
            # only a start verb reaches back: 'X 100 mg, and Y 50 mg were given'; a dose
            # change is a clause of its own ('X was reduced to 60 mg, and Y was added'), and
            # a therapy noun names its own clause's drug only ('..., and he recovered after the
            # administration of G-CSF')
            changes_dose = cue_words.has("dose_change", text, a, b)
            verb_ahead = (
                bool(after) and after[0][0] == "start" and _start_verb_in(text, *after[0][1:])
            )
            ahead: ClauseRole = "start" if verb_ahead and not changes_dose else "none"
            role = before[-1] if before else ahead
        out.append(Clause(a, b, role, own))
    return tuple(out)


def _starts_here(text: str, a: int, b: int) -> bool:
    """A start cue in text[a:b] that a stop does not govern.

    A therapy noun ('chemotherapy with X', 'a course of X') only names the treatment: the
    verb before it says what happened to it, so 'recommended stopping further chemotherapy
    with X' stops X. A start verb ('received', 'was given') starts whatever a stop says.
    """
    hits = cue_words.find("treat_start", text, a, b) + cue_words.find("treat_summary", text, a, b)
    if not hits:
        return False
    if _start_verb_in(text, a, b):
        return True
    first_noun = min(h.start for h in hits)
    return not cue_words.has("treat_stop", text, a, first_noun)


def clause_at(cls: Sequence[Clause], pos: int) -> Clause | None:
    for clause in cls:
        if clause.start <= pos < clause.end:
            return clause
    return None


def _negated_here(text: str, clause: Clause, pos: int, end: int) -> bool:
    """A refusal or denial governs the drug: before it in scope (up to a clause that starts
    something of its own, negation.py), or after it in its clause (not 'instead of')."""
    for hit in cue_words.find("negation", text, clause.start, clause.end):
        if hit.end <= pos:
            scope_end = _NEGATION_SCOPE_END.search(text, hit.end, clause.end)
            released = released_by_clause(text, hit.end, pos, clause.end)
            if (scope_end is None or scope_end.start() > pos) and not released:
                return True
        elif (
            end <= hit.start <= end + NEGATION_AFTER_CHARS
            and not cue_words.has("treat_start", text, end, hit.start)
            and not forward_only(text, hit.start, hit.end)
        ):
            return True
    return False


def _resisted(text: str, pos: int, end: int, floor: int) -> bool:
    """'after failure of X', 'X-resistant', 'progression on X': X is history, not a start."""
    lo = max(floor, pos - RESISTANCE_BEFORE_CHARS)
    if cue_words.has("resistance", text, lo, pos):
        return True
    after = cue_words.first("resistance", text, end, min(len(text), end + RESISTANCE_AFTER_CHARS))
    return after is not None and after.start - end <= 2


def _referenced(text: str, clause: Clause, pos: int, end: int, floor: int) -> bool:
    return _reference_kind(text, clause, pos, end, floor) is not None


def _reference_kind(text: str, clause: Clause, pos: int, end: int, floor: int) -> NotStarted | None:
    """The drug is named, not given: as a cause ('the cardiomyopathy was related to X',
    'X-induced colitis', 'X remains the culprit'), as an option or a consideration ('X was the
    only option', 'options such as X'), or hypothetically ('whether X could be given').

    A cue before the drug governs it up to a start verb ('because of progression, she was
    switched to X'), and not when the drug's own start verb follows it ('due to
    disease progression X was started'), unless a modal or option word comes first ('X could
    be given'). An option word after the drug governs it only in a clause with no start verb
    ('she received X, the standard option' starts X)."""
    lo = max(floor, clause.start, pos - REFERENCE_BEFORE_CHARS)
    for label in ("caused_by", "not_given", "hypothetical"):
        for hit in cue_words.find(label, text, lo, pos):
            if _start_verb_in(text, hit.end, pos) or _own_start_after(text, end):
                continue
            return "named_as_cause" if label == "caused_by" else "hypothetical"
    after = cue_words.first("caused_after", text, end, min(len(text), end + REFERENCE_AFTER_CHARS))
    if after is not None and after.start - _past_short_form(text, end) <= CAUSED_AFTER_GAP:
        return "named_as_cause"
    hi = min(clause.end, end + REFERENCE_AFTER_CHARS)
    option = cue_words.first("not_given", text, end, hi)
    if option is not None and not _start_verb_in(text, clause.start, clause.end):
        return "hypothetical"
    return None


def _past_short_form(text: str, end: int) -> int:
    """Where the text after a drug goes on once its short form in brackets is passed:
    '5-fluorouracil (5-FU)-associated' is the drug's, as '5-FU-associated' is."""
    m = _SHORT_FORM.match(text, end)
    return m.end() if m else end


def _own_start_after(text: str, end: int) -> bool:
    """A start verb right after the drug ('X was started') not under a modal or option word
    ('X could be given', 'X was considered and given')."""
    hi = min(len(text), end + OWN_START_AFTER_CHARS)
    verbs = [
        h
        for h in cue_words.find("treat_start", text, end, hi)
        if _start_verb_in(text, h.start, h.end)
    ]
    if not verbs:
        return False
    first = verbs[0].start
    return not any(
        cue_words.has(label, text, end, first) for label in ("hypothetical", "not_given")
    )


def _start_verb_in(text: str, a: int, b: int) -> bool:
    """A start verb in text[a:b] ('received', 'was switched to'); a therapy noun ('treatment
    with') is none: 'caused by treatment with X' still names X as the cause."""
    nominal = {n.start for n in cue_words.find("nominal_start", text, a, b)}
    return any(h.start not in nominal for h in cue_words.find("treat_start", text, a, b))


# --- hits ---------------------------------------------------------------------------------


def _hit_of(mention: Mention) -> _Hit | None:
    value = mention.value
    if isinstance(value, DrugValue):
        drug = EpisodeDrug(value.drug, mention.text, mention.prov, value.drug_id, value.drug_class)
        return _Hit(mention, (drug,), None)
    if isinstance(value, RegimenValue) and value.drugs:
        drugs = tuple(EpisodeDrug(d, mention.text, mention.prov) for d in value.drugs)
        return _Hit(mention, drugs, value.regimen or mention.text)
    return None


def mention_verdicts(
    sentence: Sentence, cls: Sequence[Clause] | None = None
) -> tuple[tuple[Mention, NotStarted | None], ...]:
    """Each drug and regimen mention of the sentence with why the sentence does not start it,
    None when it does: the one decision behind both the episodes and the warehouse's
    account of every drug mention (transform/timeline/dispositions.py)."""
    cls = clauses(sentence) if cls is None else cls
    text = sentence.text
    out: list[tuple[Mention, NotStarted | None]] = []
    prev_end = 0
    for mention in sentence.of_kind("drug", "regimen"):
        hit = _hit_of(mention)
        if hit is None:
            out.append((mention, "unknown_regimen"))
            continue
        clause = clause_at(cls, hit.start)
        floor = max(prev_end, clause.start if clause else 0)
        prev_end = max(prev_end, hit.end)
        out.append((mention, _not_started(text, clause, hit, floor)))
    return tuple(out)


def _not_started(text: str, clause: Clause | None, hit: _Hit, floor: int) -> NotStarted | None:
    """Why the clause does not start the drug, None when it does. What the text says of the
    drug (denied, resisted, a cause, an option, another arm) comes before a clause that
    starts nothing, so that 'X was considered' is an option, not a miss."""
    if clause is None:
        return "no_start_told"
    if hit.mention.negated and not negation_released(text, hit.start, clause.end):
        return "negated"
    if _negated_here(text, clause, hit.start, hit.end):
        return "negated"
    if _resisted(text, hit.start, hit.end, floor):
        return "prior_history"
    reference = _reference_kind(text, clause, hit.start, hit.end, floor)
    if reference is not None:
        return reference
    if cue_words.has("comparison", text, clause.start, hit.start):
        return "trial_arm"  # the other arm of a trial: 'A + B vs. C + B'
    if clause.role == "none":
        # 'X-associated neuropathy is rare', 'we conclude ...': the drug in general
        return "general_statement" if cue_words.has("general_statement", text) else "no_start_told"
    if clause.role == "stop":
        return "stopped"
    return None


def started_hits(sentence: Sentence, cls: Sequence[Clause] | None = None) -> tuple[_Hit, ...]:
    """Drug and regimen mentions of the sentence that the sentence says were started."""
    out: list[_Hit] = []
    for mention, reason in mention_verdicts(sentence, cls):
        hit = _hit_of(mention)
        if reason is None and hit is not None:
            out.append(hit)
    return tuple(out)


def stopped_mentions(sentence: Sentence) -> tuple[Mention, ...]:
    """Drug mentions in clauses that stop or suspend them ('apatinib was suspended')."""
    cls = clauses(sentence)
    out = []
    for mention in sentence.of_kind("drug", "regimen"):
        clause = clause_at(cls, mention.prov.char_start)
        if clause is not None and clause.role == "stop" and not mention.negated:
            out.append(mention)
    return tuple(out)


# --- one sentence -------------------------------------------------------------------------


DOSE_STEP_GAP_BEFORE = 20
"""Characters between a dose and a following 'then' for the two to be one drug's steps
('8 mg/kg loading then 6 mg/kg': a loading word may stand between)."""
DOSE_STEP_GAP_AFTER = 3


def _between_doses(sentence: Sentence, start: int, end: int) -> bool:
    """A 'then' between two doses of one drug is its schedule (a loading dose then the
    maintenance dose, a bolus then an infusion), not a next episode."""
    doses = sentence.of_kind("dose")
    before = any(0 <= start - d.prov.char_end <= DOSE_STEP_GAP_BEFORE for d in doses)
    after = any(0 <= d.prov.char_start - end <= DOSE_STEP_GAP_AFTER for d in doses)
    return before and after


def _adverb_of_own_verb(text: str, a_end: int, cue: cue_words.CueHit, b_start: int) -> bool:
    """'X was then restarted together with Y': a 'then' between a drug and its own start verb
    dates that verb, it does not start a next episode: no start verb stands between the drug
    and the cue, one follows the cue before the next drug ('X was given, then Y' and 'X
    followed by Y' still cut)."""
    return not _start_verb_in(text, a_end, cue.start) and _start_verb_in(text, cue.end, b_start)


def _group(
    sentence: Sentence, hits: Sequence[_Hit], cls: Sequence[Clause]
) -> list[tuple[int, int, list[_Hit]]]:
    """Hits split into episodes at sequence cues ('followed by', 'then') or at a clause that
    starts drugs on its own; each group keeps the stretch of text it owns."""
    text = sentence.text
    cuts: list[int] = []
    for a, b in itertools.pairwise(hits):
        seq = next(
            (
                h
                for h in cue_words.find("sequence", text, a.end, b.start)
                if not _between_doses(sentence, h.start, h.end)
                and not _adverb_of_own_verb(text, a.end, h, b.start)
            ),
            None,
        )
        if seq is not None:
            cuts.append(seq.start)
            continue
        clause_b = clause_at(cls, b.start)
        clause_a = clause_at(cls, a.start)
        if clause_b is not None and clause_b is not clause_a and clause_b.own_start_cue:
            cuts.append(clause_b.start)
    bounds = [0, *cuts, len(text)]
    groups: list[tuple[int, int, list[_Hit]]] = []
    for lo, hi in itertools.pairwise(bounds):
        members = [h for h in hits if lo <= h.start < hi]
        if members:
            groups.append((lo, hi, members))
    return groups


def _dates_for(spans: Sequence[DatedSpan], lo: int, hi: int) -> tuple[DatedSpan, ...]:
    return tuple(s for s in spans if lo <= s.char_start < hi)


def _apply_dates(episode: Episode, spans: Sequence[DatedSpan]) -> Episode:
    start, start_p, end, end_p = (
        episode.start,
        episode.start_precision,
        episode.end,
        episode.end_precision,
    )
    for span in spans:
        if span.role in ("range", "from", "point") and start is None:
            start, start_p = span.start, span.start_precision
            if span.role == "range" and end is None:
                end, end_p = span.end, span.end_precision
        elif span.role == "until" and end is None:
            end, end_p = span.end, span.end_precision
    return replace(episode, start=start, start_precision=start_p, end=end, end_precision=end_p)


def _cycles_in(sentence: Sentence, lo: int, hi: int) -> int | None:
    for m in sentence.mentions:
        if not lo <= m.prov.char_start < hi:
            continue
        number: float | None = None
        if isinstance(m.value, DurationValue) and m.value.unit.startswith("cycle"):
            number = m.value.amount
        elif m.kind == "cycles" and isinstance(m.value, TextValue):
            number = m.value.number
        if number is None:
            continue
        if cue_words.has(
            "timing_prefix", sentence.text, max(0, m.prov.char_start - 40), m.prov.char_start
        ):
            continue
        return int(number)
    return None


def _doses(
    sentence: Sentence, lo: int, hi: int, members: Sequence[_Hit]
) -> dict[str, tuple[DoseValue, ...]]:
    """Doses of each drug, in printed order: the ones the mention layer tied to it, else each
    untied dose goes to the nearest single drug before it (after it at the head of the text).

    A radiation dose (Gy, cGy) is never a drug's. A drug may have several ('DDP 40 mg d1-2/50
    mg d3', '5-FU 0.5 g d1 and 2.0 g CIV 48 h'):
    all are kept, one exposure each. A dose tied to a drug that this stretch does not start
    (refused, resisted, another arm) is nobody's here. The same dose printed twice counts once.
    """
    doses: dict[str, list[DoseValue]] = {}
    names = {d.drug for h in members for d in h.drugs}
    singles = [h for h in members if len(h.drugs) == 1]
    for m in sentence.of_kind("dose"):
        if not lo <= m.prov.char_start < hi or not isinstance(m.value, DoseValue):
            continue
        if is_radiation_unit(m.value.unit):
            continue  # '45 Gy in 25 fractions' is the radiotherapy's, never a drug's
        target: str | None = None
        if m.value.drug is not None:
            if m.value.drug not in names:
                continue
            target = m.value.drug
        else:
            before = [h for h in singles if h.end <= m.prov.char_start]
            after = [h for h in singles if h.start >= m.prov.char_end]
            near = before[-1] if before else after[0] if after else None
            if not before and _class_governs(sentence, m, lo):
                near = None  # 'catecholamine support 3 ug/kg/min, where vancomycin ...'
            target = near.drugs[0].drug if near else None
        if target is None:
            continue
        known = doses.setdefault(target, [])
        if not any(_same_dose(m.value, k) for k in known):
            known.append(replace(m.value, drug=target))
    return {drug: tuple(found) for drug, found in doses.items()}


def _class_governs(sentence: Sentence, dose: Mention, since: int) -> bool:
    """A drug class named before a dose that no drug precedes owns the dose ('catecholamine
    support 3 ug/kg/min, where vancomycin was started'): the dose is of its own clause's
    drug, not of a drug named later in the sentence."""
    return any(
        since <= c.prov.char_start and c.prov.char_end <= dose.prov.char_start
        for c in sentence.of_kind("drug_class")
    )


def _same_dose(a: DoseValue, b: DoseValue) -> bool:
    return (a.amount, a.unit, a.schedule) == (b.amount, b.unit, b.schedule)


def _regimen_label(members: Sequence[_Hit]) -> str | None:
    """'TH + everolimus': regimen abbreviations as printed, then the drugs they do not cover."""
    covered = {d.drug for h in members if h.regimen for d in h.drugs}
    parts: list[str] = []
    for h in members:
        if not h.regimen:
            if h.drugs[0].drug in covered:
                continue
            covered.add(h.drugs[0].drug)
        if h.mention.text not in parts:
            parts.append(h.mention.text)
    has_regimen = any(h.regimen for h in members)
    return " + ".join(parts) if len(parts) > 1 or has_regimen else None


def _setting_hint(text: str) -> Setting | None:
    if cue_words.has("neoadjuvant", text):
        return "neoadjuvant"
    if cue_words.has("adjuvant", text):
        return "adjuvant"
    if cue_words.has("metastatic_setting", text):
        return "metastatic"
    return None


def sentence_episodes(sentence: Sentence) -> tuple[Episode, ...]:
    """The episodes one sentence starts, in the order it tells them."""
    if sentence.caption is not None or sentence.is_glossary:
        return ()
    cls = clauses(sentence)
    hits = started_hits(sentence, cls)
    if not hits:
        return ()
    text = sentence.text
    spans = sentence_dates(sentence)
    hint = _setting_hint(text)
    episodes: list[Episode] = []
    for lo, hi, members in _group(sentence, hits, cls):
        doses = _doses(sentence, lo, hi, members)
        drugs: dict[str, EpisodeDrug] = {}
        for h in sorted(members, key=lambda h: h.regimen is not None):
            for d in h.drugs:
                if d.drug not in drugs:
                    drugs[d.drug] = replace(d, doses=doses.get(d.drug, ()))
        ordered = tuple(sorted(drugs.values(), key=lambda d: d.prov.char_start))
        first = members[0].start
        episode = Episode(
            case_id=sentence.case_id,
            order=sentence.order,
            drugs=ordered,
            regimen=_regimen_label(members),
            cycles=_cycles_in(sentence, lo, hi),
            maintenance=cue_words.has("maintenance", text, lo, hi),
            after_progression=cue_words.has("after_progression", text, 0, first),
            setting_hint=hint,
            enrollment=any(
                h.cue_id == ENROLLMENT_CUE for h in cue_words.find("treat_start", text, 0, hi)
            ),
            restart=cue_words.has("restart", text, lo, hi),
            summary=cue_words.has("treat_summary", text, 0, hi) and not _start_verb_in(text, 0, hi),
            concurrent=cue_words.has("concurrent", text, 0, first),
            continued=cue_words.has("continuation", text, lo, hi)
            and not cue_words.has("restart", text, lo, hi),
        )
        own = _dates_for(spans, lo, hi)
        if not own and len(episodes) == 0 and hi == len(text):
            own = spans
        episodes.append(_apply_dates(episode, own))
    return tuple(episodes)


DOSE_STATEMENT_CUES = ("dose_statement", "dose_change")
STATEMENT_TO_DOSE_CHARS = 60
"""How far before a dose its statement cue may stand ('the highest dose of X used was a total
of 35 mg a day')."""


def stated_dose(text: str, dose_start: int) -> bool:
    """A dose the sentence states as the drug's dose or its change ('X at a dose of 10 mg',
    'the dose of X was titrated up to 20 mg', 'the maximum dose of X reached 35 mg')."""
    lo = max(0, dose_start - STATEMENT_TO_DOSE_CHARS)
    return any(cue_words.has(label, text, lo, dose_start) for label in DOSE_STATEMENT_CUES)


def dose_statement_episodes(sentence: Sentence, known: frozenset[str]) -> tuple[Episode, ...]:
    """An episode for each drug a sentence gives a dose of without a start cue, when no
    earlier episode has the drug (then it is a dose row of that one: dose_changes.py).

    'The highest dose of X used was 35 mg a day', 'the dose of X was titrated up to 20 mg
    daily', 'X was increased to 100 mg twice daily': a drug with a dose of its own was given
    (a dose is the amount administered, WHO ATC/DDD definitions). The dose must be tied to
    the drug by the mention layer and follow the statement cue; a drug refused, resisted or
    only named as a cause, option or hypothesis is not given.
    """
    if sentence.caption is not None or sentence.is_glossary:
        return ()
    text = sentence.text
    if not any(cue_words.has(label, text) for label in DOSE_STATEMENT_CUES):
        return ()
    cls = clauses(sentence)
    found: dict[str, EpisodeDrug] = {}
    for m in sentence.of_kind("dose"):
        value = m.value
        if not isinstance(value, DoseValue) or value.drug is None or value.drug in known:
            continue
        if is_radiation_unit(value.unit) or not stated_dose(text, m.prov.char_start):
            continue
        hit = next(
            (
                h
                for h in map(_hit_of, sentence.of_kind("drug"))
                if h is not None and h.drugs[0].drug == value.drug
            ),
            None,
        )
        clause = clause_at(cls, hit.start) if hit is not None else None
        if hit is None or clause is None or hit.mention.negated:
            continue
        if _negated_here(text, clause, hit.start, hit.end) or _resisted(
            text, hit.start, hit.end, clause.start
        ):
            continue
        if _referenced(text, clause, hit.start, hit.end, clause.start):
            continue
        d = found.get(value.drug) or hit.drugs[0]
        if not any(_same_dose(value, k) for k in d.doses):
            found[value.drug] = replace(d, doses=(*d.doses, value))
    if not found:
        return ()
    episode = Episode(
        case_id=sentence.case_id,
        order=sentence.order,
        drugs=tuple(sorted(found.values(), key=lambda d: d.prov.char_start)),
        setting_hint=_setting_hint(text),
        dose_told=True,
    )
    return (_apply_dates(episode, sentence_dates(sentence)),)


def drugless_course(sentence: Sentence) -> tuple[DatedSpan, ...]:
    """Dates of a sentence that dates a course without naming its drugs.

    'The patient received second-line chemotherapy from May 2, 2012, to March 7, 2013' or
    'She continued to receive this therapy until January 24, 2018': a start cue and a therapy
    noun, dates, and no drug; the dates belong to the episode just told.
    """
    if sentence.caption is not None or sentence.of_kind("drug", "regimen"):
        return ()
    text = sentence.text
    if not (cue_words.has("treat_start", text) and cue_words.has("therapy_noun", text)):
        return ()
    if cue_words.has("negation", text) or cue_words.has("treat_stop", text):
        return ()
    return tuple(s for s in sentence_dates(sentence) if s.role != "point")


# --- the story ------------------------------------------------------------------------------


def _fill(into: Episode, other: Episode) -> Episode:
    """`into` with the doses, cycles and flags it lacks taken from `other` (same episode)."""
    extra = {d.drug: d for d in other.drugs}
    drugs = tuple(
        replace(d, doses=d.doses or (extra[d.drug].doses if d.drug in extra else ()))
        for d in into.drugs
    )
    return replace(
        into,
        drugs=drugs,
        regimen=into.regimen or other.regimen,
        cycles=into.cycles if into.cycles is not None else other.cycles,
        maintenance=into.maintenance or other.maintenance,
        after_progression=into.after_progression or other.after_progression,
        setting_hint=into.setting_hint or other.setting_hint,
    )


def _enrollment_yields(ep: Episode, nxt: Episode) -> bool:
    """A dated enrolment followed closely by a dated telling of (at least) its drugs."""
    return (
        ep.dated
        and ep.enrollment
        and nxt.dated
        and nxt.order - ep.order <= MERGE_WINDOW
        and ep.drug_names <= nxt.drug_names
    )


def _progressed_between(a: Episode, b: Episode, progressed_at: frozenset[int]) -> bool:
    """A progression told after episode `a`'s sentence and up to episode `b`'s: the same drugs
    told after it are a new course (a rechallenge, a new dose or new partners), never a
    telling of the course that progressed (Flatiron LoT rules: after progression, a
    restarted regimen is a new line). A telling that says the drugs went on ('X was
    continued beyond progression') is the same course."""
    if b.continued:
        return False
    lo, hi = sorted((a.order, b.order))
    return any(lo < p <= hi for p in progressed_at)


def _merge_undated(
    episodes: list[Episode], progressed_at: frozenset[int] = frozenset()
) -> list[Episode]:
    """Fold undated episodes into the dated telling of the same drugs next to them.

    A trial enrolment is dated by the enrolment: a dated telling of its drugs right after it
    ('enrolled on August 4 ...', 'From August 23, ... were given') is when they started.

    A maintenance phase is never the same episode as the induction it follows ('then
    rituximab maintenance' after 'rituximab and bendamustine from May to October'), nor a
    course told as new ('resumed', 'rechallenged') the course before it.
    """
    out = list(episodes)
    i = 0
    while i < len(out):
        ep = out[i]
        nxt = out[i + 1] if i + 1 < len(out) else None
        prev = out[i - 1] if i > 0 else None
        if nxt is not None and _enrollment_yields(ep, nxt):
            out[i + 1] = _fill(nxt, ep)
            del out[i]
            continue
        if ep.dated:
            i += 1
            continue
        if (
            nxt is not None
            and nxt.order - ep.order <= MERGE_WINDOW
            and ep.drug_names <= nxt.drug_names
            and ep.maintenance == nxt.maintenance
            and not nxt.restart
            and not _progressed_between(ep, nxt, progressed_at)
            and not _retells_earlier(out[:i], nxt.drug_names - ep.drug_names)
        ):
            out[i + 1] = _fill(nxt, ep)
            del out[i]
            continue
        if (
            prev is not None
            and ep.order - prev.order <= MERGE_WINDOW
            and ep.drug_names <= prev.drug_names
            and ep.maintenance == prev.maintenance
            and not ep.restart
            and not _progressed_between(prev, ep, progressed_at)
        ):
            out[i - 1] = _fill(prev, ep)
            del out[i]
            continue
        i += 1
    return out


def _retells_earlier(earlier: Sequence[Episode], others: frozenset[str]) -> bool:
    """Does a telling name, beside an undated episode's drugs, drugs the story started
    earlier? Then it retells drugs already running ('he was started on Y; he went on with X
    and Y'), not the dated telling of the undated episode's course: the episode keeps its
    own place and `_running_split` folds the telling into both."""
    return bool(others) and all(any(d in e.drug_names for e in earlier) for d in others)


@dataclass(frozen=True)
class _Course:
    """A course told without its drugs ('four cycles of adjuvant chemotherapy were given')."""

    order: int
    setting_hint: Setting | None
    cycles: int | None


def course_told(sentence: Sentence) -> _Course | None:
    """The setting and cycles of a course a sentence tells without naming a drug.

    'Subsequently, six cycles of adjuvant chemotherapy were completed': the drugs follow in a
    summary ('The regimen consisted of X and Y'), which describes this course. Nothing when the
    course is refused, hypothetical or only an option, or says neither setting nor cycles.
    """
    if sentence.caption is not None or sentence.is_glossary:
        return None
    if sentence.of_kind("drug", "regimen"):
        return None
    text = sentence.text
    if not cue_words.has("therapy_noun", text):
        return None
    if any(cue_words.has(label, text) for label in ("negation", "hypothetical", "not_given")):
        return None
    hint = _setting_hint(text)
    cycles = _cycles_in(sentence, 0, len(text))
    if hint is None and cycles is None:
        return None
    return _Course(sentence.order, hint, cycles)


def _described(episode: Episode, course: _Course | None) -> Episode:
    """A summary of drugs told right after a course without drugs is that course's content:
    it takes the course's setting and cycles where it prints none of its own."""
    if course is None or not episode.summary or episode.order - course.order > MERGE_WINDOW:
        return episode
    return replace(
        episode,
        setting_hint=episode.setting_hint or course.setting_hint,
        cycles=episode.cycles if episode.cycles is not None else course.cycles,
    )


def _concurrent_settings(episodes: Sequence[Episode]) -> list[Episode]:
    """A drug told as given alongside the treatment just told ('Concurrently, X was given')
    shares that treatment's intent: an episode with no setting word of its own takes the
    setting word of the nearest earlier episode within MERGE_WINDOW sentences that has one."""
    out = list(episodes)
    for i, ep in enumerate(out):
        if not ep.concurrent or ep.setting_hint is not None:
            continue
        earlier = (
            p
            for p in reversed(out[:i])
            if p.order < ep.order and ep.order - p.order <= MERGE_WINDOW and p.setting_hint
        )
        source = next(earlier, None)
        if source is not None:
            out[i] = replace(ep, setting_hint=source.setting_hint)
    return out


def build_episodes(
    sentences: Sequence[Sentence], progressed_at: frozenset[int] = frozenset()
) -> tuple[Episode, ...]:
    """Episodes of one case's story, undated tellings merged into their dated neighbours.

    `progressed_at`: the story positions (sentence order) of the progressions told; a
    telling of drugs already given after one of them is a new course, not the old one."""
    episodes: list[Episode] = []
    told: _Course | None = None
    for sentence in sentences:
        found = sentence_episodes(sentence) or dose_statement_episodes(
            sentence, frozenset(d for ep in episodes for d in ep.drug_names)
        )
        if found:
            episodes.extend(_described(ep, told) for ep in found)
            continue
        told = course_told(sentence) or told
        if sentence.caption is None and not sentence.is_glossary:
            episodes = _stop_ends(episodes, sentence)
        course = drugless_course(sentence)
        if course and episodes and sentence.order - episodes[-1].order <= MERGE_WINDOW:
            last = episodes[-1]
            last = replace(last, setting_hint=last.setting_hint or _setting_hint(sentence.text))
            if last.start is None:
                episodes[-1] = replace(_apply_dates(last, course), order=sentence.order)
            elif last.end is None:
                ends = tuple(s for s in course if s.role == "until")
                episodes[-1] = replace(_apply_dates(last, ends), order=sentence.order)
    merged = _merge_undated(_concurrent_settings(episodes), progressed_at)
    return _maintenance_starts(_join_running(merged, progressed_at))


STOP_ROLES: tuple[DateRole, ...] = ("point", "from", "range")


def _stop_ends(episodes: list[Episode], sentence: Sentence) -> list[Episode]:
    """A dated stop of a drug that runs ends its episode: 'X was discontinued in May 2016
    because of neuropathy', 'on June 3, 2019, X was withdrawn'. The date is the stop
    clause's own (nearest to the drug), never before the episode's start; an episode with a
    printed end keeps it. A stop of part of a regimen ends only when it names every drug
    of the episode (one stopped, the rest go on)."""
    spans = sentence_dates(sentence)
    if not spans:
        return episodes
    stopped: dict[str, int] = {}
    for m in stopped_mentions(sentence):
        if isinstance(m.value, DrugValue):
            stopped.setdefault(m.value.drug, m.prov.char_start)
    out = list(episodes)
    for i in range(len(out) - 1, -1, -1):
        ep = out[i]
        named = ep.drug_names & stopped.keys()
        if not named:
            continue  # only the latest episode of a drug is the one that runs
        whole = ep.drug_names <= stopped.keys()
        span = nearest(spans, min(stopped[d] for d in named), STOP_ROLES)
        for d in named:
            stopped.pop(d)
        when = span.when if span else None
        if not whole or ep.end is not None or span is None or when is None:
            continue
        if ep.start is not None and when < ep.start:
            continue
        out[i] = replace(ep, end=when, end_precision=span.precision)
    return out


def _join_running(
    episodes: Sequence[Episode], progressed_at: frozenset[int] = frozenset()
) -> list[Episode]:
    """A later undated telling of drugs already given is the same exposure, however far on.

    'Chemotherapy with X was continued', 'he tolerated X well', 'further X was stopped':
    once X has an episode, naming it again opens nothing (OncologyRegimenFinder: a regimen
    is an exposure of its drugs, not a count of how often the text names them). The telling
    folds into the latest episode holding all its drugs, giving it what it lacks (doses,
    cycles, an end). It stays its own episode when it is a new course: told as one
    ('resumed', 'rechallenged with', 'again', 'second-line'), after progression (told so,
    or told after a progression the story reports since the earlier episode), with a
    printed start of its own, adding a drug, or a maintenance phase of an induction.
    """
    out: list[Episode] = []
    for ep in episodes:
        prev = next((p for p in reversed(out) if ep.drug_names <= p.drug_names), None)
        if prev is None:
            running = _running_split(out, ep, progressed_at)
            if running is None:
                out.append(ep)
            else:
                out = running
            continue
        if (
            ep.start is not None
            or ep.restart
            or ep.after_progression
            or ep.maintenance != prev.maintenance
            or _progressed_between(prev, ep, progressed_at)
        ):
            out.append(ep)
            continue
        at = out.index(prev)
        joined = _fill(prev, ep)
        if joined.end is None and ep.end is not None:
            joined = replace(joined, end=ep.end, end_precision=ep.end_precision)
        out[at] = joined
    return out


def _running_split(
    out: Sequence[Episode], ep: Episode, progressed_at: frozenset[int]
) -> list[Episode] | None:
    """A telling that names together drugs each of which is already running in an episode
    of its own is those episodes told again, not a new combination: 'two more cycles of X
    on Y' (X while on Y), 'she continued X along with Y'. Each drug folds into its own
    latest episode (the doses it lacks); the cycles counted are the first-named drug's ('N
    cycles of X on Y'), and the telling's regimen label is not carried, since it joins
    drugs the story started apart. Nothing folds when the telling is a new
    course (dated, restarted, after progression, maintenance), when one of the drugs has
    no episode yet, or when that episode has ended or a progression came since.
    """
    if (
        len(ep.drugs) < 2
        or ep.start is not None
        or ep.restart
        or ep.after_progression
        or ep.maintenance
    ):
        return None
    homes: dict[str, int] = {}
    for name in ep.drug_names:
        at = next((i for i in range(len(out) - 1, -1, -1) if name in out[i].drug_names), None)
        if at is None:
            return None
        home = out[at]
        if home.end is not None or home.maintenance or _progressed_between(home, ep, progressed_at):
            return None
        homes[name] = at
    folded = list(out)
    head = homes[ep.drugs[0].drug]
    for at in sorted(set(homes.values())):
        part = replace(
            ep,
            drugs=tuple(d for d in ep.drugs if homes[d.drug] == at),
            regimen=None,
            cycles=ep.cycles if at == head else None,
        )
        folded[at] = _fill(folded[at], part)
    return folded


def _maintenance_starts(episodes: Sequence[Episode]) -> tuple[Episode, ...]:
    """A maintenance phase whose start is not printed starts when the induction before it ended.

    'DH from May 24 to November 30, 2016, followed by trastuzumab maintenance until February
    23, 2017': maintenance is by definition what continues after induction, without a gap the
    text would have to tell (NCI Dictionary of Cancer Terms, 'maintenance therapy': 'treatment
    that is given to help keep cancer from coming back after it has disappeared following the
    initial therapy'). So an undated maintenance episode told right after (within MERGE_WINDOW
    sentences) an episode with a printed end takes that end as its start, with that end's
    precision. Nothing is inferred when the maintenance follows progression, when its own end
    comes before that date, or when the episode before has no printed end.
    """
    out = list(episodes)
    for i in range(1, len(out)):
        ep, prev = out[i], out[i - 1]
        if not ep.maintenance or ep.start is not None or ep.after_progression:
            continue
        if prev.end is None or ep.order - prev.order > MERGE_WINDOW:
            continue
        if ep.end is not None and ep.end < prev.end:
            continue
        out[i] = replace(ep, start=prev.end, start_precision=prev.end_precision)
    return tuple(out)


def to_exposures(episodes: Sequence[Episode]) -> tuple[DrugExposure, ...]:
    """One DrugExposure per drug and dose of each episode, episodes numbered in story order.

    A drug printed with several doses in one episode gives one exposure per dose, all with
    the same drug and episode (the line rules count drugs, not exposures); a drug printed
    without a dose gives one exposure without one.
    """
    out: list[DrugExposure] = []
    for number, ep in enumerate(episodes, start=1):
        for d in ep.drugs:
            # a dose word without an amount ('a loading dose') beside printed amounts adds
            # no row of its own
            amounts = tuple(x for x in d.doses if x.amount is not None)
            for dose in amounts or d.doses[:1] or (None,):
                out.append(
                    DrugExposure(
                        case_id=ep.case_id,
                        episode=number,
                        drug=d.drug,
                        drug_as_printed=d.drug_as_printed,
                        prov=d.prov,
                        drug_id=d.drug_id,
                        drug_class=d.drug_class,
                        regimen=ep.regimen,
                        start_date=ep.start,
                        start_precision=ep.start_precision,
                        end_date=ep.end,
                        end_precision=ep.end_precision,
                        dose_amount=dose.amount if dose else None,
                        dose_unit=dose.unit if dose else None,
                        schedule=dose.schedule if dose else None,
                        route=dose.route if dose else None,
                        cycles=ep.cycles,
                        setting_hint=ep.setting_hint,
                        maintenance=ep.maintenance,
                        after_progression=ep.after_progression,
                    )
                )
    return tuple(out)
