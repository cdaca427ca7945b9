"""CPU seconds of the pdfium words stage alone (PDF bytes -> PageWords, `read_pages`) on the
bench's PDFs, the least of several passes, with where the time goes.

    .venv/bin/python bench/bench_words.py [--n 22] [--passes 3] [--ctypes]

The compiled character loop (extract.pdfium_jit) is warmed first, as the flow's workers warm
it; --ctypes leaves it off, to compare the two paths.

The parts are timed by wrapping the stage's functions (font_descents: pdfminer's descents;
characters: PDFium's characters as columns; grouping: characters -> words); the rest is
PDFium's own parsing of each page and text page. To compare two revisions on a shared
machine, run it in a checkout of each, one after the other, and compare the totals.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTS: dict[str, list[tuple[str, str | None]]] = {
    "font_descents": [("font_descents", None)],
    "characters": [("_PageReader", "columns"), ("_PageReader", "chars")],
    "grouping": [("split_page", None), ("split_words", None)],
}
"""Part -> (name in extract.words_pdfium, method name when it is a class), the first found
(the names before this stage was made columnar: chars and split_words)."""


def _timed(fn: Any, part: str, spent: dict[str, float]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[part] += time.process_time() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=22, help="PDFs of the bench corpus")
    parser.add_argument("--passes", type=int, default=3, help="the least of this many")
    parser.add_argument("--ctypes", action="store_true", help="no compiled character loop")
    args = parser.parse_args()

    from bench.bench_backends import corpus
    from extract import pdfium_jit, words_pdfium

    if not args.ctypes and not pdfium_jit.warm():
        print(f"# no compiled character loop: {pdfium_jit.why_not()}", file=sys.stderr)
    path = "compiled loop" if pdfium_jit.active() else "ctypes"

    spent: dict[str, float] = defaultdict(float)
    for part, names in PARTS.items():
        for name, method in names:
            owner = getattr(words_pdfium, name, None)
            if owner is not None and method is None:
                setattr(words_pdfium, name, _timed(owner, part, spent))
                break
            if owner is not None and method is not None and hasattr(owner, method):
                setattr(owner, method, _timed(getattr(owner, method), part, spent))
                break
    data = [p.read_bytes() for p in corpus(args.n)]
    best: tuple[float, dict[str, float]] = (float("inf"), {})
    for _ in range(args.passes):
        spent.clear()
        started = time.process_time()
        for pdf in data:
            with contextlib.suppress(Exception):  # a crash-test PDF costs what it costs
                words_pdfium.read_pages(pdf, time.monotonic(), 1e9, 10**6)
        total = time.process_time() - started
        if total < best[0]:
            best = (total, dict(spent))
    total, parts = best
    shown = ", ".join(f"{part} {seconds:.2f}" for part, seconds in parts.items())
    print(
        f"words, pdfium ({path}), {len(data)} PDFs: {total:.2f} s CPU, "
        f"least of {args.passes} ({shown})"
    )


if __name__ == "__main__":
    main()
