"""Time of the mention layer on the seed article: one-time load, then extract_mentions.

Builds the Document from tests/golden/tcr-22-2483.body.txt + .captions.txt (no PDF reading),
loads the lexicon and the spaCy pipeline, calls extract_mentions once to warm up, then
--runs more times and prints the median wall-clock and CPU time per call.

    .venv/bin/python eval/mention_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    from tests.textdoc import document_from_text
    from transform.mentions.lexicon import get_lexicon
    from transform.mentions.mentions import extract_mentions
    from transform.mentions.nlp import get_nlp

    t1 = time.perf_counter()
    get_lexicon()
    t2 = time.perf_counter()
    get_nlp()
    t3 = time.perf_counter()
    body = (GOLDEN / "tcr-22-2483.body.txt").read_text("utf-8")
    captions = (GOLDEN / "tcr-22-2483.captions.txt").read_text("utf-8")
    doc = document_from_text(body, captions)
    found = extract_mentions(doc)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        w, c = time.perf_counter(), time.process_time()
        found = extract_mentions(doc)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    print(f"imports {t1 - t0:.2f} s, lexicon {t2 - t1:.2f} s, pipeline {t3 - t2:.2f} s")
    print(
        f"extract_mentions: median {statistics.median(wall) * 1000:.0f} ms wall, "
        f"{statistics.median(cpu) * 1000:.0f} ms CPU over {args.runs} runs; "
        f"{len(found)} mentions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
