"""Conservation over real PDFs: the share of each page's letters that reaches a block.

Reads every PDF under ../shared/dev (recursively) and ../shared/eval/maccrobat through
extract.pdf.read_document and compares, per page, the letters of the blocks with those of
pdfplumber's own extract_words and, as a second opinion from another parser, of pypdf's
text (a font pdfminer cannot decode loses text before pdfplumber sees it). Prints the worst
pages and exits non-zero when one keeps less than --min of its letters.

    .venv/bin/python -m eval.conservation [--worst N] [--min 0.98]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from eval.shared import DEV, EVAL, require
from extract.conservation import block_page_texts, measure
from extract.errors import ExtractError
from extract.pdf import read_document

FOLDERS = (DEV, EVAL / "maccrobat")
PYPDF_MIN_LETTERS = 50
"""Pages where pypdf reads fewer letters than this are too small to compare with it."""


@dataclass(frozen=True)
class Row:
    share: float
    pypdf_share: float
    name: str
    page: int
    letters: int
    first_lost: str


def _letters(text: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFKD", text) if c.isalnum())


def _pypdf_letters(path: Path) -> list[int]:
    try:
        return [_letters(p.extract_text() or "") for p in PdfReader(str(path)).pages]
    except Exception:  # a second opinion only; the stage's own errors are reported apart
        return []


def rows_for(path: Path) -> list[Row]:
    doc = read_document(path)
    kept = {
        page: sum(_letters(t) for t in texts)
        for page, texts in block_page_texts(doc.blocks).items()
    }
    other = _pypdf_letters(path)
    out = []
    for s in measure(path, doc):
        ref = other[s.page - 1] if s.page - 1 < len(other) else 0
        alt = min(1.0, kept.get(s.page, 0) / ref) if ref >= PYPDF_MIN_LETTERS else 1.0
        out.append(Row(s.share, alt, path.name, s.page, s.letters, s.first_lost))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--min", type=float, default=0.98, dest="min_share")
    args = ap.parse_args(argv)
    require()
    paths = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.rglob("*.pdf"))
    rows: list[Row] = []
    failed: list[str] = []
    for path in paths:
        try:
            rows.extend(rows_for(path))
        except ExtractError as err:
            failed.append(f"{path.name}: {err.code}: {err.reason}")
    rows.sort(key=lambda r: (min(r.share, r.pypdf_share), r.name, r.page))
    print(f"{len(paths)} PDFs, {len(rows)} pages; worst {args.worst} pages:")
    print(f"{'kept':>7} {'vs pypdf':>8}  page  letters  file | first lost line")
    for r in rows[: args.worst]:
        print(
            f"{r.share:7.1%} {r.pypdf_share:8.1%}  {r.page:4d}  {r.letters:7d}  {r.name}"
            f" | {r.first_lost[:70]}"
        )
    below = [r for r in rows if r.share < args.min_share]
    print(f"pages below {args.min_share:.0%} (vs pdfplumber): {len(below)}")
    print(
        f"pages below {args.min_share:.0%} (vs pypdf): "
        f"{sum(1 for r in rows if r.pypdf_share < args.min_share)}"
    )
    for line in failed:
        print(f"# not read: {line}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
