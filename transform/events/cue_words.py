"""Cue words of the event rules, read from transform/patterns/{event,case}_cues.jsonl.

The cues are data, not code: each line is {"label", "pattern", "id"} where `pattern` is a
Python regular expression matched case-insensitively (a scoped `(?-i:...)` makes part of it
case-sensitive, e.g. 'PD' or 'CT'). The event rules work on the sentences the mention layer
already split and carry, so plain regular expressions suffice here and no spaCy is needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from transform.events.cue_gates import Literals, fold, may_match, required_literals

CUE_FILES: tuple[str, ...] = (
    "event_cues.jsonl",
    "case_cues.jsonl",
    "ae_cues.jsonl",
    "biomarker_cues.jsonl",
)


@dataclass(frozen=True)
class CueHit:
    label: str
    cue_id: str
    start: int
    end: int
    text: str
    groups: tuple[str | None, ...] = ()


Cue = tuple[str, re.Pattern[str], Literals | None]
"""(id, regex, the literals one of which each of its matches holds: cue_gates)."""


@cache
def _compiled() -> dict[str, tuple[Cue, ...]]:
    """label -> ((id, regex, literals), ...), loaded once per process from the package data."""
    table: dict[str, list[Cue]] = {}
    folder = resources.files("transform.events") / "patterns"
    for name in CUE_FILES:
        for raw in (folder / name).read_text(encoding="utf-8").splitlines():
            if not raw.strip():
                continue
            row = json.loads(raw)
            regex = re.compile(row["pattern"], re.IGNORECASE)
            gate = required_literals(row["pattern"], re.IGNORECASE)
            table.setdefault(row["label"], []).append((row["id"], regex, gate))
    return {label: tuple(rows) for label, rows in table.items()}


def labels() -> frozenset[str]:
    return frozenset(_compiled())


FIND_MEMO = 8192
"""Cue searches remembered: the event rules ask the same (label, sentence, span) again from
several places (two in five searches of an article repeat one), and the answer is a tuple
of frozen hits."""


def find(label: str, text: str, start: int = 0, end: int | None = None) -> tuple[CueHit, ...]:
    """Every match of the `label` cues inside text[start:end], sorted by position."""
    return _find(label, text, start, len(text) if end is None else end)


@lru_cache(maxsize=FIND_MEMO)
def _find(label: str, text: str, start: int, stop: int) -> tuple[CueHit, ...]:
    hits: list[CueHit] = []
    folded, part = _folded(text)[start:stop], text[start:stop]
    for cue_id, regex, gate in _compiled()[label]:
        if not may_match(gate, folded, part):
            continue
        for m in regex.finditer(text, start, stop):
            hits.append(CueHit(label, cue_id, m.start(), m.end(), m.group(0), m.groups()))
    hits.sort(key=lambda h: (h.start, -h.end))
    return tuple(hits)


FOLD_MEMO = 256
"""Folded sentences remembered: the rules ask one sentence for many labels in a row."""


@lru_cache(maxsize=FOLD_MEMO)
def _folded(text: str) -> str:
    return fold(text)


def has(label: str, text: str, start: int = 0, end: int | None = None) -> bool:
    return any(_iter(label, text, start, len(text) if end is None else end))


def _iter(label: str, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    folded, part = _folded(text)[start:end], text[start:end]
    for _cue_id, regex, gate in _compiled()[label]:
        if not may_match(gate, folded, part):
            continue
        match = regex.search(text, start, end)
        if match:
            yield match


def first(label: str, text: str, start: int = 0, end: int | None = None) -> CueHit | None:
    hits = find(label, text, start, end)
    return hits[0] if hits else None
