"""Generic tables of evidence-backed cells, so one template macro renders them all."""

from __future__ import annotations

from dataclasses import dataclass

from report.evidence import Cell


@dataclass(frozen=True)
class Table:
    key: str
    """HTML id of the section (also what tests look for)."""
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty_note: str
    """Shown instead of the table when it has no rows."""
