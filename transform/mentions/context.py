"""Negation and uncertainty of mentions, ConText-style (Harkema et al., J Biomed Inform 2009).

Trigger terms come from transform/mentions/patterns/context.jsonl: a pre-trigger ('refused',
'no evidence of', 'suspected') covers what follows it in the sentence, a post-trigger
('was refused', 'was ruled out') what precedes it, each up to a terminator ('but',
'however', ';') or MAX_SCOPE_TOKENS tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NEG_PRE = "NEG_PRE"
NEG_POST = "NEG_POST"
UNC_PRE = "UNC_PRE"
UNC_POST = "UNC_POST"
TERMINATE = "TERMINATE"
MAX_SCOPE_TOKENS = 8
"""ConText's scope ends at the sentence; a window keeps a trigger from reaching a later
clause that carries no terminator word ('refused X ... and enrolled in a study of Y')."""


@dataclass(frozen=True)
class Trigger:
    label: str
    start: int
    """Token offsets inside the sentence."""
    end: int


def _in_scope(trigger: Trigger, start: int, end: int, terminators: Sequence[Trigger]) -> bool:
    if trigger.label in (NEG_PRE, UNC_PRE):
        if start < trigger.end or start - trigger.end > MAX_SCOPE_TOKENS:
            return False
        return not any(trigger.end <= t.start < start for t in terminators)
    if end > trigger.start or trigger.start - end > MAX_SCOPE_TOKENS:
        return False
    return not any(end <= t.start < trigger.start for t in terminators)


def flags(start: int, end: int, triggers: Sequence[Trigger]) -> tuple[bool, bool]:
    """(negated, uncertain) of the token span [start, end) given the sentence's triggers."""
    terminators = [t for t in triggers if t.label == TERMINATE]
    negated = uncertain = False
    for trig in triggers:
        if trig.label == TERMINATE or (trig.start < end and start < trig.end):
            continue
        if _in_scope(trig, start, end, terminators):
            if trig.label in (NEG_PRE, NEG_POST):
                negated = True
            else:
                uncertain = True
    return negated, uncertain
