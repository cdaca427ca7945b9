"""Shared fixtures: an isolated Prefect (temporary PREFECT_HOME, no API URL, no telemetry)
and the seed article ingested once per session through the real flow."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_PDF = ROOT / "corpus" / "tcr-22-2483.pdf"
GOLD_YAML = ROOT / "tests" / "gold" / "tcr-22-2483.yaml"

HARNESS_STARTUP_TIMEOUT_S = 120
"""The test server starts in seconds, but a loaded 2-core CI machine can take far longer."""

_PREFECT_HOME = tempfile.mkdtemp(prefix="caselines-prefect-")


def pytest_configure(config: pytest.Config) -> None:
    """Isolate Prefect before anything imports it: a stale PREFECT_API_URL breaks every run."""
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = _PREFECT_HOME
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
    os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
    os.environ.pop("CASELINES_DB", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=HARNESS_STARTUP_TIMEOUT_S):
        yield


def _ingest_seed(tmp_path_factory: pytest.TempPathFactory, pdf_backend: str) -> Path:
    from flows.ingest import ingest_flow

    db = tmp_path_factory.mktemp(f"seed-{pdf_backend}") / "seed.duckdb"
    summary = ingest_flow(paths=[str(SEED_PDF)], db=str(db), pdf_backend=pdf_backend)
    assert summary.failed == 0, summary.failures
    assert summary.loaded == 1
    return db


@pytest.fixture(scope="session")
def seed_db(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article ingested once through the ingest flow (the default backend, pdfium);
    tests only read it."""
    return _ingest_seed(tmp_path_factory, "pdfium")


@pytest.fixture(scope="session")
def seed_db_pdfplumber(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same ingest with the pdfplumber backend (the gold harness runs on both)."""
    return _ingest_seed(tmp_path_factory, "pdfplumber")
