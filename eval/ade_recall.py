"""Recall of the mention layer on the ADE corpus (Gurulingappa et al., JBI 2012).

Reads ../shared/eval/ade/DRUG-DOSE.rel (and DRUG-AE.rel for drugs), runs each annotated
sentence through extract_mentions as a one-block Document, and prints the share of
annotated drugs and doses found (a found mention overlapping the annotated span counts).
The corpus is read in place, never copied into the repository.

    .venv/bin/python eval/ade_recall.py [--ade DIR] [--limit N] [--misses K]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from eval.shared import EVAL
from extract.records import Block, Document, DocumentMeta
from transform.mentions.mentions import extract_mentions

DEFAULT_ADE = EVAL / "ade"
BOX = (0.0, 0.0, 0.0, 0.0)


def _rows(path: Path) -> list[tuple[str, str, str]]:
    """(sentence, dose-or-effect, drug) per relation line."""
    out = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) >= 8:
            out.append((parts[1], parts[2], parts[5]))
    return out


def _found(sentence: str) -> tuple[list[str], list[str]]:
    doc = Document("ade", "ade", DocumentMeta(), (Block(sentence, "body", 1, BOX, "body", None),))
    mentions = extract_mentions(doc)
    drugs = [m.text.lower() for m in mentions if m.kind in ("drug", "regimen")]
    doses = [m.text.lower() for m in mentions if m.kind == "dose"]
    return drugs, doses


def _hit(target: str, found: list[str]) -> bool:
    t = target.lower()
    return any(t in f or f in t for f in found)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ade", type=Path, default=DEFAULT_ADE)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences of each file")
    ap.add_argument("--misses", type=int, default=15, help="print the K most common misses")
    args = ap.parse_args(argv)
    dose_rows = _rows(args.ade / "DRUG-DOSE.rel")
    ae_rows = _rows(args.ade / "DRUG-AE.rel")
    if args.limit:
        dose_rows, ae_rows = dose_rows[: args.limit], ae_rows[: args.limit]
    cache: dict[str, tuple[list[str], list[str]]] = {}
    drug_hits = drug_total = dose_hits = 0
    drug_miss: Counter[str] = Counter()
    dose_miss: Counter[str] = Counter()
    for sentence, _, _ in dose_rows + ae_rows:
        if sentence not in cache:
            cache[sentence] = _found(sentence)
    for sentence, dose, _drug in dose_rows:
        drugs, doses = cache[sentence]
        dose_hits += _hit(dose, doses)
        if not _hit(dose, doses):
            dose_miss[dose.lower()] += 1
    for sentence, _, drug in dose_rows + ae_rows:
        drugs, _ = cache[sentence]
        drug_total += 1
        if _hit(drug, drugs):
            drug_hits += 1
        else:
            drug_miss[drug.lower()] += 1
    print(f"sentences: {len(cache)}")
    print(f"drugs: {drug_hits}/{drug_total} = {drug_hits / max(drug_total, 1):.1%}")
    print(f"doses: {dose_hits}/{len(dose_rows)} = {dose_hits / max(len(dose_rows), 1):.1%}")
    print("most common drug misses:", drug_miss.most_common(args.misses))
    print("most common dose misses:", dose_miss.most_common(args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
