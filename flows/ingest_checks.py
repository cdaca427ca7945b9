"""What `caselines ingest` checks before it starts anything (no Prefect, no DuckDB): every
path exists, and which folders hold no PDF.

Why before: a mistyped path used to wait for Prefect's server (16-41 s) and was then stored
as an `ingest_failures` row; it is the user's typo, not a PDF that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.cli_common import CliError

PDF_SUFFIX = ".pdf"
"""As flows/discover.py takes them (not imported: it loads the warehouse modules)."""


class MissingPaths(CliError):
    """Some paths given to ingest do not exist."""


@dataclass(frozen=True)
class Inputs:
    pdfs: int
    """Files to consider: every PDF under the folders, plus every file named directly."""
    empty_folders: tuple[str, ...]
    """Folders given that hold no PDF at any depth."""


def _pdfs_under(folder: Path) -> int:
    return sum(1 for f in folder.rglob("*") if f.suffix.lower() == PDF_SUFFIX and f.is_file())


def check_inputs(paths: Sequence[str]) -> Inputs:
    """Inputs of an ingest, or MissingPaths naming every path that does not exist."""
    missing = [p for p in paths if not Path(p).expanduser().exists()]
    if missing:
        raise MissingPaths("no such file or folder: " + ", ".join(missing))
    total = 0
    empty: list[str] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            n = _pdfs_under(p)
            if n == 0:
                empty.append(raw)
            total += n
        else:
            total += 1
    return Inputs(total, tuple(empty))


@dataclass(frozen=True)
class Counts:
    """What `caselines ingest` reports, whether the flow ran or the pre-checks answered
    (kept here so that those answers do not import Prefect with flows.ingest)."""

    found: int
    new: int
    unchanged: int
    loaded: int
    lines: int
    drugs: int
    failures: tuple[FailureView, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures

    @classmethod
    def of(cls, summary: Any) -> Counts:
        """From flows.ingest.IngestSummary."""
        return cls(
            found=summary.found,
            new=summary.new,
            unchanged=summary.skipped,
            loaded=summary.loaded,
            lines=summary.lines,
            drugs=summary.drugs,
            failures=tuple(
                FailureView(f.path, f.stage, f.error, f.message) for f in summary.failures
            ),
            warnings=tuple(summary.warnings),
        )

    def as_json(self, db: str) -> dict[str, Any]:
        """The summary `ingest --json` prints."""
        return {
            "db": db,
            "found": self.found,
            "new": self.new,
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "lines_of_therapy": self.lines,
            "drugs": self.drugs,
            "ok": self.ok,
            "failures": [
                {"path": f.path, "stage": f.stage, "error": f.error, "reason": f.reason}
                for f in self.failures
            ],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class FailureView:
    path: str
    stage: str
    error: str
    reason: str
