"""The report of real ingests: the seed article through the flow, and a PDF carrying
script payloads in its text, rendered in chromium."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from report import write_report
from tests.pdfmaker import case_report_pdf
from tests.report.conftest import OWN_SCRIPTS, Tab
from tests.report.html_parse import svg_groups, svg_root, svg_text

SEED_LINES = {1: 10, 2: 6}
SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'


def _case_pages(report: Path) -> dict[int, Path]:
    pages = sorted((report.parent / "cases").glob("*-case-*.html"))
    return {int(p.stem.rsplit("-", 1)[1]): p for p in pages}


@pytest.mark.slow
def test_seed_report_has_every_line_with_its_regimen_and_pfs(seed_db: Path, tmp_path: Path) -> None:
    report = write_report(seed_db, tmp_path / "report")
    assert report.name == "index.html" and report.is_file()
    pages = _case_pages(report)
    assert sorted(pages) == [1, 2]
    con = duckdb.connect(str(seed_db), read_only=True)
    for case, n_lines in SEED_LINES.items():
        rows = con.execute(
            "select line_no, regimen, pfs_months from lines_of_therapy where case_id = ? "
            "order by line_no",
            [case],
        ).fetchall()
        assert len(rows) == n_lines
        root = svg_root(pages[case])
        assert len(svg_groups(root, rf"c{case}-line-\d+")) == n_lines
        labels = [svg_text(g) for g in svg_groups(root, rf"c{case}-label-\d+")]
        for (line_no, regimen, pfs), label in zip(rows, labels, strict=True):
            shown = label.removeprefix(f"L{line_no}  ").removesuffix("…")
            assert regimen.startswith(shown), (label, regimen)
            (pfs_group,) = svg_groups(root, rf"c{case}-pfs-{line_no}")
            expected = "PFS n/a" if pfs is None else f"PFS {pfs:.1f} mo"
            assert svg_text(pfs_group).startswith(expected)
    con.close()


@pytest.mark.slow
@pytest.mark.browser
def test_ingested_pdf_with_script_text_runs_nothing(
    prefect_harness: None, tmp_path: Path, page: Tab
) -> None:
    from flows.ingest import ingest_flow

    pdf = case_report_pdf(
        tmp_path / "xss.pdf",
        f"Renal cell carcinoma {SCRIPT}: a case report",
        [
            (
                "Case presentation",
                f"A 61-year-old man with metastatic renal cell carcinoma "
                f"{IMG} started sunitinib 50 mg qd on March 2, 2020 {SCRIPT}. CT on June 1, "
                "2020, showed progressive disease.",
            ),
            ("Discussion", f"Payloads {SCRIPT} must stay text."),
        ],
    )
    db = tmp_path / "w.duckdb"
    summary = ingest_flow(paths=[str(pdf)], db=str(db))
    assert summary.failed == 0 and summary.loaded == 1
    con = duckdb.connect(str(db), read_only=True)
    (hits,) = con.execute(
        "select count(*) from mentions where sentence like '%<script>%'"
    ).fetchone() or (0,)
    con.close()
    assert hits > 0, "the payload should reach the warehouse as text"
    report = write_report(db, tmp_path / "report")
    tab, errors, dialogs = page
    for url in (report, *_case_pages(report).values()):
        tab.goto(url.as_uri())
        tab.wait_for_load_state("load")
        assert tab.evaluate("typeof window.__xss") == "undefined"
        assert tab.evaluate("document.querySelectorAll('img').length") == 0
        scripts = tab.evaluate("Array.from(document.scripts, s => [s.getAttribute('src'), s.text])")
        assert all(src in OWN_SCRIPTS and not text.strip() for src, text in scripts), scripts
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert "<script>" in tab.inner_text("body")  # printed as text, if in a collapsed list
    assert dialogs == [] and errors == []
