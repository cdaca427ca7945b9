"""Documents read once per test session for the extract tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.pdf import read_document
from extract.records import Document

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "tcr-22-2483.pdf"
FRONTIERS = ROOT / "tests" / "fixtures" / "fmed-08-678227.pdf"
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    return read_document(SEED)


@pytest.fixture(scope="session")
def frontiers_doc() -> Document:
    return read_document(FRONTIERS)
