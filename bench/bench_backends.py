"""The pdfium backend against pdfplumber and against `pdftotext -layout`, and where time goes.

Rows (one run, ratios; CPU seconds of this process unless said otherwise):
- words: the backend alone (characters -> words of every page), pdfium / pdfplumber;
- extract: read_document (words + layout + blocks + sections), pdfium / pdfplumber (goal <= 0.15);
- transform / extract with pdfium, the same PDFs, after a first ingest warmed the lexicon,
  spaCy and the matchers' memos as a long-lived worker has them (goal <= 1);
- extract with the default backend (pdfium) + transform / `pdftotext -layout` (goal <= 5):
  RATIO_ROUNDS rounds, each one pass of read_document + transform (warm) over all the PDFs
  and one of pdftotext back to back; the median round (on a shared machine one pass of
  either side varies by a quarter from run to run; a round's two passes see the same load);
- ingest per PDF with pdfium (read_document + transform + one batched load into a scratch
  DuckDB) / `pdftotext -layout` on the same PDFs, both CPU seconds (the machine is shared; the
  subprocesses' CPU from getrusage), one pass each at different moments, so no goal of its
  own (the interleaved row above carries the goal); the pdftotext rows are skipped with a
  message when poppler's pdftotext is not installed;
- a cProfile of that ingest, its time grouped by where it is spent;
- the CPU seconds of each stage on its own: the pdfium words, the shared layout
  (words -> Document, `build_document` on words read beforehand) and the transform (warm),
  these two the least of STAGE_PASSES passes.

    .venv/bin/python bench/bench_backends.py [--n 22] [--top 12]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTRACT_GOAL = 0.15
INGEST_GOAL = 5.0
TRANSFORM_GOAL = 1.0
"""Issue 25: the transform stage no slower than the pdfium extraction of the same PDFs."""
BUCKETS: list[tuple[str, tuple[str, ...]]] = [
    ("extract: pdfium characters -> words", ("words_pdfium", "extract/chars", "pypdfium2")),
    ("extract: layout, blocks, sections", ("/extract/",)),
    ("transform: spaCy", ("spacy", "thinc", "srsly", "cymem", "preshed")),
    ("transform: rule matching (transform/mentions/nlp.py)", ("transform/mentions/nlp",)),
    ("transform: events, lines, PFS", ("transform/events", "transform/timeline")),
    ("transform: other rules", ("/transform/", "dateparser", "dateutil", "/regex/")),
    ("load: DuckDB", ("/load/", "duckdb", "pandas", "pyarrow")),
    ("builtins (re, min, sorted, ... called by all stages)", ("~",)),
]
"""Profile buckets: the first whose marker is in a function's file name takes its time."""


def corpus(n: int) -> list[Path]:
    """The seed, the two fixture articles, then robust fixtures: n PDFs in a fixed order."""
    fixtures = ROOT / "tests" / "fixtures"
    paths = [
        ROOT / "corpus" / "tcr-22-2483.pdf",
        *sorted(fixtures.glob("*.pdf")),
        *sorted((fixtures / "robust").glob("*.pdf")),
    ]
    return paths[:n]


def _cpu(fn: object, paths: list[Path]) -> float:
    started = time.process_time()
    for p in paths:
        try:
            fn(p)  # type: ignore[operator]
        except Exception as exc:  # a crash-test PDF costs what it costs
            print(f"# {p.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return time.process_time() - started


def words_times(paths: list[Path]) -> tuple[float, float]:
    from extract import pdf, words_pdfium

    def plumber(p: Path) -> None:
        pdf._read_pages(p.read_bytes(), time.monotonic(), 1e9, 10**6)

    def pdfium(p: Path) -> None:
        words_pdfium.read_pages(p.read_bytes(), time.monotonic(), 1e9, 10**6)

    return _cpu(plumber, paths), _cpu(pdfium, paths)


STAGE_PASSES = 3
"""The stage table keeps the least CPU time of this many passes: on a shared machine a pass
that another job slowed says nothing about the code."""


def stage_times(paths: list[Path]) -> tuple[float, float]:
    """CPU seconds of the shared layout alone (build_document over the pdfium words of every
    PDF, read beforehand: what both backends run after their words) and of the transform
    alone (warm, each pass forgetting the last one's cue searches), least of STAGE_PASSES."""
    from extract import words_pdfium
    from extract.document import build_document
    from transform.pipeline import transform_document

    read = []
    for p in paths:
        try:
            pages, metadata = words_pdfium.read_pages(p.read_bytes(), time.monotonic(), 1e9, 10**6)
        except Exception:
            continue
        if any(page.words for page in pages):
            read.append((p, pages, metadata))
    docs = [build_document("bench", str(p), pages, metadata) for p, pages, metadata in read]
    for doc in docs:
        transform_document(doc)
    layout = transform = float("inf")
    for _ in range(STAGE_PASSES):
        started = time.process_time()
        for p, pages, metadata in read:
            build_document("bench", str(p), pages, metadata)
        layout = min(layout, time.process_time() - started)
        forget_sentences()
        started = time.process_time()
        for doc in docs:
            transform_document(doc)
        transform = min(transform, time.process_time() - started)
    return layout, transform


def extract_times(paths: list[Path]) -> tuple[float, float]:
    from extract.pdf import read_document

    return (
        _cpu(lambda p: read_document(p, backend="pdfplumber"), paths),
        _cpu(lambda p: read_document(p, backend="pdfium"), paths),
    )


@dataclass(frozen=True)
class IngestTimes:
    """CPU seconds of each stage of an ingest of the same PDFs."""

    extract: float
    transform: float
    load: float

    @property
    def total(self) -> float:
        return self.extract + self.transform + self.load


def ingest(paths: list[Path], db: Path) -> IngestTimes:
    """read_document (pdfium) + transform of every PDF, then one batched load, CPU seconds."""
    import load
    from extract.pdf import read_document
    from flows.settings import pipeline_version
    from transform.pipeline import transform_document

    con = load.connect(str(db))
    spent = {"extract": 0.0, "transform": 0.0, "load": 0.0}
    exts = []
    try:
        for p in paths:
            started = time.process_time()
            try:
                doc = read_document(p, backend="pdfium")
            except Exception:
                continue
            finally:
                spent["extract"] += time.process_time() - started
            started = time.process_time()
            exts.append(transform_document(doc))
            spent["transform"] += time.process_time() - started
        started = time.process_time()
        load.load_extractions(con, exts, pipeline_version("pdfium"))
        spent["load"] += time.process_time() - started
    finally:
        con.close()
    return IngestTimes(**spent)


def forget_sentences() -> None:
    """Forget the cue searches of an earlier pass over the same PDFs: they are remembered by
    sentence (transform/events/cue_words.py), so a second pass would find every one (a worker
    never reads the same PDF twice; the memos by word stay, as a long-lived worker has them)."""
    from transform.events import cue_words

    cue_words._find.cache_clear()


RATIO_ROUNDS = 5
"""Rounds of the extract + transform / pdftotext ratio: each times one pass of both sides
back to back, and the row gives the median round (and the range): on the shared machine one
pass of either side varies by a quarter, and a round's two passes see the same load."""


def interleaved_ratios(paths: list[Path]) -> list[tuple[float, float]] | None:
    """(read_document with the default backend + transform, warm; `pdftotext -layout`) CPU
    seconds over all the PDFs, one pass of each per round (None: pdftotext not installed)."""
    from extract.pdf import read_document
    from transform.pipeline import transform_document

    def ours(p: Path) -> None:
        transform_document(read_document(p))

    rounds = []
    for _ in range(RATIO_ROUNDS):
        forget_sentences()
        mine = _cpu(ours, paths)
        theirs = pdftotext_time(paths)
        if theirs is None:
            return None
        rounds.append((mine, theirs))
    return rounds


def pdftotext_time(paths: list[Path]) -> float | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for p in paths:
        subprocess.run([exe, "-layout", str(p), "-"], capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def profile(paths: list[Path], db: Path, top: int) -> None:
    forget_sentences()
    profiler = cProfile.Profile()
    profiler.enable()
    ingest(paths, db)
    profiler.disable()
    stats = pstats.Stats(profiler)
    totals: dict[str, float] = defaultdict(float)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        bucket = next((b for b, marks in BUCKETS if any(m in filename for m in marks)), "other")
        totals[bucket] += tottime
    whole = sum(totals.values()) or 1.0
    print("\nwhere the pdfium ingest's time goes (cProfile, own time per bucket):")
    for bucket, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {bucket:40s} {seconds:7.2f} s  {100 * seconds / whole:5.1f}%")
    print(f"\ntop {top} functions by own time:")
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=22, help="PDFs from the repository's fixtures")
    ap.add_argument("--top", type=int, default=12, help="functions listed from the profile")
    args = ap.parse_args(argv)
    paths = corpus(args.n)
    from flows.sandbox import freeze_warm_state, resolve
    from flows.stages import WARM

    for target in WARM:  # warm, as the flow's workers are before their first PDF
        resolve(target)()
    freeze_warm_state()
    w_ref, w_fast = words_times(paths)
    e_ref, e_fast = extract_times(paths)
    n = len(paths)
    rows = [
        ("words: pdfium / pdfplumber", w_fast / w_ref, "", f"{w_fast:.2f} s vs {w_ref:.2f} s"),
        (
            "extract: pdfium / pdfplumber",
            e_fast / e_ref,
            f"<= {EXTRACT_GOAL}",
            f"{e_fast:.2f} s vs {e_ref:.2f} s; layout etc. {e_fast - w_fast:.2f} s",
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        ingest(paths, Path(tmp) / "warm.duckdb")  # lexicon, spaCy and caches warm, as in a worker
        forget_sentences()
        times = ingest(paths, Path(tmp) / "bench.duckdb")
        rows.append(
            (
                "transform / extract (pdfium)",
                times.transform / times.extract,
                f"<= {TRANSFORM_GOAL:g}",
                f"{times.transform:.2f} s vs {times.extract:.2f} s; load {times.load:.2f} s",
            )
        )
        layout, transform = stage_times(paths)
        poppler = pdftotext_time(paths)
        rounds = interleaved_ratios(paths)
        if poppler is None or rounds is None:
            print("pdftotext not found (apt-get install poppler-utils): ingest rows skipped")
        else:
            from extract.words import DEFAULT_BACKEND

            ratios = sorted(mine / theirs for mine, theirs in rounds)
            mine, theirs = (statistics.median(side) for side in zip(*rounds, strict=True))
            rows += [
                (
                    f"extract ({DEFAULT_BACKEND}, the default) + transform / pdftotext -layout, "
                    f"median of {RATIO_ROUNDS} rounds",
                    statistics.median(ratios),
                    f"<= {INGEST_GOAL:g}",
                    f"rounds {ratios[0]:.2f}-{ratios[-1]:.2f}; medians {mine / n:.3f} s vs "
                    f"{theirs / n:.3f} s CPU per PDF",
                ),
                (
                    "ingest per PDF (pdfium, with the batched load) / pdftotext -layout, one "
                    "pass each, minutes apart (the machine's load moves it; the row above is "
                    "the goal's)",
                    times.total / poppler,
                    "",
                    f"{times.total / n:.3f} s vs {poppler / n:.3f} s CPU per PDF",
                ),
            ]
        print(f"\n{n} PDFs\n\n| measure | ratio | goal | detail |\n|---|---|---|---|")
        for name, ratio, goal, detail in rows:
            print(f"| {name} | {ratio:.2f} | {goal} | {detail} |")
        stages = [
            ("words, pdfium (characters -> words), one pass", w_fast),
            (f"shared layout (words -> Document), least of {STAGE_PASSES}", layout),
            (f"transform (Document -> Extraction, warm), least of {STAGE_PASSES}", transform),
        ]
        if poppler is not None:
            stages.append(("pdftotext -layout, one pass", poppler))
        print(f"\n| stage, {n} PDFs | CPU s |\n|---|---|")
        for name, seconds in stages:
            print(f"| {name} | {seconds:.2f} |")
        profile(paths, Path(tmp) / "profile.duckdb", args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
