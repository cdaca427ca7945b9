"""Precision of drug mentions on real case reports, for a reader to judge.

Reads the development PDFs (../shared/dev/*.pdf) and a sample of the robustness
corpus (../shared/dev/robust/*.pdf) through extract.pdf.read_document and
transform.mentions.mentions.extract_mentions, and prints every distinct drug mention as
'printed text -> canonical drug' with its count and the documents it came from, so that
a reader can mark the ones that are not drugs. There is no gold: the output is the
measure. --json writes the same table as JSON (to compare two runs with --compare).

    .venv/bin/python eval/drug_precision.py [--sample N] [--json OUT] [--compare OLD.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from eval.shared import DEV as SHARED_DEV
from extract.pdf import read_document
from transform.mentions.mentions import extract_mentions
from transform.records import DrugValue

DEV = SHARED_DEV


def _pdfs(dev: Path, sample: int) -> list[Path]:
    """Every top-level dev PDF and every k-th robust PDF (about `sample` of them, in order)."""
    top = sorted(dev.glob("*.pdf"))
    robust = sorted((dev / "robust").glob("*.pdf"))
    if sample <= 0 or sample >= len(robust):
        return top + robust
    step = len(robust) / sample
    return top + [robust[int(i * step)] for i in range(sample)]


def collect(paths: list[Path]) -> dict[str, dict[str, object]]:
    """'text -> drug' -> {'count': n, 'docs': [file names]} over the drug mentions."""
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        try:
            document = read_document(path)
        except Exception as exc:  # a crash-test corpus: report and go on
            print(f"# {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        for m in extract_mentions(document):
            if m.kind != "drug" or not isinstance(m.value, DrugValue):
                continue
            key = f"{m.text.lower()} -> {m.value.drug}"
            counts[key] += 1
            docs[key].add(path.stem)
    return {k: {"count": counts[k], "docs": sorted(docs[k])} for k in sorted(counts)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--sample", type=int, default=20, help="robust PDFs to read (0: all)")
    ap.add_argument("--json", type=Path, help="write the table as JSON")
    ap.add_argument("--compare", type=Path, help="a previous --json: print what went/came")
    args = ap.parse_args(argv)
    paths = _pdfs(args.dev, args.sample)
    table = collect(paths)
    print(f"# {len(paths)} PDFs, {len(table)} distinct drug mentions (text -> drug)")
    for key, row in table.items():
        docs = row["docs"]
        assert isinstance(docs, list)
        more = " ..." if len(docs) > 4 else ""
        print(f"{row['count']:4d}  {key}    [{', '.join(docs[:4])}{more}]")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1, sort_keys=True), "utf-8")
    if args.compare:
        old = json.loads(args.compare.read_text("utf-8"))
        gone = sorted(set(old) - set(table))
        came = sorted(set(table) - set(old))
        print(f"\n# removed ({len(gone)}):")
        for key in gone:
            print(f"  - {key}  ({old[key]['count']})")
        print(f"# added ({len(came)}):")
        for key in came:
            print(f"  + {key}  ({table[key]['count']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
