"""Dose changes are dated dose rows of the exposure they change.

'The dose of sorafenib was escalated to 800 mg per day in August 2006' or 'reduced to 37.5 mg
daily for grade 3 hand-foot skin reaction' starts nothing new: the drug keeps its episode
(and so its line, lines.py rule 3), and the new dose becomes one more DrugExposure row of
that episode, dated by its own clause (CTCAE v5 dose modifications are changes of the
running treatment, not new regimens). The drug is the one the sentence names, else the one
the dose is tied to, else the single drug of the episode told last. Pure over the story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from transform.events import cue_words
from transform.events.episodes import Episode, sentence_episodes, stated_dose, to_exposures
from transform.events.story import Sentence
from transform.events.timing import DateRole, nearest, sentence_dates
from transform.records import DoseValue, DrugExposure, DrugValue
from transform.types import is_radiation_unit

CUE_TO_DOSE_CHARS = 3
"""The dose follows 'to' at once (one space, maybe an opening parenthesis)."""
DATE_ROLES: tuple[DateRole, ...] = ("point", "from", "range")


def _changed_to(text: str, dose_start: int) -> bool:
    """'reduced to 37.5 mg': the dose is what the change cue's 'to' leads to, right after it
    ('decreased tolerance to chemotherapy' changes no dose)."""
    return any(
        0 <= dose_start - hit.end <= CUE_TO_DOSE_CHARS
        for hit in cue_words.find("dose_change", text, 0, dose_start)
    )


def _states_doses(text: str) -> bool:
    return cue_words.has("dose_change", text) or cue_words.has("dose_statement", text)


def _target(sentence: Sentence, dose: DoseValue, told: Sequence[Episode]) -> str | None:
    named = [m.value.drug for m in sentence.of_kind("drug") if isinstance(m.value, DrugValue)]
    known = {d for ep in told for d in ep.drug_names}
    for drug in [dose.drug, *named]:
        if drug is not None and drug in known:
            return drug
    if not named and dose.drug is None and told and len(told[-1].drugs) == 1:
        return told[-1].drugs[0].drug
    return None


def dose_change_exposures(
    story: Sequence[Sentence], episodes: Sequence[Episode]
) -> tuple[DrugExposure, ...]:
    """One exposure row per changed dose, in the episode of the drug it changes."""
    base = to_exposures(episodes)
    out: list[DrugExposure] = []
    for sentence in story:
        if sentence.caption is not None or sentence.is_glossary:
            continue
        if not _states_doses(sentence.text):
            continue
        # a drug the sentence itself starts has its dose there; another one's change stands
        # ('X was reduced to 60 mg, and Y was added')
        started = {d for ep in sentence_episodes(sentence) for d in ep.drug_names}
        told = [
            ep
            for ep in episodes
            if ep.order < sentence.order or (ep.order == sentence.order and not ep.dose_told)
        ]
        spans = sentence_dates(sentence)
        for m in sentence.of_kind("dose"):
            if not isinstance(m.value, DoseValue) or is_radiation_unit(m.value.unit):
                continue  # '64 Gy in 30 fractions' doses the radiotherapy, not the drug
            if not (
                _changed_to(sentence.text, m.prov.char_start)
                or stated_dose(sentence.text, m.prov.char_start)
            ):
                continue
            drug = _target(sentence, m.value, told)
            if drug is None or drug in started:
                continue
            number = max(
                (
                    i
                    for i, ep in enumerate(episodes, start=1)
                    if ep in told and drug in ep.drug_names
                ),
                default=None,
            )
            rows = [e for e in base if e.episode == number and e.drug == drug]
            if not rows or any(
                (r.dose_amount, r.dose_unit, r.schedule)
                == (m.value.amount, m.value.unit, m.value.schedule)
                for r in rows
            ):
                continue  # no such exposure, or the dose it already has, told again
            row = rows[0]
            span = nearest(spans, m.prov.char_start, DATE_ROLES)
            when = span.when if span else None
            if when is not None and row.start_date is not None and when < row.start_date:
                continue  # dated before the drug started: not a change of this exposure
            out.append(
                replace(
                    row,
                    prov=m.prov,
                    dose_amount=m.value.amount,
                    dose_unit=m.value.unit,
                    schedule=m.value.schedule,
                    route=m.value.route or row.route,
                    start_date=span.when if span else None,
                    start_precision=span.precision if span else None,
                    end_date=None,
                    end_precision=None,
                )
            )
    return tuple(out)
