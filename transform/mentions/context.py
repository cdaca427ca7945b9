"""Negation and uncertainty of mentions, ConText-style (Harkema et al., J Biomed Inform 2009).

Trigger terms come from transform/mentions/patterns/context.jsonl: a pre-trigger ('refused',
'no evidence of', 'suspected') covers what follows it in the sentence, a post-trigger
('was refused', 'was ruled out') what precedes it, each up to a terminator ('but',
'however', ';') or MAX_SCOPE_TOKENS tokens.

Three more of ConText's devices, also data in context.jsonl:
- PSEUDO: a pseudo-trigger ('could not tolerate', 'poorly tolerated', 'not only') holds a
  trigger word but asserts; a trigger inside one is no trigger. Intolerance tells that the
  event happened (CTCAE v5: an adverse event is what the patient experienced).
- NEG_NP: 'instead of', 'rather than', 'in place of' negate the noun phrase after them, so
  their scope ends at the clause end (a CLAUSE_END, ',') as well as at a terminator.
- CLAUSE_OPEN: a fronted subordinate clause ('Because she declined X, Y was started') ends
  at its comma: a pre-trigger that a subordinator opens the clause of (no comma between
  them) governs nothing behind the next CLAUSE_END.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transform.mentions.patterns import PatternError, PatternRow

NEG_PRE = "NEG_PRE"
NEG_POST = "NEG_POST"
NEG_NP = "NEG_NP"
UNC_PRE = "UNC_PRE"
UNC_POST = "UNC_POST"
TERMINATE = "TERMINATE"
PSEUDO = "PSEUDO"
CLAUSE_OPEN = "CLAUSE_OPEN"
CLAUSE_END = "CLAUSE_END"
LABELS = frozenset(
    {NEG_PRE, NEG_POST, NEG_NP, UNC_PRE, UNC_POST, TERMINATE, PSEUDO, CLAUSE_OPEN, CLAUSE_END}
)
"""Every label context.jsonl may use (tests check the file against it)."""
_PRE = frozenset({NEG_PRE, NEG_NP, UNC_PRE})
_POST = frozenset({NEG_POST, UNC_POST})
_NEGATING = frozenset({NEG_PRE, NEG_POST, NEG_NP})
_SCOPED = _PRE | _POST
MAX_SCOPE_TOKENS = 8
"""ConText's scope ends at the sentence; a window keeps a trigger from reaching a later
clause that carries no terminator word ('refused X ... and enrolled in a study of Y')."""


@dataclass(frozen=True)
class Trigger:
    label: str
    start: int
    """Token offsets inside the sentence."""
    end: int


def check_labels(rows: Iterable[PatternRow]) -> None:
    """Fail at start-up on a context.jsonl row whose label flags() does not know."""
    for row in rows:
        if row.label not in LABELS:
            raise PatternError(f"context pattern {row.id!r}: unknown label {row.label!r}")


def _overlaps(a: Trigger, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def _inside_longer(t: Trigger, triggers: Sequence[Trigger]) -> bool:
    """A trigger inside a longer one is the longer one's word ('withheld' in 'X was
    withheld' is the post-trigger, not a pre-trigger reaching 'and Y was started');
    ConText matches the longest trigger."""
    return any(
        o is not t
        and o.start <= t.start
        and t.end <= o.end
        and (o.end - o.start) > (t.end - t.start)
        for o in triggers
        if o.label in _SCOPED
    )


def live_triggers(triggers: Sequence[Trigger]) -> tuple[Trigger, ...]:
    """The negation and uncertainty triggers that no pseudo-trigger and no longer trigger
    holds."""
    pseudo = [t for t in triggers if t.label == PSEUDO]
    return tuple(
        t
        for t in triggers
        if t.label in _SCOPED
        and not any(_overlaps(p, t.start, t.end) for p in pseudo)
        and not _inside_longer(t, triggers)
    )


def _scope_end(trigger: Trigger, triggers: Sequence[Trigger]) -> int | None:
    """Token where a pre-trigger's clause ends, if a clause rule ends it (NEG_NP, or a
    trigger inside a fronted subordinate clause); None: only the window and terminators."""
    ends = sorted(t.start for t in triggers if t.label == CLAUSE_END)
    after = [e for e in ends if e >= trigger.end]
    if not after:
        return None
    if trigger.label == NEG_NP:
        return after[0]
    for opener in (t for t in triggers if t.label == CLAUSE_OPEN and t.end <= trigger.start):
        if not any(opener.end <= e < trigger.start for e in ends):
            return after[0]
    return None


def _in_scope(trigger: Trigger, start: int, end: int, triggers: Sequence[Trigger]) -> bool:
    terminators = [t for t in triggers if t.label == TERMINATE]
    if trigger.label in _PRE:
        if start < trigger.end or start - trigger.end > MAX_SCOPE_TOKENS:
            return False
        clause_end = _scope_end(trigger, triggers)
        if clause_end is not None and start >= clause_end:
            return False
        return not any(trigger.end <= t.start < start for t in terminators)
    if end > trigger.start or trigger.start - end > MAX_SCOPE_TOKENS:
        return False
    return not any(end <= t.start < trigger.start for t in terminators)


def flags(
    start: int, end: int, triggers: Sequence[Trigger], live: Sequence[Trigger] | None = None
) -> tuple[bool, bool]:
    """(negated, uncertain) of the token span [start, end) given the sentence's triggers
    (`live`: live_triggers(triggers), when the caller worked it out once per sentence)."""
    negated = uncertain = False
    for trig in live_triggers(triggers) if live is None else live:
        if _overlaps(trig, start, end):
            continue
        if _in_scope(trig, start, end, triggers):
            if trig.label in _NEGATING:
                negated = True
            else:
                uncertain = True
    return negated, uncertain
