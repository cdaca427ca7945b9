"""Read a PDF file into a Document, or fail with a typed ExtractError and a one-line reason."""

from __future__ import annotations

import hashlib
import io
import os
import time
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extract import words_pdfium
from extract.document import build_document
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
from extract.records import Document
from extract.types import PdfBackend
from extract.words import DEFAULT_BACKEND, PageWords, words_from_page

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024
"""The PDF header must start within the first KiB (readers tolerate leading junk up to that)."""


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer error pdfplumber wrapped, if any."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _classify(exc: BaseException, where: str) -> ExtractError:
    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPdf(f"encrypted PDF: a password is needed to read it ({where})")
    detail = str(cause).strip().splitlines()[0][:160] if str(cause).strip() else ""
    name = type(cause).__name__
    return CorruptPdf(
        f"corrupt or truncated PDF ({where}): {name}{': ' + detail if detail else ''}"
    )


def _check_bytes(data: bytes) -> None:
    if not data:
        raise EmptyPdf("empty file (0 bytes)")
    if PDF_MAGIC not in data[:MAGIC_WINDOW]:
        raise NotAPdf("not a PDF: no %PDF- header in the first 1024 bytes")


def read_document(
    path: str | os.PathLike[str],
    *,
    time_limit_s: float = 120.0,
    max_pages: int = 500,
    backend: PdfBackend = DEFAULT_BACKEND,
) -> Document:
    """Read one PDF into a Document.

    doc_id is the SHA-256 of the file's bytes. The time limit is cooperative (checked between
    pages). Raises NotAPdf, EmptyPdf, CorruptPdf, EncryptedPdf, NoTextLayer, TooManyPages or
    TimeLimitExceeded; a file that cannot be opened raises the usual OSError. `backend` names
    the library that reads the characters (extract.types.PdfBackend); the rest is shared.
    """
    started = time.monotonic()
    str_path = os.fspath(path)
    with open(str_path, "rb") as fh:
        data = fh.read()
    _check_bytes(data)
    doc_id = hashlib.sha256(data).hexdigest()
    read = words_pdfium.read_pages if backend == "pdfium" else _read_pages
    pages, metadata = read(data, started, time_limit_s, max_pages)
    if not any(p.words for p in pages):
        n_images = sum(p.n_images for p in pages)
        if n_images:
            raise NoTextLayer(
                f"no text layer: {len(pages)} page(s) with {n_images} image(s) and no text "
                "(scanned? needs OCR)"
            )
        raise EmptyPdf(f"no text and no images on its {len(pages)} page(s)")
    try:
        return build_document(doc_id, str_path, pages, metadata)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a layout bug must not pass for a PDF problem silently
        raise CorruptPdf(f"unreadable layout: {type(exc).__name__}: {exc}") from exc


def _read_pages(
    data: bytes, started: float, time_limit_s: float, max_pages: int
) -> tuple[list[PageWords], dict[str, Any]]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:
        raise _classify(exc, "opening") from exc
    with pdf:
        try:
            pages = pdf.pages
            metadata = dict(pdf.metadata)
        except MemoryError:
            raise
        except Exception as exc:
            raise _classify(exc, "page tree") from exc
        n = len(pages)
        if n == 0:
            raise EmptyPdf("the PDF has no pages")
        if n > max_pages:
            raise TooManyPages(f"{n} pages, more than the limit of {max_pages}")
        out: list[PageWords] = []
        for i, page in enumerate(pages):
            elapsed = time.monotonic() - started
            if elapsed > time_limit_s:
                raise TimeLimitExceeded(
                    f"time limit of {time_limit_s:g} s exceeded after {i} of {n} pages"
                )
            try:
                out.append(words_from_page(page, i + 1))
            except MemoryError:
                raise
            except Exception as exc:
                raise _classify(exc, f"page {i + 1}") from exc
            finally:
                page.close()
    return out, metadata
