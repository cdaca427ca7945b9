"""Mentions of one document -> what happened to each patient, dated (docs/design.md).

For each case: who the patient is (caseinfo), the drugs started together (episodes), and the
dated clinical facts sentence by sentence (clinical). Only the case presentation and the
captions tied to a case speak about the patient (story.group_sentences). Pure over records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from extract.records import Document
from transform.events import cue_words
from transform.events.biomarkers import case_biomarkers
from transform.events.caseinfo import build_case_info
from transform.events.clinical import (
    Dating,
    adverse_events,
    assessments,
    clinical_events,
    distinct_lesions,
    lesions,
    on_treatment,
    reported_pfs,
    treatments,
)
from transform.events.dose_changes import dose_change_exposures
from transform.events.episodes import (
    Episode,
    build_episodes,
    stopped_mentions,
    to_exposures,
)
from transform.events.silent import silent_sentences
from transform.events.story import Sentence, case_ids, group_sentences
from transform.events.timing import DatedSpan, carried_point, nearest, sentence_dates
from transform.records import (
    AdverseEvent,
    Assessment,
    Biomarker,
    CaseEvents,
    ClinicalEvent,
    DrugValue,
    LesionMeasurement,
    Mention,
    Provenance,
    RegimenValue,
    ReportedPfs,
)

History = list[tuple[int, tuple[DatedSpan, ...]]]


def build_case_events(
    doc: Document, mentions: Sequence[Mention], sentences: Sequence[Sentence] | None = None
) -> tuple[CaseEvents, ...]:
    """One CaseEvents per patient of the document, in case order (`sentences`: what
    group_sentences(doc, mentions) gives, when the caller has it already)."""
    if sentences is None:
        sentences = group_sentences(doc, mentions)
    return tuple(
        _case_events(doc, case_id, [s for s in sentences if s.case_id == case_id])
        for case_id in case_ids(doc, mentions)
    )


def _dating(sentence: Sentence, body: History, captions: dict[int, History]) -> Dating:
    """The sentence's own dates, and the point date its neighbours lend it.

    A caption borrows only from earlier sentences of the same caption ('On May 16, 2017,
    before treatment. (A) liver lesion 4.1 x 3.0 cm'), however far back in it.
    """
    spans = sentence_dates(sentence)
    if sentence.caption is None:
        carried = carried_point(body, sentence.order, sentence.text)
    else:
        history = captions.get(sentence.caption, [])
        carried = carried_point(history[-1:], history[-1][0], sentence.text) if history else None
    return Dating(spans, carried)


def _case_events(doc: Document, case_id: int, story: Sequence[Sentence]) -> CaseEvents:
    body: History = []
    captions: dict[int, History] = {}
    events: list[ClinicalEvent] = []
    found_assessments: list[Assessment] = []
    pfs: list[ReportedPfs] = []
    aes: list[AdverseEvent] = []
    measured: list[LesionMeasurement] = []
    tested: list[Biomarker] = []
    before: Sentence | None = None
    for sentence in story:
        dating = _dating(sentence, body, captions)
        if not sentence.is_glossary:
            events.extend(clinical_events(sentence, dating))
            events.extend(_stops(sentence, dating))
            found_assessments.extend(assessments(sentence, dating))
            pfs.extend(reported_pfs(sentence, dating))
            aes.extend(adverse_events(sentence, dating))
            measured.extend(lesions(sentence, dating))
            if sentence.caption is None:
                told_before = before.text if before and before.order == sentence.order - 1 else ""
                tested.extend(case_biomarkers(sentence, dating, told_before))
        if sentence.caption is None:
            before = sentence
        if dating.spans:
            history = (
                body if sentence.caption is None else captions.setdefault(sentence.caption, [])
            )
            history.append((sentence.order, dating.spans))
    events.extend(_silent_onsets(doc, case_id, story, body))
    kept_events = _dedupe_events(events, story)
    progressed_at = frozenset(e.prov.order for e in kept_events if e.kind == "progression")
    episodes = _dated_by_radiotherapy(build_episodes(story, progressed_at), story, kept_events)
    drug_starts = [(d.prov.order, d.prov.char_start) for ep in episodes for d in ep.drugs]
    aes = list(dedupe_adverse_events(on_treatment(aes, story, treatments(story, drug_starts))))
    return CaseEvents(
        info=build_case_info(doc, case_id, story, kept_events),
        exposures=to_exposures(episodes) + dose_change_exposures(story, episodes),
        events=kept_events,
        assessments=_dedupe_assessments(found_assessments, story),
        reported_pfs=tuple(pfs),
        adverse_events=tuple(aes),
        lesions=distinct_lesions(measured),
        biomarkers=tuple(tested),
    )


def _dated_by_radiotherapy(
    episodes: Sequence[Episode], story: Sequence[Sentence], events: Sequence[ClinicalEvent]
) -> tuple[Episode, ...]:
    """'Oral apatinib combined with and following radiotherapy was prescribed': a drug given
    concurrently with radiotherapy, its own start unprinted, starts with the radiotherapy
    course told last before it (concurrent chemoradiotherapy starts both together)."""
    texts = {s.order: s.text for s in story}
    out: list[Episode] = []
    for ep in episodes:
        text = texts.get(ep.order, "")
        if ep.start is None and cue_words.has("with_radiotherapy", text):
            courses = [
                e
                for e in events
                if e.kind == "radiotherapy" and e.event_date and e.prov.order <= ep.order
            ]
            if courses:
                last = max(courses, key=lambda e: e.prov.order)
                ep = replace(ep, start=last.event_date, start_precision=last.precision)
        out.append(ep)
    return tuple(out)


def _silent_onsets(
    doc: Document, case_id: int, story: Sequence[Sentence], body: History
) -> tuple[ClinicalEvent, ...]:
    """Advanced disease told in sentences that carry no mention (silent.py): stage IV, M1,
    'metastatic <tumour>', distant-organ metastases, unresectable, extensive-stage (AJCC 8th
    ed.: stage IV is distant metastasis, M1; regional nodal spread is not). Dated by the
    point the story carries to the sentence, else placed by story order alone."""
    out: list[ClinicalEvent] = []
    for sentence in silent_sentences(doc, case_id, story):
        hits = cue_words.find("advanced_disease", sentence.text)
        hit = next(
            (h for h in hits if not cue_words.has("event_negation", sentence.text, 0, h.start)),
            None,
        )
        if hit is None:
            continue
        before = [h for h in body if h[0] < sentence.order]
        carried = carried_point(before, sentence.order, sentence.text)
        out.append(
            ClinicalEvent(
                case_id=case_id,
                kind="metastasis",
                event_date=carried.when if carried else None,
                prov=Provenance(sentence.page, sentence.text, hit.start, hit.end, sentence.order),
                precision=carried.precision if carried else None,
                detail=hit.text,
            )
        )
    return tuple(out)


def _stops(sentence: Sentence, dating: Dating) -> tuple[ClinicalEvent, ...]:
    """'DDP was suspended from August 2, 2013': a drug stopped, dated by its clause."""
    out: list[ClinicalEvent] = []
    seen: set[str] = set()
    for m in stopped_mentions(sentence):
        span = nearest(dating.spans, m.prov.char_start, ("point", "range", "from"))
        when = span.when if span else None
        name = m.value.drug if isinstance(m.value, DrugValue) else None
        if isinstance(m.value, RegimenValue):
            name = m.value.regimen
        if (name or m.text) in seen:
            continue
        seen.add(name or m.text)
        out.append(
            ClinicalEvent(
                case_id=sentence.case_id,
                kind="treatment_stop",
                event_date=when,
                prov=m.prov,
                precision=span.precision if span else None,
                detail=name or m.text,
            )
        )
    return tuple(out)


def _is_caption(prov: Provenance, story: Sequence[Sentence]) -> bool:
    return any(s.order == prov.order and s.caption is not None for s in story)


def _dedupe_events(
    events: Sequence[ClinicalEvent], story: Sequence[Sentence]
) -> tuple[ClinicalEvent, ...]:
    """One event per (kind, date): the running text's telling before the caption's."""
    ranked = sorted(events, key=lambda e: (_is_caption(e.prov, story), e.prov.order))
    seen: set[tuple[str, date, str]] = set()
    kept: list[ClinicalEvent] = []
    for event in ranked:
        if event.event_date is not None:
            detail = event.detail or "" if event.kind == "treatment_stop" else ""
            key = (event.kind, event.event_date, detail)
            if key in seen:
                continue
            seen.add(key)
        kept.append(event)
    return tuple(sorted(kept, key=lambda e: (e.prov.order, e.prov.char_start)))


def _retells(kept: AdverseEvent, later: AdverseEvent) -> bool:
    """Whether `later` tells `kept` again: the same event of the same patient, not dated apart
    (a hyperthyroidism named at onset, at its diagnosis and at its treatment)."""
    same = (kept.case_id, kept.event) == (later.case_id, later.event)
    dates = (kept.onset_date, later.onset_date)
    return same and (None in dates or dates[0] == dates[1])


def dedupe_adverse_events(events: Sequence[AdverseEvent]) -> tuple[AdverseEvent, ...]:
    """One row per adverse event, however often the story names it: the first telling is
    kept (its evidence sentence and onset date), and takes the grade, blamed drug and action
    that only a later telling prints. The same event on two printed dates is two events (a
    rash in each of two courses)."""
    kept: list[AdverseEvent] = []
    for event in sorted(events, key=lambda e: (e.prov.order, e.prov.char_start)):
        index = next((i for i, k in enumerate(kept) if _retells(k, event)), None)
        if index is None:
            kept.append(event)
            continue
        first = kept[index]
        kept[index] = replace(
            first,
            grade=first.grade if first.grade is not None else event.grade,
            drug=first.drug or event.drug,
            action=first.action or event.action,
        )
    return tuple(kept)


def _dedupe_assessments(
    found: Sequence[Assessment], story: Sequence[Sentence]
) -> tuple[Assessment, ...]:
    ranked = sorted(found, key=lambda a: (_is_caption(a.prov, story), a.prov.order))
    seen: set[tuple[date, str]] = set()
    kept: list[Assessment] = []
    for a in ranked:
        if a.assessed_on is not None:
            if (a.assessed_on, a.response) in seen:
                continue
            seen.add((a.assessed_on, a.response))
        kept.append(a)
    return tuple(sorted(kept, key=lambda a: (a.prov.order, a.prov.char_start)))


def has_oncology_content(case: CaseEvents) -> bool:
    """Whether the story is about a cancer of this patient at all (a COVID case report is
    not): its own text states a malignant neoplasm of the patient (caseinfo.malignancy).
    Responses, lesion sizes, 'recurrent' or 'stage IV' alone do not: stable heart failure,
    an aneurysm's size or chronic kidney disease stage IV are no cancer."""
    return case.info.malignancy is not None
