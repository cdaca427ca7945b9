"""Which date a clause names, and what role it plays: a point, a period, its start or end.

"From May 24, 2016, to November 30, 2016" is a period; "until February 23, 2017" closes one;
"from June 11, 2014" opens one; "On March 19, 2020," is a point. The mention layer gives the
dates; here they get their role from the words in front of them, so the episode rules know
a start from an end and the event rules can refuse a treatment period as an event's date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

from transform.events import cue_words
from transform.events.story import Sentence
from transform.records import DateValue
from transform.types import DatePrecision

DateRole: TypeAlias = Literal["point", "range", "from", "until"]

LOOKBEHIND_CHARS = 24
"""How far before a date to look for 'from', 'until', 'to' (a few words)."""
RANGE_JOIN_MAX_CHARS = 12
"""Longest gap of ' to ', ' until ', ' - ' between two dates read as one period."""
CARRY_WINDOW = 2
"""A sentence without a date of its own takes the point date of the last dated sentence at
most this many sentences back ('A CT on May 16 showed ... The results indicated PD')."""

_FROM = re.compile(
    r"\b(?:from|since|starting(?: on| from)?|beginning(?: on)?|commencing)\s*$", re.I
)
_UNTIL = re.compile(r"\b(?:until|till|to|through|up to|ending(?: on)?)\s*$", re.I)
COMPLETION_LOOKBEHIND_CHARS = 80
"""'She completed one year of adjuvant trastuzumab in December 2013': the completion verb
may stand a few words before the date it closes."""
_COMPLETED = re.compile(
    r"\b(?:completed|completing|finished|concluded)\b[^,.;:()]*\b(?:in|on|by)\s*$", re.I
)
_JOIN = re.compile(r"^[\s,]*(?:to|until|till|through|-|–|—|and)[\s,]*$", re.I)


@dataclass(frozen=True)
class DatedSpan:
    """A date (or period) of a sentence with its role and position in the sentence."""

    role: DateRole
    char_start: int
    char_end: int
    start: date | None
    start_precision: DatePrecision | None
    end: date | None = None
    end_precision: DatePrecision | None = None

    @property
    def when(self) -> date | None:
        """The date an instant event gets from this span: the point, or the closing date."""
        return self.start if self.role in ("point", "range", "from") else self.end

    @property
    def precision(self) -> DatePrecision | None:
        return self.start_precision if self.start is not None else self.end_precision


def _role(text: str, start: int) -> DateRole:
    before = text[max(0, start - LOOKBEHIND_CHARS) : start]
    if _FROM.search(before):
        return "from"
    if _UNTIL.search(before):
        return "until"
    if _COMPLETED.search(text[max(0, start - COMPLETION_LOOKBEHIND_CHARS) : start]):
        return "until"
    return "point"


def sentence_dates(sentence: Sentence) -> tuple[DatedSpan, ...]:
    """The dated spans of a sentence in order, 'from X to Y' joined into one period."""
    raw: list[DatedSpan] = []
    for m in sentence.of_kind("date"):
        value = m.value
        if not isinstance(value, DateValue):
            continue
        cs, ce = m.prov.char_start, m.prov.char_end
        if value.end is not None:
            raw.append(
                DatedSpan(
                    "range",
                    cs,
                    ce,
                    value.value,
                    value.precision,
                    value.end,
                    value.end_precision or value.precision,
                )
            )
            continue
        role = _role(sentence.text, cs)
        if role == "until":
            raw.append(DatedSpan("until", cs, ce, None, None, value.value, value.precision))
        else:
            raw.append(DatedSpan(role, cs, ce, value.value, value.precision))
    return _join_periods(sentence.text, raw)


def _join_periods(text: str, spans: Sequence[DatedSpan]) -> tuple[DatedSpan, ...]:
    out: list[DatedSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.role in ("from", "point")
            and span.role == "until"
            and span.char_start - prev.char_end <= RANGE_JOIN_MAX_CHARS
            and _JOIN.match(text[prev.char_end : span.char_start])
        ):
            out[-1] = DatedSpan(
                "range",
                prev.char_start,
                span.char_end,
                prev.start,
                prev.start_precision,
                span.end,
                span.end_precision,
            )
            continue
        out.append(span)
    return tuple(out)


def nearest(
    spans: Sequence[DatedSpan], pos: int, roles: tuple[DateRole, ...] = ("point",)
) -> DatedSpan | None:
    """The span of an allowed role closest to character `pos` (ties go to the earlier one)."""
    best: DatedSpan | None = None
    best_gap = 0
    for span in spans:
        if span.role not in roles:
            continue
        gap = span.char_start - pos if span.char_start >= pos else max(0, pos - span.char_end)
        if best is None or gap < best_gap:
            best, best_gap = span, gap
    return best


def carried_point(
    history: Sequence[tuple[int, tuple[DatedSpan, ...]]], order: int, text: str = ""
) -> DatedSpan | None:
    """The point date a dateless sentence inherits from the story just before it.

    `history` holds (sentence order, spans) of earlier dated sentences of the same case. Only
    the most recent one counts, only within CARRY_WINDOW sentences, and only when it ends on a
    point date: after a period ('from A to B') the time of an undated remark is unknown.
    A sentence (`text`) that counts time from an anchor it does not date ('died after six
    months', 'two weeks later') inherits nothing: that time is not the date last printed
    (gold: only dates the article states).
    """
    if not history or cue_words.has("relative_time", text):
        return None
    last_order, spans = history[-1]
    if order - last_order > CARRY_WINDOW or not spans:
        return None
    tail = spans[-1]
    return tail if tail.role == "point" else None
