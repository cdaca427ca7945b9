"""Table cells tied to the sentences they came from.

Every value the report prints is a `Cell`: its text plus references into the page's
evidence list. One sentence backs many values, so an `EvidenceIndex` numbers each distinct
(page, sentence) once per page and hands out the same anchor every time it recurs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ANCHOR_PREFIX = "ev-"
NO_EVIDENCE_TITLE = "no evidence sentence recorded in the warehouse"


@dataclass(frozen=True)
class EvidenceRef:
    number: int
    page: int | None
    sentence: str

    @property
    def anchor(self) -> str:
        return f"{ANCHOR_PREFIX}{self.number}"

    @property
    def label(self) -> str:
        return f"p. {self.page}" if self.page is not None else "page unknown"


@dataclass(frozen=True)
class Cell:
    """One printed value; `text` None prints as a dash (no value, so nothing to back)."""

    text: str | None
    refs: tuple[EvidenceRef, ...] = ()
    curated: str | None = None
    """Why a researcher corrected the value (a 'curated' badge with it on hover)."""

    @property
    def title(self) -> str:
        """Tooltip: the evidence sentences themselves, so hovering shows the source."""
        if not self.refs:
            return NO_EVIDENCE_TITLE
        return "\n".join(f"{r.label}: {r.sentence}" for r in self.refs)


@dataclass
class EvidenceIndex:
    """The evidence list of one HTML page, numbered in order of first use."""

    _numbers: dict[tuple[int | None, str], EvidenceRef] = field(default_factory=dict)

    def ref(self, page: int | None, sentence: str | None) -> tuple[EvidenceRef, ...]:
        """The reference for one sentence; empty when the warehouse holds none."""
        if sentence is None or not sentence.strip():
            return ()
        key = (page, sentence)
        if key not in self._numbers:
            self._numbers[key] = EvidenceRef(len(self._numbers) + 1, page, sentence)
        return (self._numbers[key],)

    def refs(self, sources: Iterable[tuple[int | None, str | None]]) -> tuple[EvidenceRef, ...]:
        """References for several sentences, each once, in first-seen order."""
        seen: dict[int, EvidenceRef] = {}
        for page, sentence in sources:
            for r in self.ref(page, sentence):
                seen.setdefault(r.number, r)
        return tuple(seen.values())

    def cell(self, value: object, page: int | None, sentence: str | None) -> Cell:
        return Cell(fmt(value), self.ref(page, sentence))

    @property
    def entries(self) -> tuple[EvidenceRef, ...]:
        return tuple(sorted(self._numbers.values(), key=lambda r: r.number))


def fmt(value: object) -> str | None:
    """Display text of a warehouse value: floats without trailing zeros, lists joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or None
    return str(value)
