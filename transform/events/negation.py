"""Where a refusal or denial stops governing the drugs after it: at the clause.

ConText (Harkema et al., J Biomed Inform 2009) scopes a trigger to the end of the sentence
or a terminator word; the mention layer keeps a window of tokens. Both reach across a
comma into the next clause: 'Because she declined intravenous chemotherapy, oral
capecitabine was started' negates nothing that was started. The clause rule: a negation
cue governs a drug after it only up to a clause boundary (a comma, 'so', 'therefore',
'instead') behind which the drug's own clause starts something (a start verb). 'Instead of'
and 'rather than' negate what follows them, never what precedes. Pure over the sentence.
"""

from __future__ import annotations

import re

from transform.events import cue_words

_BOUNDARY = re.compile(r",|\bso\b|\btherefore\b|\binstead\b|\bthus\b", re.IGNORECASE)


def released_by_clause(text: str, cue_end: int, drug_start: int, clause_end: int) -> bool:
    """Does a clause boundary with its own start cue stand between the cue and the drug?"""
    for boundary in _BOUNDARY.finditer(text, cue_end, drug_start):
        if cue_words.has("treat_start", text, boundary.end(), clause_end):
            return True
    return False


def governing_cue_end(text: str, drug_start: int) -> int | None:
    """End of the last negation cue before the drug in the sentence, if there is one."""
    hits = [h for h in cue_words.find("negation", text, 0, drug_start) if h.end <= drug_start]
    return hits[-1].end if hits else None


def negation_released(text: str, drug_start: int, clause_end: int) -> bool:
    """A mention flagged negated that the clause rule frees: its last negation cue sits
    behind a clause boundary that starts something of its own. Without a known cue before
    it (the mention layer saw a trigger this layer does not know), the flag stands."""
    cue_end = governing_cue_end(text, drug_start)
    return cue_end is not None and released_by_clause(text, cue_end, drug_start, clause_end)


def forward_only(text: str, start: int, end: int) -> bool:
    """'instead of', 'rather than': cues that negate only what follows them."""
    return cue_words.has("negation_forward", text, start, end)
