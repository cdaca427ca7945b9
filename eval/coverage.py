"""Every antineoplastic drug named in a case presentation, accounted for, over every shared corpus.

Reads each PDF of the shared corpora (MACCROBAT 102, ADE 168, robust 52, Hindawi 12, the gold
PDFs; a PDF in two of them counts once, under the first), runs the whole transform stage and
prints, from its drug_mention_dispositions (docs/coverage.md):

- per corpus: the antineoplastic drug mentions of the case presentations, how many became
  exposures (or name a drug the patient was given), how many carry a reason they did not,
  and how many are left unexplained (types.UNEXPLAINED_REASONS: the pipeline's misses);
- the counts by reason;
- every unexplained one, by document and sentence.

A MACCROBAT report that classes.tsv (by hand) says is about a cancer and gives an anticancer
drug cannot honestly lose its drugs to 'case_without_cancer': there that reason counts as
unexplained too (the case was lost, not the drug explained).

Reading ~350 PDFs is the slow part, so each PDF's extracted Document is cached by the PDF's
SHA-256 and the extract package's source (--cache; a change to extract/ reads again). The
transform always runs fresh. --json writes the unexplained list, to compare two runs.

    .venv/bin/python -m eval coverage
    .venv/bin/python -m eval.coverage [--corpus maccrobat] [--workers 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eval.gold_harness.sources import sources
from eval.shared import DEV, EVAL, GOLD, ROOT, require
from extract.pdf import read_document
from extract.records import Document
from transform.pipeline import transform_document
from transform.records import DrugMentionDisposition
from transform.types import DISPOSITION_REASONS, UNEXPLAINED_REASONS

DEFAULT_CACHE = Path(
    os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"), "caselines", "eval-documents"
)
SENTENCE_CHARS = 220
"""How much of an unexplained mention's sentence is printed."""
ROLE = "antineoplastic"
CLASSES_TSV = EVAL / "maccrobat" / "classes.tsv"
LOST_CASE = "case_without_cancer"


def treated_cancer_reports(path: Path = CLASSES_TSV) -> frozenset[str]:
    """Report names (mac-<PMID>) classes.tsv marks as a cancer (or unclear: AL amyloidosis
    treated as myeloma) given an anticancer drug."""
    if not path.is_file():
        return frozenset()
    out: set[str] = set()
    for row in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) >= 3 and parts[1] in ("yes", "unclear") and parts[2] == "yes":
            out.add(parts[0])
    return frozenset(out)


def corpora() -> dict[str, list[Path]]:
    """corpus name -> its PDFs, in name order; a PDF already listed under an earlier corpus
    is left out of a later one (the gold PDFs are mostly MACCROBAT and Hindawi ones)."""
    raw = {
        "maccrobat": sorted((EVAL / "maccrobat").glob("*.pdf")),
        "ade": sorted((EVAL / "ade" / "pdf").glob("*.pdf")),
        "robust": sorted((DEV / "robust").glob("*.pdf")),
        "hindawi": sorted((DEV / "hindawi").glob("*.pdf")),
        "gold": [s.pdf for s in sources(GOLD)],
    }
    seen: set[Path] = set()
    out: dict[str, list[Path]] = {}
    for name, paths in raw.items():
        out[name] = [p for p in paths if p.resolve() not in seen and p.is_file()]
        seen.update(p.resolve() for p in out[name])
    return out


@cache
def _extract_version() -> str:
    """A digest of the extract package's source: a cached Document is valid while it holds."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "extract").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_document(path: Path, cache_dir: Path | None) -> Document:
    """The PDF's Document, from the cache when it holds one for these bytes and this extract."""
    if cache_dir is None:
        return read_document(path)
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    file = cache_dir / f"{key}-{_extract_version()}.pickle"
    if file.is_file():
        with file.open("rb") as fh:
            doc: Document = pickle.load(fh)
        return doc
    doc = read_document(path)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(doc, fh)
    tmp.replace(file)
    return doc


@dataclass(frozen=True)
class DocResult:
    corpus: str
    name: str
    dispositions: tuple[DrugMentionDisposition, ...] = ()
    error: str | None = None


def account(corpus: str, path: Path, cache_dir: Path | None) -> DocResult:
    """One PDF read and transformed; a PDF that cannot be read is a one-line error, kept."""
    try:
        ext = transform_document(cached_document(path, cache_dir))
    except Exception as exc:  # the robustness corpus holds broken PDFs on purpose
        return DocResult(corpus, path.name, error=f"{type(exc).__name__}: {exc}".splitlines()[0])
    return DocResult(corpus, path.name, ext.dispositions)


def _run(jobs: Sequence[tuple[str, Path]], cache_dir: Path | None, workers: int) -> list[DocResult]:
    if workers <= 1:
        return [account(c, p, cache_dir) for c, p in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(account, c, p, cache_dir) for c, p in jobs]
        return [f.result() for f in futures]


def is_miss(d: DrugMentionDisposition, doc: str, treated: frozenset[str]) -> bool:
    """The pipeline's miss: an unexplained reason, or a treated cancer's case lost."""
    lost = d.reason == LOST_CASE and Path(doc).stem in treated
    return d.reason in UNEXPLAINED_REASONS or lost


def unexplained(result: DocResult, treated: frozenset[str]) -> list[DrugMentionDisposition]:
    return [d for d in result.dispositions if d.role == ROLE and is_miss(d, result.name, treated)]


def _mentions(results: Iterable[DocResult]) -> list[DrugMentionDisposition]:
    """The antineoplastic dispositions, one per mention and drug."""
    return [d for r in results for d in r.dispositions if d.role == ROLE]


def report(
    results: Sequence[DocResult], names: Sequence[str], treated: frozenset[str]
) -> list[str]:
    """The printed tables, as lines."""
    out = [
        "# antineoplastic drug mentions of the case presentations",
        f"{'corpus':<10} {'pdfs':>5} {'failed':>6} {'mentions':>8} {'given':>6} "
        f"{'reason':>6} {'unexplained':>11}",
    ]
    for name in [*names, "all"]:
        mine = [r for r in results if name in (r.corpus, "all")]
        found = _mentions(mine)
        given = sum(d.disposition == "given" for d in found)
        missed = sum(len(unexplained(r, treated)) for r in mine)
        out.append(
            f"{name:<10} {len(mine):>5} {sum(r.error is not None for r in mine):>6} "
            f"{len(found):>8} {given:>6} {len(found) - given - missed:>6} {missed:>11}"
        )
    counts: Counter[str] = Counter(d.reason for d in _mentions(results))
    out += ["", "# by reason (antineoplastic mentions, all corpora)"]
    out += [f"{reason:<20} {counts[reason]:>6}" for reason in DISPOSITION_REASONS]
    lost = sum(d.reason == LOST_CASE for r in results for d in unexplained(r, treated))
    out.append(f"(of {LOST_CASE}: {lost} in reports classes.tsv says treat a cancer)")
    out += ["", "# unexplained antineoplastic mentions, by document and sentence"]
    for r in results:
        for d in unexplained(r, treated):
            sentence = " ".join(d.prov.sentence.split())
            if len(sentence) > SENTENCE_CHARS:
                sentence = sentence[:SENTENCE_CHARS] + "..."
            out.append(
                f"{r.corpus}/{r.name} case {d.case_id} p.{d.prov.page} s.{d.prov.order}: "
                f"{d.drug} ('{d.drug_as_printed}') [{d.reason}]"
            )
            out.append(f"    {sentence}")
    out += ["", f"# antineoplastic drugs of cases judged without cancer ({LOST_CASE}): lost cases?"]
    for r in results:
        drugs = sorted({d.drug for d in r.dispositions if d.role == ROLE and d.reason == LOST_CASE})
        if drugs:
            out.append(f"{r.corpus}/{r.name}: {', '.join(drugs)}")
    failed = [r for r in results if r.error]
    if failed:
        out += ["", f"# not read ({len(failed)})"]
        out += [f"{r.corpus}/{r.name}: {r.error}" for r in failed]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", action="append", help="only these corpora (repeatable)")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="Document cache folder")
    ap.add_argument("--no-cache", action="store_true", help="read every PDF again")
    ap.add_argument("--json", type=Path, help="write the unexplained mentions as JSON")
    args = ap.parse_args(argv)
    require()
    chosen = corpora()
    if args.corpus:
        unknown = sorted(set(args.corpus) - set(chosen))
        if unknown:
            ap.error(f"unknown corpus {', '.join(unknown)}; known: {', '.join(chosen)}")
        chosen = {k: v for k, v in chosen.items() if k in args.corpus}
    jobs = [(name, p) for name, paths in chosen.items() for p in paths]
    results = _run(jobs, None if args.no_cache else args.cache, args.workers)
    treated = treated_cancer_reports()
    print("\n".join(report(results, list(chosen), treated)))
    if args.json:
        rows = [
            {
                "doc": f"{r.corpus}/{r.name}",
                "case": d.case_id,
                "drug": d.drug,
                "printed": d.drug_as_printed,
                "reason": d.reason,
                "sentence": d.prov.sentence,
            }
            for r in results
            for d in unexplained(r, treated)
        ]
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
