"""The cohort page in Debian's chromium: its script file runs under the page's CSP, a filter
by drug shows exactly that drug's lines, the CSV holds the rows shown, and at 1400 and 800
px the page does not overflow sideways and no date breaks across lines."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from report import write_report
from tests.cohort_warehouse import CASES, TITLES, build, expected_lines
from tests.report.conftest import Tab

pytestmark = pytest.mark.browser

DRUG = "capecitabine"
DOCS = list(TITLES)
"""The hand-built documents in order: the n-th has DOI 10.0000/made-up.n."""
WIDTHS = (1400, 800)
CSV_BOM = "\ufeff"
BROKEN_DATES_JS = """() => {
  const date = /\\d{4}-\\d{2}-\\d{2}/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('svg, details:not([open])')) continue;
    for (const m of node.data.matchAll(date)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def cohort_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = build(tmp_path_factory.mktemp("cohort") / "cohort.duckdb")
    return write_report(db, tmp_path_factory.mktemp("cohort-report"))


def _expected_rows(drug: str) -> list[tuple[str, str]]:
    return [
        (f"case {c.case_id}", str(n))
        for c in CASES
        for n, line in enumerate(c.lines, start=1)
        if drug in line.drugs
    ]


def _shown(tab: object) -> list[tuple[str, str]]:
    rows = tab.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('#cohort-table tbody tr'))
            .filter(r => !r.hidden && r.offsetParent !== null)
            .map(r => [r.cells[0].querySelector('a').textContent.replace(' →', ''),
                       r.cells[5].getAttribute('data-v')])"""
    )
    return [tuple(r) for r in rows]


def test_filter_by_drug_shows_its_lines_and_the_csv_holds_them(
    cohort_report: Path, page: Tab
) -> None:
    tab, errors, _ = page
    tab.goto(cohort_report.as_uri())
    assert tab.locator("#cohort-filters").is_visible(), "the script did not run"
    assert len(_shown(tab)) == expected_lines()
    tab.select_option("#filter-drug", DRUG)
    expected = _expected_rows(DRUG)
    assert sorted(_shown(tab)) == sorted(expected)
    assert tab.inner_text("#cohort-count") == f"{len(expected)} of {expected_lines()} lines shown"
    with tab.expect_download() as info:
        tab.click("#cohort-csv")
    text = Path(info.value.path()).read_text(encoding="utf-8").removeprefix(CSV_BOM)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(expected)
    assert all(DRUG in r["drugs"].split("; ") for r in rows)
    assert {r["doi"] for r in rows} == {
        f"10.0000/made-up.{DOCS.index(c.doc)}"
        for c in CASES
        if any(DRUG in x.drugs for x in c.lines)
    }
    assert sorted((r["case"].rsplit(" · ", 1)[1], r["line_no"]) for r in rows) == sorted(expected)
    # sorting by PFS keeps the filter and orders the numbers
    tab.click("th[data-csv='pfs_months'] button")
    months = [float(v) for v in tab.evaluate(
        """() => Array.from(document.querySelectorAll('#cohort-table tbody tr'))
            .filter(r => !r.hidden).map(r => r.cells[11].getAttribute('data-v'))
            .filter(v => v !== '')"""
    )]  # fmt: skip
    assert months == sorted(months) and len(_shown(tab)) == len(expected)
    tab.click("#cohort-reset")
    assert len(_shown(tab)) == expected_lines()
    assert errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_overflow_and_no_broken_date(
    cohort_report: Path, page: Tab, tmp_path: Path, width: int
) -> None:
    tab, errors, _ = page
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(cohort_report.as_uri())
    overflow = tab.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of horizontal overflow at {width} px"
    assert tab.evaluate(BROKEN_DATES_JS) == []
    for figure in ("#cohort-swimmer svg", "#km-line svg", "#sequence-diagram svg"):
        box = tab.locator(figure).bounding_box()
        assert box is not None and 0 < box["width"] <= width
    shot = tmp_path / f"cohort-{width}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    assert errors == []
