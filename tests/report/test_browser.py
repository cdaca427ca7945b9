"""The report in Debian's chromium: renders without console errors, and runs no payload.

Needs /usr/bin/chromium (never `playwright install`). Missing chromium fails the test when
CI is set, so the browser check cannot silently drop out of CI; locally it skips.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

from tests.report.builder import DOC_ID

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT_WIDTH = 1280
VIEWPORT_HEIGHT = 900
MIN_PLOT_WIDTH_PX = 500
MIN_PLOT_HEIGHT_PX = 150
Tab = tuple["Page", list[str], list[str]]
"""The page, its console errors and the messages of any dialogs it opened."""
CASE_LINES = {1: 10, 2: 6}


def _case_url(report: Path, case: int) -> str:
    return (report.parent / "cases" / f"{DOC_ID[:12]}-case-{case}.html").as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Tab]:
    """A fresh page, with the console errors and dialogs it produces."""
    context = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT})
    tab = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab, errors, dialogs
    context.close()


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
        assert tab.evaluate("document.querySelectorAll('script, img').length") == 0
        assert "<script>window.__xss=1;alert(1)</script>" in tab.inner_text("body")
    tab.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert dialogs == []
    assert errors == []
