"""spaCy rule patterns as shipped data: one {"label", "pattern", "id"} object per line.

Each file is one family (doses, dates, responses, clinical, biomarkers, context). They are
read with importlib.resources so they ship inside the package, and validated on load so a
typo fails loudly at start-up rather than silently matching nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PATTERN_PACKAGE = "transform.mentions.patterns"
MENTION_FAMILIES = ("doses", "dates", "responses", "clinical", "biomarkers")
CONTEXT_FAMILY = "context"
REQUIRED_KEYS = frozenset({"label", "pattern", "id"})


class PatternError(ValueError):
    """A shipped pattern file is malformed."""


@dataclass(frozen=True)
class PatternRow:
    label: str
    pattern: list[dict[str, Any]] | str
    id: str

    def as_ruler_pattern(self) -> dict[str, Any]:
        return {"label": self.label, "pattern": self.pattern, "id": self.id}


def _validate(obj: Any, where: str) -> PatternRow:
    if not isinstance(obj, dict) or set(obj) != REQUIRED_KEYS:
        raise PatternError(f"{where}: expected keys {sorted(REQUIRED_KEYS)}, got {obj!r}")
    label, pattern, pid = obj["label"], obj["pattern"], obj["id"]
    if not isinstance(label, str) or not label or not isinstance(pid, str) or not pid:
        raise PatternError(f"{where}: label and id must be non-empty strings")
    if isinstance(pattern, str):
        if not pattern.strip():
            raise PatternError(f"{where}: empty phrase pattern")
    elif not (isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern)):
        raise PatternError(f"{where}: pattern must be a phrase or a list of token dicts")
    return PatternRow(label, pattern, pid)


@cache
def load_patterns(family: str) -> tuple[PatternRow, ...]:
    """Rows of `<family>.jsonl`, validated; ids must be unique within the file."""
    name = f"{family}.jsonl"
    try:
        text = resources.files(PATTERN_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PatternError(f"no pattern file {name}") from exc
    rows: list[PatternRow] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{where}: invalid JSON: {exc.msg}") from exc
        row = _validate(obj, where)
        if row.id in seen:
            raise PatternError(f"{where}: duplicate id {row.id!r}")
        seen.add(row.id)
        rows.append(row)
    return tuple(rows)
