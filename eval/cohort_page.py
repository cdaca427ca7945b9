"""The cohort page on real PDFs: the seed, the shared Hindawi and MACCROBAT PDFs ingested into
one warehouse, then `caselines report`; does the index show every line, the curves with
numbers at risk, the sequence diagram and the combined swimmer plot, and does it fit at
1400 and 800 px without a broken date?

    .venv/bin/python -m eval.cohort_page [--db FILE] [--shots DIR]

Without --db the PDFs are ingested into a scratch warehouse (pdfium backend, one worker).
Screenshots need Debian's chromium; without it the layout rows are skipped.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from eval.shared import DEV, EVAL, ROOT, require
from report import write_report
from report.km import GroupBy, km_svg
from report.read import read_survival

SOURCES = (ROOT / "corpus", DEV / "hindawi", EVAL / "maccrobat")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox"]
WIDTHS = (1400, 800)
BROKEN_DATES_JS = """() => {
  const date = /\\d{4}-\\d{2}-\\d{2}/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let broken = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('svg, details:not([open])')) continue;
    for (const m of node.data.matchAll(date)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size > 1) broken++;
    }
  }
  return broken;
}"""


def ingest(db: Path) -> None:
    cli = [sys.executable, "-c", "from flows.cli import main; main()"]
    options = ["--db", str(db), "--workers", "1", "--pdf-backend", "pdfium"]
    cmd = [*cli, "ingest", *map(str, SOURCES), *options]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)


def layout(index: Path, shots: Path) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width in WIDTHS:
            tab = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            tab.goto(index.as_uri())
            overflow = tab.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            broken = tab.evaluate(BROKEN_DATES_JS)
            shot = shots / f"cohort-{width}.png"
            tab.screenshot(path=str(shot), full_page=True)
            rows.append((f"{width} px", f"overflow {overflow} px, broken dates {broken}, {shot}"))
        browser.close()
    return rows


def _months(value: float | None) -> str:
    return "NR" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="reuse this warehouse instead of ingesting")
    parser.add_argument("--shots", type=Path, help="folder for the screenshots")
    args = parser.parse_args(argv)
    require()
    scratch = Path(tempfile.mkdtemp(prefix="caselines-cohort-"))
    db = args.db or scratch / "cohort.duckdb"
    if args.db is None:
        ingest(db)
    con = duckdb.connect(str(db), read_only=True)
    n_docs, n_lines, n_patients, n_dated = con.execute(
        "select (select count(*) from documents), count(*), "
        "count(distinct (doc_id, case_id)), count(*) filter (where line_no = 1 and "
        "start_date is not null) from lines_of_therapy"
    ).fetchone() or (0, 0, 0, 0)
    n_sequences = con.execute("select count(*) from line_sequences").fetchone()
    con.close()
    index = write_report(db, scratch / "report")
    html = index.read_text(encoding="utf-8")
    table_rows = html.count('<a class="cohort-case"')
    bars = len(set(re.findall(r'id="sw-(pt-\d+)-line-\d+"', html)))
    diagram = "shown" if 'id="sequence-diagram"' in html else "missing"
    rows = [
        ("documents", str(n_docs)),
        ("lines of therapy / table rows", f"{n_lines} / {table_rows}"),
        ("patients with lines / dated line 1 / bars", f"{n_patients} / {n_dated} / {bars}"),
        ("sequence diagram", f"{diagram} ({n_sequences[0] if n_sequences else 0} patients)"),
        ("numbers at risk under the curves", str(html.count("At risk"))),
    ]
    survival = read_survival(db)
    for by in GroupBy:
        for s in km_svg(survival, by).summaries:
            ci = f"{_months(s.ci_low)}-{_months(s.ci_high)}"
            summary = f"n {s.n}, events {s.events}, median {_months(s.median)} ({ci})"
            rows.append((f"KM {by.value}: {s.label}", summary))
    if CHROMIUM.exists():
        rows += layout(index, args.shots or scratch)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(f"report: {index}")
    ok = table_rows == n_lines and bars == n_dated and html.count("At risk") == len(GroupBy)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
