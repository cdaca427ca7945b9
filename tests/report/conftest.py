"""Warehouses and rendered reports shared by the report tests (built once per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

from report import write_report
from tests.report.builder import Overrides, build

SCRIPT_PAYLOAD = "<script>window.__xss=1;alert(1)</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__xss=1;alert(1)">'


@pytest.fixture(scope="session")
def gold_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("gold") / "gold.duckdb")


@pytest.fixture(scope="session")
def gold_report(gold_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(gold_db, tmp_path_factory.mktemp("gold-report"))


@pytest.fixture(scope="session")
def xss_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same cases with script and event-handler payloads in every PDF-derived string."""
    db = build(
        tmp_path_factory.mktemp("xss") / "xss.duckdb",
        Overrides(
            title=f"Case report {SCRIPT_PAYLOAD}",
            regimen=f"TH {IMG_PAYLOAD}",
            evidence=f"She received {SCRIPT_PAYLOAD} and {IMG_PAYLOAD}.",
            drug_as_printed=SCRIPT_PAYLOAD,
            extra={"ae_event": IMG_PAYLOAD},
        ),
    )
    return write_report(db, tmp_path_factory.mktemp("xss-report"))


# --- the browser (Debian's chromium, never `playwright install`) -------------------------

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
OWN_SCRIPTS = frozenset({"cohort.js"})
"""The only script a report page may load: the report's own file, never inline code."""
Tab = tuple["Page", list[str], list[str]]
"""The page, its console errors and the messages of any dialogs it opened."""


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
