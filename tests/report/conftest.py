"""Warehouses and rendered reports shared by the report tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.report import write_report
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
