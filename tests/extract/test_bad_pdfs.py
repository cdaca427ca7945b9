"""Bad input gets a typed ExtractError with a one-line reason, never another exception."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pdfplumber.utils.exceptions import PdfminerException
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from extract import pdf as pdf_module
from extract.errors import (
    CorruptPdf,
    EmptyPdf,
    EncryptedPdf,
    ExtractError,
    NotAPdf,
    NoTextLayer,
    TimeLimitExceeded,
    TooManyPages,
)
from extract.pdf import read_document
from extract.types import PDF_BACKENDS, PdfBackend
from tests.oddpdfs import ODD

from .conftest import FIXTURES, SEED


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _assert_one_line(err: ExtractError) -> None:
    assert err.reason and "\n" not in err.reason


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EmptyPdf) as info:
        read_document(_write(tmp_path, "empty.pdf", b""))
    _assert_one_line(info.value)


def test_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(NotAPdf) as info:
        read_document(_write(tmp_path, "page.pdf", b"<html><body>Case report</body></html>"))
    assert info.value.code == "not_a_pdf"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    with pytest.raises(CorruptPdf) as info:
        read_document(_write(tmp_path, "cut.pdf", data[: len(data) // 3]))
    _assert_one_line(info.value)


def test_garbage_after_header(tmp_path: Path) -> None:
    with pytest.raises(CorruptPdf):
        read_document(_write(tmp_path, "junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40))


def test_encrypted_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(str(SEED)), pages=(0, 1))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(EncryptedPdf) as info:
        read_document(_write(tmp_path, "locked.pdf", buf.getvalue()))
    assert "password" in info.value.reason


@pytest.mark.parametrize("backend", PDF_BACKENDS)
def test_an_error_of_the_file_before_is_not_the_next_files(
    tmp_path: Path, backend: PdfBackend
) -> None:
    """PDFium keeps its last error per thread and some failures set none: a worker that
    read an encrypted file and then one without pages must call the second empty, not
    encrypted (the flow's workers read many files one after another)."""
    locked = _write(tmp_path, "locked.pdf", ODD["encrypted-with-password.pdf"]())
    pageless = _write(tmp_path, "pageless.pdf", ODD["zero-pages.pdf"]())
    with pytest.raises(EncryptedPdf):
        read_document(locked, backend=backend)
    with pytest.raises(EmptyPdf):
        read_document(pageless, backend=backend)


def test_image_only_pdf(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(buf, format="PDF")
    with pytest.raises(NoTextLayer):
        read_document(_write(tmp_path, "scan.pdf", buf.getvalue()))


def test_blank_pages_are_empty(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(EmptyPdf):
        read_document(_write(tmp_path, "blank.pdf", buf.getvalue()))


def test_page_limit() -> None:
    with pytest.raises(TooManyPages) as info:
        read_document(SEED, max_pages=3)
    assert "8 pages" in info.value.reason


def test_time_limit_is_checked_between_pages() -> None:
    with pytest.raises(TimeLimitExceeded):
        read_document(SEED, time_limit_s=0.0)


def test_single_patient_report_has_one_segment() -> None:
    doc = read_document(FIXTURES / "jmcr-7-184-duodenal-gist.pdf")
    assert len(doc.cases) == 1
    assert doc.cases[0].case_id == 1
    in_case = [b for b in doc.body() if b.case_id == 1]
    assert in_case and all(b.section == "case_presentation" for b in in_case)
    # The abstract's own 'Case presentation' part is not the patient segment.
    assert all(b.section != "case_presentation" for b in doc.blocks if b.page == 1)
    assert any("65-year-old" in b.text for b in in_case)


ROBUST = sorted((FIXTURES / "robust").glob("*.pdf"))
ROBUST_COUNT = 52
"""tests/fixtures/robust/ holds 52 PDFs (see its SOURCE.md)."""


def test_robust_corpus_is_present() -> None:
    """The robust tests are parametrised over the folder: an absent folder must fail here,
    not turn them into silent skips."""
    assert len(ROBUST) == ROBUST_COUNT, f"expected {ROBUST_COUNT} PDFs in {FIXTURES / 'robust'}"


@pytest.mark.parametrize("path", ROBUST[:2], ids=lambda p: p.name)
def test_robust_sample_reads(path: Path) -> None:
    doc = read_document(path)
    assert doc.blocks


@pytest.mark.slow
@pytest.mark.parametrize("path", ROBUST, ids=lambda p: p.name)
def test_every_robust_pdf_is_a_document_or_a_typed_error(path: Path) -> None:
    try:
        doc = read_document(path)
    except ExtractError as err:
        _assert_one_line(err)
    else:
        assert doc.meta.n_pages >= 1


ODD_OUTCOME = {
    "plain.pdf": None,
    "broken-xref.pdf": None,
    "page-tree-cycle.pdf": None,
    "zero-pages.pdf": EmptyPdf,
    "lying-page-count.pdf": None,
    "bad-media-box.pdf": None,
    "empty-media-box.pdf": None,
    "garbage-content.pdf": EmptyPdf,
    "missing-root.pdf": None,
    "missing-font.pdf": None,
    "encrypted-with-password.pdf": EncryptedPdf,
    "encrypted-owner-only.pdf": None,
    "many-pages.pdf": TooManyPages,
}
"""None: the PDF is read (a broken xref is rebuilt; owner-only encryption opens with the empty
user password); else the typed error it must raise."""


@pytest.mark.parametrize("backend", PDF_BACKENDS)
@pytest.mark.parametrize("name", sorted(ODD), ids=str)
def test_odd_pdf_is_a_document_or_a_typed_error(
    tmp_path: Path, name: str, backend: PdfBackend
) -> None:
    path = _write(tmp_path, name, ODD[name]())
    expected = ODD_OUTCOME[name]
    if expected is None:
        doc = read_document(path, backend=backend)
        assert "cisplatin" in " ".join(b.text for b in doc.blocks)
        return
    with pytest.raises(expected) as info:
        read_document(path, backend=backend)
    _assert_one_line(info.value)


@pytest.mark.parametrize(
    "exc",
    [
        TypeError("unsupported operand type(s) for +: 'NoneType' and 'int'"),
        PdfminerException(KeyError("Kids")),
        PdfminerException("Unexpected EOF"),
        RecursionError("maximum recursion depth exceeded"),
        PdfReadError("Invalid xref"),
        OSError("PDFIOError"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_any_parser_exception_is_a_typed_error_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: Exception
) -> None:
    """Whatever pdfminer, pdfplumber or pypdf raise while reading a page is one typed error
    whose reason says what is wrong in words, not only an exception's class name."""

    def broken(page: object, page_no: int) -> object:
        raise exc

    monkeypatch.setattr(pdf_module, "words_from_page", broken)
    path = _write(tmp_path, "plain.pdf", ODD["plain.pdf"]())
    with pytest.raises(CorruptPdf) as info:
        read_document(path, backend="pdfplumber")
    _assert_one_line(info.value)
    assert "page 1" in info.value.reason
    words = info.value.reason.split(": ", 1)[1]
    assert not words.startswith(type(exc).__name__)


def test_a_layout_failure_is_a_typed_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdf_module, "build_document", broken)
    with pytest.raises(CorruptPdf) as info:
        read_document(_write(tmp_path, "plain.pdf", ODD["plain.pdf"]()))
    assert "cycle" in info.value.reason
