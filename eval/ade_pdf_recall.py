"""Drug and dose recall of the whole pipeline on ADE-Corpus-V2, through the PDFs and `mentions`.

ADE-Corpus-V2 (Gurulingappa et al., J Biomed Inform 2012) annotates drugs and doses in
sentences of PubMed case reports; ../shared/eval/ade/pdf/ holds one PDF per PubMed id that has
a drug-dose pair. This script ingests those PDFs with `caselines ingest` into a scratch
warehouse (or reuses one with --db) and counts an annotation as found when a mention of the
same document, of kind drug/regimen (drugs) or dose (doses), overlaps the annotated text in a
sentence that overlaps the annotated sentence. The corpus is read in place, never copied.

    .venv/bin/python eval/ade_pdf_recall.py [--ade DIR] [--db FILE] [--workers N] [--misses K]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from eval.shared import EVAL

DEFAULT_ADE = EVAL / "ade"
PMID_IN_NAME = re.compile(r"ade-(\d+)\.pdf$")
SENTENCE_OVERLAP = 0.6
"""Share of the annotated sentence's words the mention's sentence must hold (PDF text may
split or join sentences differently from the annotators)."""
NAMED_KINDS = ("drug", "regimen")
DRUG_KINDS = (*NAMED_KINDS, "drug_class")
"""ADE-Corpus-V2 annotates class words as drugs ('thiazide', 'glucocorticoids'); the pipeline
reports those as drug_class mentions (not exposures), which answer such an annotation. The
score is printed both ways: with drug_class mentions, and with drug and regimen ones only."""


@dataclass(frozen=True)
class Annotation:
    pmid: str
    sentence: str
    target: str


@dataclass(frozen=True)
class Found:
    text: str
    sentence_words: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower()))


def read_annotations(path: Path, column: int) -> list[Annotation]:
    """Column 2 is the dose (DRUG-DOSE) or adverse effect (DRUG-AE); 5 is the drug."""
    out = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) >= 8:
            out.append(Annotation(parts[0], parts[1], parts[column]))
    return out


def ingest(pdf_dir: Path, db: Path, workers: int) -> None:
    cmd = [
        sys.executable,
        "-m",
        "flows.cli",
        "ingest",
        str(pdf_dir),
        "--db",
        str(db),
        "--workers",
        str(workers),
    ]
    subprocess.run(cmd, check=False)


def mentions_by_pmid(db: Path) -> dict[tuple[str, str], list[Found]]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select d.path, m.kind, m.text, m.sentence from mentions m join documents d using (doc_id)"
    ).fetchall()
    con.close()
    out: dict[tuple[str, str], list[Found]] = defaultdict(list)
    for path, kind, text, sentence in rows:
        match = PMID_IN_NAME.search(path)
        if match:
            found = Found(text.lower(), _words(sentence))
            group = "drug" if kind in DRUG_KINDS else kind
            out[(match.group(1), group)].append(found)
            if kind in NAMED_KINDS:
                out[(match.group(1), "named")].append(found)
    return out


def is_found(a: Annotation, found: list[Found]) -> bool:
    target = a.target.lower()
    want = _words(a.sentence)
    for f in found:
        if not (target in f.text or f.text in target):
            continue
        if want and len(want & f.sentence_words) / len(want) >= SENTENCE_OVERLAP:
            return True
    return False


def recall(
    annotations: list[Annotation],
    found: dict[tuple[str, str], list[Found]],
    group: str,
    pmids: set[str],
) -> tuple[int, int, Counter[str]]:
    hits = total = 0
    misses: Counter[str] = Counter()
    seen: set[tuple[str, str, str]] = set()
    for a in annotations:
        key = (a.pmid, a.sentence, a.target.lower())
        if a.pmid not in pmids or key in seen:
            continue
        seen.add(key)
        total += 1
        if is_found(a, found.get((a.pmid, group), [])):
            hits += 1
        else:
            misses[a.target.lower()] += 1
    return hits, total, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ade", type=Path, default=DEFAULT_ADE)
    ap.add_argument("--db", type=Path, help="reuse (or create) this warehouse")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--misses", type=int, default=15)
    args = ap.parse_args(argv)
    pdf_dir = args.ade / "pdf"
    db = args.db or Path(tempfile.mkdtemp(prefix="ade-")) / "ade.duckdb"
    ingest(pdf_dir, db, args.workers)
    pmids = {m.group(1) for p in pdf_dir.iterdir() if (m := PMID_IN_NAME.search(p.name))}
    found = mentions_by_pmid(db)
    dose_rows = read_annotations(args.ade / "DRUG-DOSE.rel", 2)
    drug_rows = [
        Annotation(a.pmid, a.sentence, t)
        for a, t in (
            (a, a.target)
            for a in read_annotations(args.ade / "DRUG-DOSE.rel", 5)
            + read_annotations(args.ade / "DRUG-AE.rel", 5)
        )
    ]
    d_hits, d_total, d_miss = recall(drug_rows, found, "drug", pmids)
    n_hits, n_total, _ = recall(drug_rows, found, "named", pmids)
    s_hits, s_total, s_miss = recall(dose_rows, found, "dose", pmids)
    print(f"PDFs: {len(pmids)}; warehouse: {db}")
    print(f"drugs: {d_hits}/{d_total} = {d_hits / max(d_total, 1):.1%}")
    print(
        f"drugs by drug/regimen mentions only: {n_hits}/{n_total} = {n_hits / max(n_total, 1):.1%}"
    )
    print(f"doses: {s_hits}/{s_total} = {s_hits / max(s_total, 1):.1%}")
    print("most common missed drugs:", d_miss.most_common(args.misses))
    print("most common missed doses:", s_miss.most_common(args.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
