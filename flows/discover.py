"""Find the PDFs to ingest and hash them (plain functions; the flow wraps them in tasks)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from load import Failure

PDF_SUFFIX = ".pdf"
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class PdfFile:
    path: str
    """Absolute path."""
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(paths: Iterable[str]) -> tuple[list[Path], list[Failure]]:
    found: list[Path] = []
    failures: list[Failure] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == PDF_SUFFIX)
            )
        elif p.is_file():
            found.append(p)
        else:
            failures.append(
                Failure(str(p), None, "discover", "not_found", f"no such file or folder: {p}")
            )
    return found, failures


def discover(paths: Iterable[str]) -> tuple[list[PdfFile], list[Failure]]:
    """PDF files under `paths` (files or folders, recursively), de-duplicated by content."""
    files, failures = _candidates(paths)
    seen: set[str] = set()
    out: list[PdfFile] = []
    for f in files:
        resolved = f.resolve()
        try:
            sha = sha256_of(resolved)
            size = resolved.stat().st_size
        except OSError as exc:
            failures.append(Failure(str(resolved), None, "discover", "unreadable", str(exc)))
            continue
        if sha in seen:
            continue
        seen.add(sha)
        out.append(PdfFile(str(resolved), sha, size))
    return out, failures
