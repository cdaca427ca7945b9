"""Time read_document + render_text against pdfplumber's bare extract_words over the same pages.

Run: .venv/bin/python bench/bench_extract.py [PDF ...]   (a script, not a test)
Target: the stage within 1.3x of the bare word extraction.

The two are run alternately and the minimum of REPEATS runs of each is kept, so that load on a
shared machine (which slows whichever run it hits) does not pass for a cost of the stage.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

from extract.pdf import read_document
from extract.text import render_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "corpus" / "tcr-22-2483.pdf", ROOT / "tests" / "fixtures" / "fmed-08-678227.pdf"]
REPEATS = 5


def bare(path: Path) -> float:
    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.close()
    return time.perf_counter() - started


def stage(path: Path) -> float:
    started = time.perf_counter()
    render_text(read_document(path))
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT
    print(f"{'pdf':32s} {'bare s':>8s} {'stage s':>8s} {'ratio':>6s}")
    for path in paths:
        bares: list[float] = []
        stages: list[float] = []
        for _ in range(REPEATS):
            bares.append(bare(path))
            stages.append(stage(path))
        b, s = min(bares), min(stages)
        print(f"{path.name:32s} {b:8.3f} {s:8.3f} {s / b:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
