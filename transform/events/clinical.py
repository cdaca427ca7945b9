"""Dated clinical facts of one sentence: events, assessments, printed PFS, adverse events,
lesion measurements.

Each fact takes the date of its own clause when the sentence prints one, else the point
date the story just gave (timing.carried_point). Events refuse a treatment period as their
date ('from June 15 to April 11, X was given' does not date 'Because the CT showed PD').

In plain words, with the sources: docs/rules.md (CTCAE).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from transform.events import cue_words
from transform.events.anatomy import is_node_site
from transform.events.episodes import clause_at, clauses
from transform.events.story import Sentence
from transform.events.timing import DatedSpan, DateRole, nearest
from transform.records import (
    AdverseEvent,
    AdverseEventValue,
    Assessment,
    ClinicalEvent,
    DrugValue,
    LesionMeasurement,
    LesionValue,
    Mention,
    PfsValue,
    Provenance,
    ReportedPfs,
    ResponseValue,
)
from transform.types import DatePrecision, EventKind, Response

INSTANT: tuple[DateRole, ...] = ("point",)
PERIOD_OR_INSTANT: tuple[DateRole, ...] = ("point", "range", "from")
CUE_EVENT_KINDS: tuple[EventKind, ...] = (
    "surgery",
    "radiotherapy",
    "imaging",
    "pathology",
    "diagnosis",
    "metastasis",
    "recurrence",
    "progression",
    "death",
)
PERIOD_KINDS: frozenset[str] = frozenset({"surgery", "radiotherapy"})
"""Events that are themselves a course and may take a period's start as their date."""
UNDATED_KINDS: frozenset[str] = frozenset(
    {"metastasis", "recurrence", "progression", "death", "surgery"}
)
"""Events kept even without a date: the line rules place them by story order (an undated
resection still tells that treatment after it is adjuvant, lines.py rule 1)."""
CAPTION_KINDS: frozenset[str] = frozenset({"progression"})
"""Figure legends restate the story; only progression from them helps to close a line."""
MODALITIES: dict[str, str] = {
    "ct": "CT",
    "computed tomography": "CT",
    "mri": "MRI",
    "magnetic resonance": "MRI",
    "pet": "PET",
    "ect": "ECT",
    "ultrasound": "ultrasound",
    "ultrasonography": "ultrasound",
    "x-ray": "X-ray",
    "bone scan": "bone scan",
}
CAUSE_AFTER_CUE_CHARS = 20
"""How far after 'related to', 'after', 'during' the drug or therapy blamed may start."""
DEATH_CAUSE_CHARS = 40
"""How far before a progression 'died of' may stand for it to name the cause of death."""
CAUSE_NEAR_EVENT_CHARS = 80
"""How far from the adverse event the causal phrase may stand."""


_PANEL = re.compile(r"\(([A-Z](?:\s*[-–]\s*[A-Z])?)\)")
_MENTION_EVENT_KIND: dict[str, EventKind] = {"progression": "progression", "death": "death"}


@dataclass(frozen=True)
class Dating:
    """What the sentence's own dates are, and what the story before it lends it."""

    spans: tuple[DatedSpan, ...]
    carried: DatedSpan | None = None

    def at(
        self,
        pos: int,
        roles: tuple[DateRole, ...] = INSTANT,
        within: tuple[int, int] | None = None,
    ) -> tuple[date | None, DatePrecision | None]:
        """The date of what stands at `pos`: the nearest date of its own clause (`within`)
        when the clause prints one ('stable until progression on 4 May, and he died on
        9 June': the death is 9 June), else the nearest of the sentence, else the carried."""
        own = [s for s in self.spans if within and within[0] <= s.char_start < within[1]]
        span = nearest(own, pos, roles) if own else None
        span = span or nearest(self.spans, pos, roles)
        if span is None and not self.spans:
            span = self.carried  # a sentence dated by a period is not at the last point
        if span is None:
            return None, None
        return span.when, span.precision


def _prov(sentence: Sentence, start: int, end: int) -> Provenance:
    return Provenance(sentence.page, sentence.text, start, end, sentence.order)


def _negated_event(sentence: Sentence, pos: int) -> bool:
    clause = clause_at(clauses(sentence), pos)
    return clause is not None and cue_words.has("event_negation", sentence.text, clause.start, pos)


PROCEDURE_KINDS = ("surgery", "radiotherapy")
CONSIDERED_AFTER_CHARS = 30
"""How far after a procedure an option word still governs it ('surgery was considered')."""


def _only_considered(sentence: Sentence, start: int, end: int) -> bool:
    """A procedure named as an option, a consideration or a hypothesis ('a poor candidate for
    transplantation', 'resection was considered', 'whether radiotherapy could help') was not
    done: it is no surgery or radiotherapy event, so it makes no treatment adjuvant."""
    text = sentence.text
    for clause in clauses(sentence):
        if clause.start <= start < clause.end:
            before = any(
                cue_words.has(label, text, clause.start, start)
                for label in ("not_given", "hypothetical")
            )
            after_end = min(clause.end, end + CONSIDERED_AFTER_CHARS)
            return before or cue_words.has("not_given", text, end, after_end)
    return False


def modality_of(text: str) -> str | None:
    hit = cue_words.first("imaging", text)
    if hit is None:
        return None
    return MODALITIES.get(hit.text.lower(), hit.text)


def clinical_events(sentence: Sentence, dating: Dating) -> tuple[ClinicalEvent, ...]:
    """At most one event of each kind per sentence, from the cue words and the mentions."""
    text = sentence.text
    found: dict[EventKind, tuple[int, int, str]] = {}
    for kind in CUE_EVENT_KINDS:
        if sentence.caption is not None and kind not in CAPTION_KINDS:
            continue
        if kind == "progression" and defines_responses(sentence):
            continue
        for hit in cue_words.find(kind, text):
            if kind in PROCEDURE_KINDS and _only_considered(sentence, hit.start, hit.end):
                continue
            if not _negated_event(sentence, hit.start) and not _risk_object(text, hit.start):
                found.setdefault(kind, (hit.start, hit.end, hit.text))
                break
    for m in sentence.mentions:
        m_kind = _MENTION_EVENT_KIND.get(m.kind)
        if m.kind == "response" and isinstance(m.value, ResponseValue) and m.value.response == "PD":
            m_kind = None if defines_responses(sentence) else "progression"
        if (
            m_kind is not None
            and not m.negated
            and not m.uncertain
            and not _risk_object(text, m.prov.char_start)
        ):
            found.setdefault(m_kind, (m.prov.char_start, m.prov.char_end, m.text))
    progression = found.get("progression")
    if "death" in found and progression is not None and _cause_of_death(text, progression[0]):
        del found["progression"]
    events: list[ClinicalEvent] = []
    for kind, (start, end, cue) in found.items():
        roles = PERIOD_OR_INSTANT if kind in PERIOD_KINDS else INSTANT
        clause = next((c for c in clauses(sentence) if c.start <= start < c.end), None)
        within = (clause.start, clause.end) if clause else None
        when, precision = dating.at(start, roles, within)
        if when is None and kind not in UNDATED_KINDS:
            continue
        detail = modality_of(text) if kind == "imaging" else cue
        events.append(
            ClinicalEvent(
                case_id=sentence.case_id,
                kind=kind,
                event_date=when,
                prov=_prov(sentence, start, end),
                precision=precision,
                detail=detail,
            )
        )
    return tuple(events)


RISK_OBJECT_CHARS = 40
"""How far before an event word 'to reduce the risk of' may stand."""


def _risk_object(text: str, pos: int) -> bool:
    """'adjuvant gemcitabine to reduce the likelihood of recurrence', 'to delay progression':
    the event is what the treatment aims to prevent, not one that happened (ConText's
    hypothetical trigger class, Harkema et al. 2009)."""
    return cue_words.has("risk_object", text, max(0, pos - RISK_OBJECT_CHARS), pos)


def _cause_of_death(text: str, pos: int) -> bool:
    """'she died of progressive disease': the progression named is what she died of, so the
    event is the death (the PFS event of the line), not a progression found before it."""
    return cue_words.has("death_cause", text, max(0, pos - DEATH_CAUSE_CHARS), pos)


DEFINITION_MIN_CATEGORIES = 3
"""A sentence naming this many different response categories defines them."""


def defines_responses(sentence: Sentence) -> bool:
    """'Choi criteria ...: complete response, disappearance of all lesions; partial response,
    a decrease in size of 10% ...; stable disease, ...; progressive disease, ...': a sentence
    that names three or more different categories states the criteria (RECIST 1.1 section
    4.3, Choi, mRECIST all define CR, PR, SD and PD together), it assesses nothing, and its
    'progressive disease' is no progression."""
    found = {
        m.value.response
        for m in sentence.of_kind("response")
        if isinstance(m.value, ResponseValue) and not m.negated
    }
    return len(found) >= DEFINITION_MIN_CATEGORIES


def assessments(sentence: Sentence, dating: Dating) -> tuple[Assessment, ...]:
    out: list[Assessment] = []
    seen: set[str] = set()
    if defines_responses(sentence):
        return ()
    for m in sentence.of_kind("response"):
        value = m.value
        if not isinstance(value, ResponseValue) or m.negated or value.response in seen:
            continue
        seen.add(value.response)
        when, _ = dating.at(m.prov.char_start)
        if sentence.caption is not None and when is None:
            continue
        out.append(
            Assessment(
                case_id=sentence.case_id,
                assessed_on=when,
                response=value.response,
                prov=m.prov,
                modality=value.modality or modality_of(sentence.text),
                best=value.best,
            )
        )
    if not seen:
        out.extend(_measured_change(sentence, dating))
        seen.update(a.response for a in out)
    if "PD" not in seen:
        out.extend(_imaged_progression(sentence, dating))
    return tuple(out)


PR_DECREASE_PCT = 30
PD_INCREASE_PCT = 20
PD_MIN_INCREASE_CM = 0.5
"""RECIST 1.1 thresholds (Eisenhauer et al. 2009, section 4.3.1), as in timeline/recist.py
(the events layer may not import the timeline; a test keeps the two equal)."""
_FROM_TO = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_TO_BETWEEN = re.compile(r"^\W*(?:to|down to|up to)\W*$", re.IGNORECASE)


def size_change_response(before_cm: float, after_cm: float) -> Response:
    """RECIST 1.1 category of one lesion measured twice ('shrank from 3.0 to 1.1 cm'), the
    first size as baseline and nadir: CR when gone, PD at an increase of at least 20% that is
    also at least 5 mm, PR at a decrease of at least 30%, else SD. Sizes in hundredths of a
    cm, so the thresholds are exact."""
    before, after = round(before_cm * 100), round(after_cm * 100)
    grew = after - before
    if grew * 100 >= PD_INCREASE_PCT * before and grew >= round(PD_MIN_INCREASE_CM * 100):
        return "PD"
    if after == 0:
        return "CR"
    if (before - after) * 100 >= PR_DECREASE_PCT * before:
        return "PR"
    return "SD"


def _measured_change(sentence: Sentence, dating: Dating) -> tuple[Assessment, ...]:
    """'the lesion had diminished in size (from 3.0 by 2.6 cm to 1.1 by 0.8 cm)': two sizes
    of one lesion told as a change from one to the other are a response by RECIST 1.1's
    thresholds on the longest diameter (size_change_response). Words alone ('greatly
    diminished', 'shrank markedly') are no RECIST category: nothing is read from them."""
    text = sentence.text
    sizes = [
        m for m in sentence.of_kind("lesion") if isinstance(m.value, LesionValue) and not m.negated
    ]
    for first, second in pairwise(sizes):
        if not _FROM_TO.search(text, 0, first.prov.char_start):
            continue
        if not _TO_BETWEEN.match(text[first.prov.char_end : second.prov.char_start]):
            continue
        a, b = first.value, second.value
        assert isinstance(a, LesionValue) and isinstance(b, LesionValue)
        before = max(a.dim1_cm, a.dim2_cm or 0.0)
        after = max(b.dim1_cm, b.dim2_cm or 0.0)
        if before <= 0:
            continue
        when, _ = dating.at(first.prov.char_start)
        return (
            Assessment(
                case_id=sentence.case_id,
                assessed_on=when,
                response=size_change_response(before, after),
                prov=_prov(sentence, first.prov.char_start, second.prov.char_end),
                modality=modality_of(text),
            ),
        )
    return ()


def _imaged_progression(sentence: Sentence, dating: Dating) -> tuple[Assessment, ...]:
    """'Follow-up CT and PET scan showed progression of the metastases': a scan that finds
    progression is a PD assessment (RECIST 1.1 overall response PD), as much as 'PD' is."""
    text = sentence.text
    if sentence.caption is not None or modality_of(text) is None:
        return ()
    hit = next(
        (h for h in cue_words.find("progression", text) if not _negated_event(sentence, h.start)),
        None,
    )
    if hit is None:
        return ()
    when, _ = dating.at(hit.start)
    return (
        Assessment(
            case_id=sentence.case_id,
            assessed_on=when,
            response="PD",
            prov=_prov(sentence, hit.start, hit.end),
            modality=modality_of(text),
        ),
    )


def reported_pfs(sentence: Sentence, dating: Dating) -> tuple[ReportedPfs, ...]:
    """Printed PFS figures with the date the sentence says they ran to.

    The end is the date of the progression (or death) the sentence reports when it reports
    one ('on January 24, 2018, due to increased liver lesions, ... producing a PFS of 8.4
    months'), else the date printed closest before the figure ('until May 29, 2019,
    producing a PFS of ...'), else the point date the story just gave.
    """
    out: list[ReportedPfs] = []
    for m in sentence.of_kind("pfs"):
        if not isinstance(m.value, PfsValue) or m.negated:
            continue
        anchor = _event_anchor(sentence, m.prov.char_start)
        if anchor is not None:
            when, _ = dating.at(anchor)
        else:
            before = [s for s in dating.spans if s.char_end <= m.prov.char_start and s.when]
            when = before[-1].when if before else dating.at(m.prov.char_start)[0]
        out.append(ReportedPfs(sentence.case_id, m.value.months, m.prov, end_date=when))
    return tuple(out)


def _event_anchor(sentence: Sentence, before: int) -> int | None:
    """Position of the progression or death the sentence reports before `before`."""
    for label in ("progression", "death"):
        for hit in cue_words.find(label, sentence.text, 0, before):
            if not _negated_event(sentence, hit.start):
                return hit.start
    for m in sentence.of_kind("response", "progression", "death"):
        pd = isinstance(m.value, ResponseValue) and m.value.response == "PD"
        if (pd or m.kind != "response") and m.prov.char_start < before and not m.negated:
            return m.prov.char_start
    return None


def _blamed_drug(sentence: Sentence, pos: int) -> str | None:
    drugs = [m for m in sentence.of_kind("drug") if isinstance(m.value, DrugValue)]
    for cue in cue_words.find("causal", sentence.text):
        after = [m for m in drugs if 0 <= m.prov.char_start - cue.end <= CAUSE_AFTER_CUE_CHARS]
        if after and abs(cue.start - pos) <= CAUSE_NEAR_EVENT_CHARS:
            value = after[0].value
            assert isinstance(value, DrugValue)
            return value.drug
    names = {m.value.drug for m in drugs if isinstance(m.value, DrugValue)}
    return next(iter(names)) if len(names) == 1 else None


def blamed_class(text: str, pos: int) -> str | None:
    """The class of therapy an adverse event at `pos` is blamed on ('occurred after
    chemotherapy' -> 'chemotherapy'), from the therapy_class cue ids; the line rules turn it
    into the one drug of that class in the line (lines.py, rule 5)."""
    for cue in cue_words.find("causal", text):
        if abs(cue.start - pos) > CAUSE_NEAR_EVENT_CHARS:
            continue
        for hit in cue_words.find("therapy_class", text, cue.end):
            if hit.start - cue.end <= CAUSE_AFTER_CUE_CHARS:
                return hit.cue_id.rsplit(".", 1)[-1]
            break
    return None


_PHRASE_END = re.compile(r",|;|\s+and\s+|\s+but\s+|\.(?:\s|$)")


def _action(sentence: Sentence) -> str | None:
    """The phrase that says what was done about it ('apatinib was suspended for 1 week')."""
    text = sentence.text
    for clause in clauses(sentence):
        cue = cue_words.first("dose_action", text, clause.start, clause.end)
        if cue is None:
            continue
        head = max(clause.start, text.rfind(",", clause.start, cue.start) + 1)
        tail = _PHRASE_END.search(text, cue.end, clause.end)
        part = text[head : tail.start() if tail else clause.end].strip(" ,;.")
        return re.sub(r"^(?:and|but)\s+", "", part)
    return None


RESOLUTION_AFTER_CHARS = 40
"""How far after an adverse event 'improved', 'resolved' may stand to tell its end, at least;
the event's own clause reaches further ('anaemia and the other symptoms had improved')."""


_PHRASE_STOP = re.compile(r"[,;]")


def _resolution_end(sentence: Sentence, mention: Mention) -> int:
    """RESOLUTION_AFTER_CHARS, or further up to the end of the event's phrase (the next
    comma or the end of its clause) when no onset word comes first ('occurred')."""
    near = mention.prov.char_end + RESOLUTION_AFTER_CHARS
    text = sentence.text
    for clause in clauses(sentence):
        if clause.start <= mention.prov.char_start < clause.end:
            stop = _PHRASE_STOP.search(text, mention.prov.char_end, clause.end)
            end = stop.start() if stop else clause.end
            onset = cue_words.first("ae_onset", text, mention.prov.char_end, end)
            return max(near, onset.start if onset else end)
    return near


def _not_an_event(text: str, pos: int) -> bool:
    """A condition weighed in a differential diagnosis ('the differential diagnosis included
    X versus Y') did not happen to the patient, and one described in a resected or biopsied
    specimen ('microscopically, tumour cells with haemorrhage') is a feature of the tissue,
    and one a drug is given to prevent ('pegfilgrastim to prevent febrile neutropenia') did
    not happen: none is an adverse event (CTCAE v5 grades events the patient had)."""
    return (
        cue_words.has("differential", text, 0, pos)
        or cue_words.has("specimen_finding", text)
        or _risk_object(text, pos)
    )


def adverse_events(sentence: Sentence, dating: Dating) -> tuple[AdverseEvent, ...]:
    if sentence.caption is not None:
        return ()
    out: list[AdverseEvent] = []
    action = _action(sentence)
    for m in sentence.of_kind("adverse_event"):
        if not isinstance(m.value, AdverseEventValue) or m.negated:
            continue
        if _not_an_event(sentence.text, m.prov.char_start):
            continue
        if cue_words.has(
            "ae_resolution", sentence.text, m.prov.char_end, _resolution_end(sentence, m)
        ) and not cue_words.has("ae_onset", sentence.text, 0, m.prov.char_start):
            continue  # 'the hand-foot syndrome improved': its end, not a new event
        when, _ = dating.at(m.prov.char_start)
        out.append(
            AdverseEvent(
                case_id=sentence.case_id,
                event=m.value.event,
                prov=m.prov,
                grade=m.value.grade,
                drug=_blamed_drug(sentence, m.prov.char_start),
                onset_date=when,
                action=action,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Treated:
    """Where the story tells a treatment of the patient: sentence order, character offset,
    and whether it is a drug started (an episode) or an operation or radiotherapy course."""

    order: int
    char: int
    drug: bool


def treatments(
    story: Sequence[Sentence], drug_starts: Iterable[tuple[int, int]]
) -> tuple[Treated, ...]:
    """The drug starts given ((order, char) of each episode) and every surgery or
    radiotherapy cue of running text that no negation governs."""
    out = [Treated(order, char, True) for order, char in drug_starts]
    for sentence in story:
        if sentence.caption is not None:
            continue
        for label in ("surgery", "radiotherapy"):
            out.extend(
                Treated(sentence.order, hit.start, False)
                for hit in cue_words.find(label, sentence.text)
                if not _negated_event(sentence, hit.start)
            )
    return tuple(sorted(out, key=lambda t: (t.order, t.char)))


def _names_treatment(sentence: Sentence) -> bool:
    text = sentence.text
    if any(not m.negated for m in sentence.of_kind("drug", "regimen")):
        return True
    labels = ("therapy_class", "therapy_noun", "surgery", "radiotherapy", "treatment_context")
    return any(cue_words.has(label, text) for label in labels)


def is_presenting(event: AdverseEvent, sentence: Sentence, treated: Sequence[Treated]) -> bool:
    """A symptom the patient presented with, not an adverse event.

    CTCAE v5.0 defines an adverse event as an unfavourable sign, symptom or disease
    temporally associated with the use of a medical treatment or procedure. So:
    1. nothing treated the patient before it (no drug started, no operation or radiotherapy
       told earlier in the story or earlier in its sentence), and its sentence does not tie
       it to a treatment (a causal cue with a treatment named: 'after two cycles of X');
    2. or no drug has been started before its sentence, and the sentence tells a
       presentation ('presented with', 'complained of', 'admitted with') before it and names
       no treatment at all ('One year after the resection she presented with jaundice' names
       one; 'Two years later she presented with jaundice' does not).
    """
    pos = (event.prov.order, event.prov.char_start)
    before = [t for t in treated if (t.order, t.char) < pos]
    text = sentence.text
    names = _names_treatment(sentence)
    if not before and not (names and cue_words.has("causal", text)):
        return True
    drug_before = any(t.drug and t.order < event.prov.order for t in before)
    told = cue_words.has("presentation", text, 0, event.prov.char_start)
    return not drug_before and told and not names


def on_treatment(
    events: Sequence[AdverseEvent], story: Sequence[Sentence], treated: Sequence[Treated]
) -> tuple[AdverseEvent, ...]:
    """The adverse events that are not presenting symptoms (is_presenting), nor a presenting
    condition named again (restates_baseline)."""
    by_order = {s.order: s for s in story}
    out: list[AdverseEvent] = []
    baseline: set[str] = set()
    for e in sorted(events, key=lambda x: (x.prov.order, x.prov.char_start)):
        sentence = by_order.get(e.prov.order)
        if sentence is not None and is_presenting(e, sentence, treated):
            baseline.add(e.event)
            continue
        if sentence is not None and restates_baseline(e, sentence, baseline):
            continue
        out.append(e)
    return tuple(out)


def restates_baseline(event: AdverseEvent, sentence: Sentence, baseline: Collection[str]) -> bool:
    """A condition the patient presented with, named again after treatment began without
    being told as new or worse ('montmorillonite to control the diarrhoea' when chronic
    diarrhoea was a presenting complaint) is the baseline condition, not an adverse event:
    CTCAE v5.0 grades what is new or worsened after the treatment, and a baseline condition
    is not an event unless it worsens. It stays an event when the text grades it, blames a
    drug for it, or its clause tells an onset or a return ('developed', 'worsened', 'new',
    'recurred', 'again'; cues `ae_onset`, `ae_again`).
    """
    if event.event not in baseline or event.grade is not None or event.drug is not None:
        return False
    text = sentence.text
    clause = clause_at(clauses(sentence), event.prov.char_start)
    lo, hi = (clause.start, clause.end) if clause else (0, len(text))
    return not any(cue_words.has(label, text, lo, hi) for label in ("ae_onset", "ae_again"))


def is_baseline_size(sentence: Sentence, mention: Mention) -> bool:
    """'decreased from 3.0 x 2.6 cm to 1.1 x 0.8 cm': the 'from' size is the earlier time
    point (RECIST 1.1 compares each assessment with the baseline), measured before the date
    the sentence prints for the change, when a later size of the sentence follows it."""
    head = sentence.text[max(0, mention.prov.char_start - 25) : mention.prov.char_start]
    said_from = re.search(r"\bfrom\s+(?:approximately\s+|about\s+)?$", head, re.I) or re.search(
        r"\bfrom\b", mention.text, re.I
    )
    later = any(m.prov.char_start >= mention.prov.char_end for m in sentence.of_kind("lesion"))
    return bool(said_from) and later


OBJECT_REACH_CHARS = 40
"""How far from a size the noun it measures may stand ('a 66 x 150 mm aortic aneurysm',
'aneurysm of 66 x 150 mm')."""


def measures_other_object(text: str, start: int, end: int) -> bool:
    """Whether the size at text[start:end] measures something that is no tumour: an
    aneurysm, cyst, haematoma, abscess, thrombus, stone, effusion, or a benign growth
    (lipoma, adenoma) named next to it, with no tumour word (mass, nodule, metastasis) nearer.
    RECIST 1.1 measures tumour lesions only; an aortic aneurysm's size has no RECIST sum."""
    lo, hi = max(0, start - OBJECT_REACH_CHARS), min(len(text), end + OBJECT_REACH_CHARS)
    for cut in (text.rfind(";", lo, start), text.rfind(".", lo, start - 1)):
        lo = max(lo, cut + 1)

    def distance(h: cue_words.CueHit) -> int:
        return start - h.end if h.end <= start else h.start - end

    objects = [distance(h) for h in cue_words.find("non_tumour_object", text, lo, hi)]
    tumours = [distance(h) for h in cue_words.find("tumour_object", text, lo, hi)]
    return bool(objects) and (not tumours or min(objects) < min(tumours))


def lesions(sentence: Sentence, dating: Dating) -> tuple[LesionMeasurement, ...]:
    """Measured lesions; in running text only when the sentence itself is dated. A size that
    measures an aneurysm, cyst or other non-tumour object is none (measures_other_object)."""
    out: list[LesionMeasurement] = []
    for m in sentence.of_kind("lesion"):
        value = m.value
        if not isinstance(value, LesionValue):
            continue
        if measures_other_object(sentence.text, m.prov.char_start, m.prov.char_end):
            continue
        if sentence.caption is None:
            span = nearest(dating.spans, m.prov.char_start)
            when = span.when if span else None
            if when is None:
                continue
            if is_baseline_size(sentence, m):
                when = None  # measured before the printed date, on a day not printed
        else:
            before = [s for s in dating.spans if s.char_end <= m.prov.char_start and s.when]
            carried = dating.carried.when if dating.carried else None
            when = before[-1].when if before else carried
        out.append(
            LesionMeasurement(
                case_id=sentence.case_id,
                measured_on=when,
                site=value.site,
                dim1_cm=value.dim1_cm,
                prov=m.prov,
                dim2_cm=value.dim2_cm,
                lymph_node=is_node_site(value.site),
                figure=value.figure or sentence.figure,
                panel=value.panel or _panel_before(sentence.text, m.prov.char_start),
            )
        )
    return tuple(out)


def distinct_lesions(rows: Sequence[LesionMeasurement]) -> tuple[LesionMeasurement, ...]:
    """The case's measurements without an undated baseline size that restates a dated one
    told earlier ('a 3 cm mass' in March, then 'shrank from 3 cm to 1.5 cm' in June)."""
    out: list[LesionMeasurement] = []
    for row in rows:
        if (
            row.measured_on is None
            and row.figure is None
            and any(
                r.measured_on is not None and (r.dim1_cm, r.dim2_cm) == (row.dim1_cm, row.dim2_cm)
                for r in out
            )
        ):
            continue
        out.append(row)
    return tuple(out)


def _panel_before(text: str, pos: int) -> str | None:
    panels = _PANEL.findall(text, 0, pos)
    return re.sub(r"\s*[-–]\s*", "-", panels[-1]) if panels else None
