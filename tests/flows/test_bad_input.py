"""Bad input through the real stages: every bad file fails alone with its reason, the seed
in the same folder loads exactly as it does alone, and a non-case-report loads with 0 cases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED_PDF
from tests.flows.helpers import (
    counts,
    encrypted_pdf,
    image_only_pdf,
    lorem_pdf,
    many_pages_pdf,
    rows,
)

BAD = {
    "corrupt.pdf": "extract",
    "truncated.pdf": "extract",
    "encrypted.pdf": "extract",
    "empty.pdf": "extract",
    "image-only.pdf": "extract",
    "thousand-pages.pdf": "extract",
    "not-a-pdf.pdf": "extract",
}


def _bad_corpus(folder: Path) -> Path:
    folder.mkdir()
    seed = SEED_PDF.read_bytes()
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    (folder / "truncated.pdf").write_bytes(seed[: len(seed) // 2])
    encrypted_pdf(SEED_PDF, folder / "encrypted.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    image_only_pdf(folder / "image-only.pdf")
    many_pages_pdf(folder / "thousand-pages.pdf", 1000)
    (folder / "not-a-pdf.pdf").write_text("<html><body>Not a PDF at all</body></html>\n")
    lorem_pdf(folder / "lorem.pdf")
    (folder / "seed.pdf").write_bytes(seed)
    return folder


@pytest.mark.slow
def test_a_folder_of_bad_pdfs_and_the_seed(tmp_path: Path, seed_db: Path) -> None:
    corpus = _bad_corpus(tmp_path / "corpus")
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 1, result.output

    failures = rows(db, "select path, stage, error, message from ingest_failures")
    by_name = {Path(str(p)).name: (stage, error, msg) for p, stage, error, msg in failures}
    assert len(failures) == len(BAD), failures
    for name, stage in BAD.items():
        assert name in by_name, f"{name} has no ingest_failures row: {by_name}"
        got_stage, error, message = by_name[name]
        assert got_stage == stage, (name, by_name[name])
        assert message, name
        assert "\n" not in str(message)
        assert name in result.output, f"the terminal does not name {name}"
        assert str(error) in result.output
    assert by_name["encrypted.pdf"][1] == "encrypted"
    assert by_name["empty.pdf"][1] == "empty"
    assert by_name["thousand-pages.pdf"][1] == "too_many_pages"
    assert by_name["not-a-pdf.pdf"][1] == "not_a_pdf"
    assert by_name["image-only.pdf"][1] == "no_text_layer"

    lorem = rows(db, "select n_cases, path from documents where path like '%lorem.pdf'")
    assert lorem and lorem[0][0] == 0
    assert "lorem.pdf" in result.output  # its warning

    alone = counts(seed_db)
    mixed = rows(db, "select doc_id from documents where path like '%seed.pdf'")
    assert mixed, "the seed did not load"
    seed_id = mixed[0][0]
    for table, n in alone.items():
        got = rows(db, f"select count(*) from {table} where doc_id = '{seed_id}'")[0][0]
        assert got == n, f"{table}: {got} rows with bad neighbours, {n} alone"


@pytest.mark.slow
def test_a_thousand_page_pdf_is_refused_quickly(tmp_path: Path, prefect_harness: None) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    many_pages_pdf(corpus / "book.pdf", 1000)
    db = tmp_path / "w.duckdb"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert rows(db, "select stage, error from ingest_failures") == [("extract", "too_many_pages")]
    assert elapsed < 60, f"took {elapsed:.0f} s: the PDF was parsed, not refused"
