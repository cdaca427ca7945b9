"""The PDF backend is part of the pipeline version and a plain argument of the extract stage."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import load
from extract.types import PDF_BACKENDS
from flows import settings
from flows.cli import app
from flows.ingest import Limits
from flows.plan import Unchanged, unchanged_corpus
from tests.extract.conftest import FIXTURES
from tests.flows.test_plan import _corpus, _load

runner = CliRunner()


def test_each_backend_has_its_own_pipeline_version() -> None:
    versions = {settings.pipeline_version(b) for b in PDF_BACKENDS}
    assert len(versions) == len(PDF_BACKENDS)
    assert settings.pipeline_version() == settings.pipeline_version(settings.DEFAULT_PDF_BACKEND)


def test_the_default_backend_is_pdfium_and_only_the_other_marks_the_version() -> None:
    assert settings.DEFAULT_PDF_BACKEND == "pdfium"
    assert settings.pipeline_version("pdfium") == settings.PIPELINE_VERSION
    assert settings.pipeline_version("pdfplumber") == settings.PIPELINE_VERSION + "+pdfplumber"


def test_switching_backend_re_processes_what_the_other_loaded(tmp_path: Path) -> None:
    corpus, pdf = _corpus(tmp_path)
    db = tmp_path / "w.duckdb"
    _load(db, pdf, settings.pipeline_version("pdfplumber"))
    same = unchanged_corpus([str(corpus)], str(db), False, settings.pipeline_version("pdfplumber"))
    assert same == Unchanged(found=1)
    assert (
        unchanged_corpus([str(corpus)], str(db), False, settings.pipeline_version("pdfium")) is None
    )
    con = load.connect(db, read_only=True)
    assert {d.pipeline_version for d in load.known_documents(con).values()} == {
        settings.pipeline_version("pdfplumber")
    }
    con.close()


def test_the_backend_travels_in_the_stage_limits_as_a_plain_string() -> None:
    limits = Limits(60.0, 500, "pdfium")
    assert type(limits.pdf_backend) is str
    assert Limits(60.0, 500).pdf_backend == settings.DEFAULT_PDF_BACKEND


@pytest.mark.parametrize("backend", PDF_BACKENDS)
def test_text_reads_with_either_backend_and_says_the_same(backend: str) -> None:
    pdf = FIXTURES / "jmcr-7-184-duodenal-gist.pdf"
    chosen = runner.invoke(app, ["text", str(pdf), "--pdf-backend", backend])
    reference = runner.invoke(app, ["text", str(pdf)])
    assert chosen.exit_code == 0, chosen.output
    assert "duodenectomy" in chosen.stdout.lower()
    assert chosen.stdout == reference.stdout


def test_an_unknown_backend_is_refused() -> None:
    result = runner.invoke(
        app, ["text", str(FIXTURES / "fmed-08-678227.pdf"), "--pdf-backend", "poppler"]
    )
    assert result.exit_code == 2


def test_a_flow_parameter_names_a_backend_or_is_refused() -> None:
    assert [settings.pdf_backend_named(b) for b in PDF_BACKENDS] == list(PDF_BACKENDS)
    with pytest.raises(ValueError, match="unknown PDF backend 'poppler'"):
        settings.pdf_backend_named("poppler")
