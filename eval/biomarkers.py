"""Biomarkers, stage and cancer type over real reports: how many cases and results come out.

Ingests the PDFs of ../shared/eval/maccrobat and ../shared/dev (recursively) into a scratch
warehouse with `caselines ingest` (or reads one given with --db), then prints per-column
coverage of the new case columns and the biomarker results by marker and status, with a
sample of results and their evidence to read by hand. There is no biomarker gold beyond the
seed (tests/gold), so this counts and shows; it does not score.

    .venv/bin/python -m eval.biomarkers [--db FILE] [--sample N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from eval.shared import DEV, EVAL, require

FOLDERS = (EVAL / "maccrobat", DEV)
COVERAGE_SQL = """
select count(*) as cases, count(cancer_type) as cancer_type, count(stage) as stage,
       count(advanced_onset_date) as advanced_onset, count(primary_site) as primary_site,
       count(histology) as histology
from cases
"""
BY_STATUS_SQL = """
select marker, coalesce(status, '(none)') as status, count(*) as results
from biomarkers group by all order by results desc, marker, status
"""
SAMPLE_SQL = """
select marker, status, value, value_type, variant, method, result, left(evidence, 110)
from biomarkers order by hash(doc_id || biomarker_no) limit ?
"""


def _print(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> None:
    rel = con.execute(sql, params or [])
    cols = [d[0] for d in rel.description or []]
    print(" | ".join(cols))
    for row in rel.fetchall():
        print(" | ".join("" if v is None else str(v) for v in row))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, help="a warehouse to read instead of ingesting")
    ap.add_argument("--sample", type=int, default=25, help="results shown with evidence")
    args = ap.parse_args(argv)
    db = args.db
    if db is None:
        require()
        db = Path(tempfile.mkdtemp(prefix="caselines-biomarkers-")) / "w.duckdb"
        folders = [str(f) for f in FOLDERS if f.is_dir()]
        cmd = [sys.executable, "-m", "flows.cli", "ingest", *folders, "--db", str(db)]
        subprocess.run([*cmd, "--pdf-backend", "pdfium"], check=False, stdout=subprocess.DEVNULL)
    con = duckdb.connect(str(db), read_only=True)
    try:
        print("## case columns\n")
        _print(con, COVERAGE_SQL)
        print("## biomarker results by marker and status\n")
        _print(con, BY_STATUS_SQL)
        print("## a sample to read\n")
        _print(con, SAMPLE_SQL, [args.sample])
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
