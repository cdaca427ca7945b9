"""The report in Debian's chromium: renders without console errors, and runs no payload.

Needs /usr/bin/chromium (never `playwright install`). Missing chromium fails the test when
CI is set, so the browser check cannot silently drop out of CI; locally it skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.builder import DOC_ID
from tests.report.conftest import MIN_PLOT_HEIGHT_PX, MIN_PLOT_WIDTH_PX, OWN_SCRIPTS, Tab

pytestmark = pytest.mark.browser

CASE_LINES = {1: 10, 2: 6}


def _case_url(report: Path, case: int) -> str:
    return (report.parent / "cases" / f"{DOC_ID[:12]}-case-{case}.html").as_uri()


def test_plots_render_without_console_errors(gold_report: Path, page: Tab, tmp_path: Path) -> None:
    tab, errors, _ = page
    tab.goto(gold_report.as_uri())
    assert tab.locator("a.case-link").count() == len(CASE_LINES)
    for case, n_lines in CASE_LINES.items():
        tab.goto(_case_url(gold_report, case))
        plot = tab.locator("figure.swimmer svg")
        assert plot.count() == 1
        box = plot.bounding_box()
        assert (
            box is not None
            and box["width"] > MIN_PLOT_WIDTH_PX
            and box["height"] > MIN_PLOT_HEIGHT_PX
        )
        bars = tab.locator(f"svg g[id^='c{case}-line-']:not([id*='-class-']):not([id*='-after-'])")
        assert bars.count() == n_lines
        assert tab.locator(f"svg g[id^='c{case}-pfs-']").count() == n_lines
        shot = tmp_path / f"case-{case}.png"
        tab.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        # the evidence link of a value jumps to its sentence
        first = tab.locator("table[data-table='lines'] a.ev").first
        first.click()
        assert tab.evaluate("location.hash") == first.get_attribute("href")
    assert errors == []


def test_payloads_do_not_run(xss_report: Path, page: Tab, tmp_path: Path) -> None:
    tab, errors, dialogs = page
    for url in (xss_report.as_uri(), _case_url(xss_report, 1), _case_url(xss_report, 2)):
        tab.goto(url)
        tab.wait_for_load_state("load")
        assert tab.evaluate("typeof window.__xss") == "undefined"
        assert tab.evaluate("document.querySelectorAll('img').length") == 0
        scripts = tab.evaluate("Array.from(document.scripts, s => [s.getAttribute('src'), s.text])")
        assert all(src in OWN_SCRIPTS and not text.strip() for src, text in scripts), scripts
        assert "<script>window.__xss=1;alert(1)</script>" in tab.inner_text("body")
    tab.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert dialogs == []
    assert errors == []
