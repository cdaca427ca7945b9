"""A folder of odd and hostile PDFs (made here, see tests/oddpdfs.py) through the real flow:
every one is a document or exactly one ingest_failures row with a typed error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from extract import errors
from flows.cli import app
from flows.sandbox import MEMORY_LIMIT, TIME_LIMIT, WORKER_CRASHED
from tests.flows.helpers import rows
from tests.oddpdfs import ODD

TYPED = {
    cls.code
    for cls in vars(errors).values()
    if isinstance(cls, type)
    and issubclass(cls, errors.ExtractError)
    and cls is not errors.ExtractError
} | {TIME_LIMIT, MEMORY_LIMIT, WORKER_CRASHED}
READABLE = ("plain.pdf", "broken-xref.pdf", "encrypted-owner-only.pdf", "page-tree-cycle.pdf")
"""Odd PDFs that hold a readable page: they must load, not fail."""


@pytest.mark.slow
def test_every_odd_pdf_is_a_document_or_one_typed_failure(
    tmp_path: Path, prefect_harness: None
) -> None:
    corpus = tmp_path / "odd"
    corpus.mkdir()
    for name, make in ODD.items():
        (corpus / name).write_bytes(make())
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert result.exit_code in (0, 1), result.output

    loaded = {Path(str(p)).name for (p,) in rows(db, "select path from documents")}
    failures = rows(db, "select path, error, message from ingest_failures")
    failed: dict[str, list[tuple[object, object]]] = {}
    for path, error, message in failures:
        failed.setdefault(Path(str(path)).name, []).append((error, message))
    for name in ODD:
        assert (name in loaded) != (name in failed), f"{name}: loaded and/or failed wrongly"
        if name in failed:
            assert len(failed[name]) == 1, (name, failed[name])
            error, message = failed[name][0]
            assert error in TYPED, (name, error, message)
            assert message and "\n" not in str(message), name
    for name in READABLE:
        assert name in loaded, (name, failed.get(name))
    assert failed["encrypted-with-password.pdf"][0][0] == "encrypted"
    assert failed["zero-pages.pdf"][0][0] == "empty"
