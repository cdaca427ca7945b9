"""What an export wrote, as frozen records (the CLI prints them, manifest.json lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from export.types import RelationKind


@dataclass(frozen=True)
class ExportedFile:
    """One table (or view) written to one file, with its row count."""

    name: str
    kind: RelationKind
    file: str
    rows: int


@dataclass(frozen=True)
class SkippedCase:
    """A case the OMOP export leaves out, and why (PERSON.year_of_birth is required)."""

    doc_id: str
    case_id: int
    reason: str


@dataclass(frozen=True)
class ExportResult:
    out: Path
    files: tuple[ExportedFile, ...]
    pipeline_versions: tuple[str, ...]
    skipped: tuple[SkippedCase, ...] = ()

    def rows(self, name: str) -> int:
        """Row count of the exported table `name`."""
        for f in self.files:
            if f.name == name:
                return f.rows
        raise KeyError(name)
