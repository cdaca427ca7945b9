"""Orchestration benchmark (not part of the test suite): `make bench` or
`python bench/run.py [--n 200] [--mem-small 10] [--mem-large 1000]`.

Builds a corpus of N PDFs (the corpus, the dev PDFs, their metadata-changed variants so the
SHA-256 differs) and prints one table of ratios against the targets. Each measurement runs
in a fresh process so that peak memory (ru_maxrss) belongs to that measurement alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "corpus",
    ROOT / "tests" / "fixtures",
    ROOT / "tests" / "fixtures" / "robust",
]


@dataclass(frozen=True)
class Row:
    measure: str
    value: float
    target: str
    detail: str


def build_corpus(folder: Path, n: int) -> list[Path]:
    """n PDFs: the real ones first, then variants with changed metadata (new SHA-256)."""
    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    originals = sorted(p for src in SOURCES for p in src.glob("*.pdf"))
    out: list[Path] = []
    for i in range(n):
        src = originals[i % len(originals)]
        dest = folder / f"{i:04d}-{src.name}"
        if i < len(originals):
            shutil.copy(src, dest)
        else:
            writer = PdfWriter(clone_from=PdfReader(src))
            writer.add_metadata({"/Subject": f"caselines bench variant {i}"})
            with dest.open("wb") as fh:
                writer.write(fh)
        out.append(dest)
    return out


# --- phases, each run in its own process -------------------------------------------------


def _peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def phase_flow(corpus: str, db: str, workers: int) -> dict[str, float]:
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    from flows.ingest import ingest_flow

    started = time.perf_counter()
    summary = ingest_flow(paths=[corpus], db=db, workers=workers)
    wall = time.perf_counter() - started
    me, kids = _peak_mb()
    return {"wall": wall, "loaded": summary.loaded, "failed": summary.failed,
            "skipped": summary.skipped, "rss_flow_mb": me, "rss_worker_mb": kids}  # fmt: skip


def phase_direct(corpus: str, db: str) -> dict[str, float]:
    """The same work without Prefect or worker processes: stages called in a loop."""
    import load
    from extract.pdf import read_document
    from flows.discover import discover
    from flows.settings import (
        DEFAULT_LOAD_BATCH,
        DEFAULT_MAX_PAGES,
        DEFAULT_TIME_LIMIT_S,
        PIPELINE_VERSION,
    )
    from transform.mentions.lexicon import get_lexicon
    from transform.pipeline import transform_document

    get_lexicon()  # warm, as the flow's workers are before their first PDF
    started = time.perf_counter()
    files, _ = discover([corpus])
    con = load.connect(db)
    loaded = 0
    batch = []
    for pdf in files:
        try:
            doc = read_document(pdf.path, time_limit_s=DEFAULT_TIME_LIMIT_S,
                                max_pages=DEFAULT_MAX_PAGES)  # fmt: skip
            batch.append(transform_document(doc))
        except Exception:  # the flow records these; here they only cost time
            continue
        if len(batch) >= DEFAULT_LOAD_BATCH:
            loaded += len(batch) - len(load.load_extractions(con, batch, PIPELINE_VERSION))
            batch = []
    if batch:
        loaded += len(batch) - len(load.load_extractions(con, batch, PIPELINE_VERSION))
    con.close()
    return {"wall": time.perf_counter() - started, "loaded": loaded}


def phase_cli(corpus: str, db: str) -> dict[str, float]:
    """`caselines ingest` end to end, as a user types it (Python start-up included)."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "ingest", corpus, "--db", db],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    return {"wall": time.perf_counter() - started, "exit": out.returncode,
            "nothing_new": float("nothing new" in out.stdout)}  # fmt: skip


def phase_bare(corpus: str) -> dict[str, float]:
    import pdfplumber

    started = time.perf_counter()
    n = 0
    for path in sorted(Path(corpus).glob("*.pdf")):
        try:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_words()
            n += 1
        except Exception:
            continue
    return {"wall": time.perf_counter() - started, "n": n}


def run_phase(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", *args],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--mem-small", type=int, default=10)
    ap.add_argument("--mem-large", type=int, default=1000)
    ap.add_argument("--phase", nargs="*")
    args = ap.parse_args()
    if args.phase:
        name, *rest = args.phase
        phases: dict[str, Callable[..., dict[str, float]]] = {
            "flow": phase_flow,
            "direct": phase_direct,
            "bare": phase_bare,
            "cli": phase_cli,
        }
        fn = phases[name]
        typed = [int(x) if x.isdigit() else x for x in rest]
        print(json.dumps(fn(*typed)))
        return

    os.environ.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "caselines-bench"))
    work = Path(tempfile.mkdtemp(prefix="caselines-bench-"))
    corpus = work / "corpus"
    build_corpus(corpus, args.n)
    db = lambda name: str(work / f"{name}.duckdb")  # noqa: E731
    run_phase("flow", str(corpus), db("warmup"), "1")  # Prefect's first-run DB creation

    bare = run_phase("bare", str(corpus))
    direct = run_phase("direct", str(corpus), db("direct"))
    one = run_phase("flow", str(corpus), db("w1"), "1")
    two = run_phase("flow", str(corpus), db("w2"), "2")
    rerun = run_phase("flow", str(corpus), db("w1"), "1")
    cli_rerun = run_phase("cli", str(corpus), db("w1"))
    small, large = work / "small", work / "large"
    build_corpus(small, args.mem_small)
    build_corpus(large, args.mem_large)
    mem_small = run_phase("flow", str(small), db("small"), "2")
    mem_large = run_phase("flow", str(large), db("large"), "2")

    n = args.n
    rows = [
        Row("ingest per PDF / bare extract_words", one["wall"] / bare["wall"], "<= 1.5",
            f"{one['wall'] / n:.2f} s vs {bare['wall'] / n:.2f} s per PDF"),
        Row("Prefect flow / stages called directly", one["wall"] / direct["wall"], "<= 1.10",
            f"{one['wall']:.1f} s vs {direct['wall']:.1f} s"),
        Row("throughput 2 workers / 1 worker", one["wall"] / two["wall"], ">= 1.7",
            f"{one['wall']:.1f} s vs {two['wall']:.1f} s"),
        Row("re-run unchanged (`caselines ingest`) / first run", cli_rerun["wall"] / one["wall"],
            "< 0.03", f"{cli_rerun['wall']:.1f} s vs {one['wall']:.1f} s, nothing new: "
            f"{bool(cli_rerun['nothing_new'])}"),
        Row("re-run unchanged (the flow itself) / first run", rerun["wall"] / one["wall"], "-",
            f"{rerun['wall']:.1f} s vs {one['wall']:.1f} s, {rerun['skipped']:.0f} skipped"),
        Row(f"peak flow RSS {args.mem_large} / {args.mem_small} PDFs",
            mem_large["rss_flow_mb"] / mem_small["rss_flow_mb"], "<= 1.2",
            f"{mem_large['rss_flow_mb']:.0f} MB vs {mem_small['rss_flow_mb']:.0f} MB; "
            f"workers {mem_large['rss_worker_mb']:.0f} vs {mem_small['rss_worker_mb']:.0f} MB"),
    ]  # fmt: skip
    print(f"\ncorpus: {n} PDFs ({one['loaded']:.0f} loaded, {one['failed']:.0f} failed), "
          f"{os.cpu_count()} CPUs\n")  # fmt: skip
    print("| measure | ratio | target | detail |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r.measure} | {r.value:.2f} | {r.target} | {r.detail} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
