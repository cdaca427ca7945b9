"""Do the pdfium and pdfplumber backends give the same document? Per PDF, and the worst.

Reads every PDF of ../shared/dev (top level, hindawi/, robust/) and ../shared/eval/maccrobat
with both backends (extract.pdf.read_document) and prints, per PDF: the fraction of
pdfplumber's body tokens found in order in pdfium's body (tests/extract/golden.py), whether the
headings, captions, figure labels (turned text among them), patient segments and metadata are
identical, and both read times; then
the worst PDFs and the totals. A PDF is equivalent at >= EQUIVALENT with identical blocks.

    .venv/bin/python -m eval.backend_equivalence [--limit N] [--worst K]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from eval.shared import DEV, EVAL, require
from extract.errors import ExtractError
from extract.pdf import read_document
from extract.records import Document
from extract.types import PdfBackend
from tests.extract.golden import alignment

EQUIVALENT = 0.995
"""The bar of tests/extract/test_backends.py."""
NO_TIME_LIMIT_S = 1e9
"""A measurement, not a sandbox: a slow read on a busy machine must not count as a failure."""
MACCROBAT = EVAL / "maccrobat"


@dataclass(frozen=True)
class Outcome:
    path: Path
    share: float
    same_blocks: bool
    seconds: tuple[float, float]
    """pdfplumber, pdfium (CPU seconds of read_document)."""
    note: str = ""

    @property
    def equivalent(self) -> bool:
        return self.share >= EQUIVALENT and self.same_blocks


def _pdfs(limit: int) -> list[Path]:
    found = (
        sorted(DEV.glob("*.pdf")) + sorted(DEV.glob("*/*.pdf")) + sorted(MACCROBAT.glob("*.pdf"))
    )
    return found[:limit] if limit > 0 else found


def _blocks(doc: Document) -> tuple[object, ...]:
    return (
        [b.text for b in doc.blocks if b.kind == "heading"],
        [b.text for b in doc.captions()],
        [b.text for b in doc.blocks if b.kind == "figure"],
        [(c.case_id, c.heading) for c in doc.cases],
        doc.meta,
    )


def _read(path: Path, backend: PdfBackend) -> tuple[Document | ExtractError, float]:
    started = time.process_time()
    try:
        doc: Document | ExtractError = read_document(
            path, backend=backend, time_limit_s=NO_TIME_LIMIT_S
        )
    except ExtractError as exc:
        doc = exc
    return doc, time.process_time() - started


def compare(path: Path) -> Outcome:
    reference, t_ref = _read(path, "pdfplumber")
    fast, t_fast = _read(path, "pdfium")
    seconds = (t_ref, t_fast)
    if isinstance(reference, ExtractError) or isinstance(fast, ExtractError):
        same = type(reference) is type(fast)
        note = f"{type(reference).__name__} / {type(fast).__name__}"
        return Outcome(path, 1.0 if same else 0.0, same, seconds, note)
    body = " ".join(b.text for b in reference.body())
    share, where = alignment(body, " ".join(b.text for b in fast.body()))
    same = _blocks(reference) == _blocks(fast)
    return Outcome(path, share, same, seconds, "" if share >= EQUIVALENT else where[:160])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="only the first N PDFs")
    ap.add_argument("--worst", type=int, default=5, help="how many of the worst to list")
    args = ap.parse_args(argv)
    require(DEV)
    outcomes: list[Outcome] = []
    print("| pdf | tokens aligned | same blocks | pdfplumber s | pdfium s |")
    print("|---|---|---|---|---|")
    for path in _pdfs(args.limit):
        o = compare(path)
        outcomes.append(o)
        name = path.relative_to(path.parents[1])
        print(
            f"| {name} | {o.share:.4f} | {'yes' if o.same_blocks else 'NO'} "
            f"| {o.seconds[0]:.2f} | {o.seconds[1]:.2f} |{' ' + o.note if o.note else ''}",
            flush=True,
        )
    if not outcomes:
        print("no PDFs found")
        return 1
    worst = sorted(outcomes, key=lambda o: (o.equivalent, o.share))[: args.worst]
    print("\nworst:")
    for o in worst:
        print(f"  {o.path.name}: {o.share:.4f}, same blocks {o.same_blocks} {o.note}")
    n_eq = sum(o.equivalent for o in outcomes)
    t_ref = sum(o.seconds[0] for o in outcomes)
    t_fast = sum(o.seconds[1] for o in outcomes)
    print(
        f"\n{n_eq} of {len(outcomes)} PDFs equivalent (>= {EQUIVALENT} of the tokens, same "
        f"blocks); read_document CPU {t_ref:.1f} s with pdfplumber, {t_fast:.1f} s with pdfium "
        f"(ratio {t_fast / max(t_ref, 1e-9):.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
