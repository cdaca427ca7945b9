"""Writer benchmark (not part of the test suite): documents a second into a DuckDB file.

Run: .venv/bin/python bench/bench_writer.py [--n 1000] [--per-document 200]

The documents are the bench corpus's (bench/run.py: the real PDFs, then variants of them with
changed metadata, i.e. the same article under a new SHA-256): each real PDF is extracted
(pdfium, for speed: the writer sees the same records either way) and transformed once, and
the variants are its Extraction under a new doc_id and path. Only the writing is timed, into
a fresh warehouse file each time: one transaction per document (load_extraction, the old
writer), batches of 20 and of flows.settings.DEFAULT_LOAD_BATCH (load_extractions), and the
same batches again over a warehouse that already holds them (every document replaced, as
`caselines ingest --force` does). Wall seconds (commits wait on the disk) and CPU seconds of
this process (the machine may be shared) are both given.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transform.records import Extraction  # noqa: E402

GOAL_DOCS_PER_S = 300
OLD_BATCH = 20
"""The load step's batch before the batched writer (each document still its own transaction)."""


def extractions(n: int) -> list[Extraction]:
    """n Extractions in bench corpus order: the real PDFs', then copies under new ids."""
    from bench.run import SOURCES
    from extract.pdf import read_document
    from transform.pipeline import transform_document

    originals: list[Extraction] = []
    for path in sorted(p for src in SOURCES for p in src.glob("*.pdf"))[:n]:
        try:
            originals.append(transform_document(read_document(path, backend="pdfium")))
        except Exception as exc:  # a crash-test PDF: the flow records it, the writer never sees it
            print(f"# {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return [
        dataclasses.replace(
            originals[i % len(originals)], doc_id=f"{i:064x}", path=f"/bench/{i:05d}.pdf"
        )
        for i in range(n)
    ]


def _timed(write: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    write()
    return time.perf_counter() - wall, time.process_time() - cpu


def _batches(docs: Sequence[Extraction], size: int) -> list[Sequence[Extraction]]:
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def main() -> None:
    import load
    from flows.settings import DEFAULT_LOAD_BATCH, pipeline_version

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--per-document", type=int, default=200, help="documents for the old writer")
    args = ap.parse_args()
    docs = extractions(args.n)
    version = pipeline_version()
    work = Path(tempfile.mkdtemp(prefix="caselines-bench-writer-"))
    rows: list[tuple[str, int, float, float]] = []

    def measure(label: str, db: str, batches: Sequence[Sequence[Extraction]], one: bool) -> None:
        con = load.connect(work / db)

        def write() -> None:
            for batch in batches:
                if one:
                    load.load_extraction(con, batch[0], version)
                else:
                    refused = load.load_extractions(con, batch, version)
                    assert not refused, refused[0].error

        try:
            wall, cpu = _timed(write)
        finally:
            con.close()
        rows.append((label, sum(len(b) for b in batches), wall, cpu))

    singles = _batches(docs[: args.per_document], 1)
    measure("one transaction per document", "one.duckdb", singles, True)
    measure(f"batches of {OLD_BATCH}", "small.duckdb", _batches(docs, OLD_BATCH), False)
    batches = _batches(docs, DEFAULT_LOAD_BATCH)
    measure(f"batches of {DEFAULT_LOAD_BATCH} (the flow's)", "big.duckdb", batches, False)
    measure(f"batches of {DEFAULT_LOAD_BATCH}, replacing", "big.duckdb", batches, False)

    per_doc = sum(len(d.mentions) for d in docs) / max(len(docs), 1)
    print(f"\nwriter: {len(docs)} documents ({per_doc:.0f} mentions each on average), "
          f"{os.cpu_count()} CPUs; goal >= {GOAL_DOCS_PER_S} documents/s\n")  # fmt: skip
    print("| writer | documents | documents/s (wall) | documents/s (CPU) |\n|---|---|---|---|")
    for label, n, wall, cpu in rows:
        print(f"| {label} | {n} | {n / wall:.0f} | {n / cpu:.0f} |")


if __name__ == "__main__":
    main()
