"""The gold harness over ../shared/gold: every fact of every gold file, per category and file.

Ingests each gold file's PDF (eval/gold_harness/sources.py says which) with `caselines
ingest --force` into a scratch warehouse (or reuses one with --db and --no-ingest), prints a
table of facts found / facts per category for every gold file, the missed facts with what
was seen, then runs the harness (eval/gold_harness/, one strict-xfail-aware pytest case per
fact) against the same warehouse: exit 0 when every fact passes or is a listed gap.

    .venv/bin/python -m eval.gold [--db FILE] [--no-ingest] [--no-pytest] [--misses]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

from eval.gold_harness.sources import DB_ENV, GoldSource, gaps, sources
from eval.gold_harness.test_shared_gold import warehouse_for
from tests.gold.facts import CATEGORIES

HARNESS = Path(__file__).with_name("gold_harness")
CELL = 7


def ingest(pdfs: list[Path], db: Path) -> None:
    """One `caselines ingest` over every gold PDF (it reports unreadable ones itself)."""
    cmd = [sys.executable, "-m", "flows.cli", "ingest", *map(str, pdfs), "--db", str(db)]
    subprocess.run([*cmd, "--force"], check=False, stdout=subprocess.DEVNULL)


def score(
    con: duckdb.DuckDBPyConnection, source: GoldSource
) -> tuple[Counter[str], Counter[str], list[tuple[str, str]]]:
    """Facts per category, facts found per category, and the misses with their details."""
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    misses: list[tuple[str, str]] = []
    warehouse = warehouse_for(con, source)
    for fact in source.facts():
        total[fact.category] += 1
        ok, detail = fact.check(warehouse) if warehouse else (False, "PDF not loaded")
        if ok:
            found[fact.category] += 1
        else:
            misses.append((fact.fact_id, detail))
    return total, found, misses


def _cell(found: int, total: int) -> str:
    return f"{found}/{total}" if total else "-"


def table(rows: list[tuple[str, Counter[str], Counter[str]]]) -> str:
    """Markdown table: one row per gold file (and the total), one column per category."""
    used = [c for c in CATEGORIES if any(t[c] for _, t, _ in rows)]
    head = ["gold file", *used, "all"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    sum_t: Counter[str] = Counter()
    sum_f: Counter[str] = Counter()
    for name, total, found in [*rows]:
        sum_t.update(total)
        sum_f.update(found)
        cells = [_cell(found[c], total[c]).rjust(CELL) for c in used]
        all_cell = _cell(sum(found.values()), sum(total.values()))
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {all_cell} |")
    cells = [_cell(sum_f[c], sum_t[c]).rjust(CELL) for c in used]
    all_cell = _cell(sum(sum_f.values()), sum(sum_t.values()))
    lines.append("| **all** | " + " | ".join(cells) + f" | {all_cell} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, help="reuse (or create) this warehouse")
    ap.add_argument("--no-ingest", action="store_true", help="score --db as it is")
    ap.add_argument("--no-pytest", action="store_true", help="print the tables only")
    ap.add_argument("--misses", action="store_true", help="list every missed fact")
    args = ap.parse_args(argv)
    found_sources = sources()
    db = args.db or Path(tempfile.mkdtemp(prefix="gold-")) / "gold.duckdb"
    if not args.no_ingest:
        ingest([s.pdf for s in found_sources if s.pdf.is_file()], db)
    known = gaps()
    rows = []
    con = duckdb.connect(str(db), read_only=True)
    for source in found_sources:
        total, found, misses = score(con, source)
        rows.append((source.name, total, found))
        listed = known.get(source.name, {})
        if args.misses:
            for fact_id, detail in misses:
                mark = "gap" if fact_id in listed else "MISS"
                print(f"  {mark} {source.name}::{fact_id}: {detail}")
    con.close()
    print(table(rows), flush=True)
    if args.no_pytest:
        return 0
    env = {**os.environ, DB_ENV: str(db)}
    cmd = [sys.executable, "-m", "pytest", str(HARNESS), "-q", "-p", "no:cacheprovider"]
    return subprocess.run(cmd, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
