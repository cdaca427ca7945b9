"""Read a PDF file into a Document, or fail with a typed ExtractError and a one-line reason."""

from __future__ import annotations

import hashlib
import io
import os
import time
import zlib
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFNoValidXRef, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFontError
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.utils.exceptions import PdfminerException
from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, PdfReadError

from extract import fonts, words_pdfium
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

fonts.install()

NO_PAGES = "the PDF has no pages"
DETAIL_CHARS = 120
"""Characters of a parser's own message kept after the reason."""
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024
"""The PDF header must start within the first KiB (readers tolerate leading junk up to that)."""


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer error pdfplumber wrapped, if any."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


_WHAT: tuple[tuple[type[BaseException], str], ...] = (
    (PDFNoValidXRef, "no valid cross-reference table"),
    (PSEOF, "the file ends in the middle of an object (truncated?)"),
    (EOFError, "the file ends in the middle of an object (truncated?)"),
    (PDFSyntaxError, "syntax error"),
    (PSException, "syntax error"),
    (RecursionError, "objects that refer to themselves (a reference cycle)"),
    (PDFFontError, "a font that cannot be read"),
    (zlib.error, "a compressed stream that does not decompress"),
    (PdfReadError, "a structure pypdf cannot read"),
    (TypeError, "an object of the wrong type where the PDF needs another"),
    (ValueError, "an object with an impossible value"),
    (KeyError, "a required entry missing from an object"),
    (AttributeError, "an object of the wrong type where the PDF needs another"),
    (IndexError, "a reference to an object that is not there"),
)
"""What a parser's exception says about the file, in words (the class name is no reason)."""


def _classify(exc: BaseException, where: str) -> ExtractError:
    """The typed error for any exception pdfminer, pdfplumber or pypdf raised on a file."""
    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError | FileNotDecryptedError):
        return EncryptedPdf(f"encrypted PDF: a password is needed to read it ({where})")
    what = next((w for t, w in _WHAT if isinstance(cause, t)), "a malformed structure")
    detail = str(cause).strip().splitlines()[0][:DETAIL_CHARS] if str(cause).strip() else ""
    return CorruptPdf(f"corrupt PDF ({where}): {what}{' (' + detail + ')' if detail else ''}")


def _repaired(data: bytes) -> bytes | None:
    """The PDF rewritten by pypdf, which rebuilds a broken cross-reference table by scanning
    the file, when pdfminer found no pages and pypdf finds some; else None."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or len(reader.pages) == 0:
            return None
        writer = PdfWriter(clone_from=reader)
        buf = io.BytesIO()
        writer.write(buf)
    except MemoryError:
        raise
    except Exception:  # not repairable: the caller reports the original problem
        return None
    return buf.getvalue()


def _read_repairing(
    read: Any, data: bytes, started: float, time_limit_s: float, max_pages: int
) -> tuple[list[PageWords], dict[str, Any]]:
    """`read` the PDF; one in which no pages were found is read again as pypdf repairs it."""
    try:
        pages, metadata = read(data, started, time_limit_s, max_pages)
    except EmptyPdf as empty:
        if not str(empty).startswith(NO_PAGES):
            raise
        fixed = _repaired(data)
        if fixed is None:
            raise
        pages, metadata = read(fixed, started, time_limit_s, max_pages)
    return pages, metadata


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
    try:
        pages, metadata = _read_repairing(read, data, started, time_limit_s, max_pages)
    except words_pdfium.UnopenedPdf:
        # PDFium refuses what pdfminer may still read (a missing /Root, a page tree found by
        # scanning): the reference reads it, or raises its own typed error
        pages, metadata = _read_repairing(_read_pages, data, started, time_limit_s, max_pages)
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
    except MemoryError:
        raise
    except Exception as exc:  # a layout bug must not pass for a PDF problem silently
        raise _classify(exc, "laying out the text") from exc


def _read_pages(
    data: bytes, started: float, time_limit_s: float, max_pages: int
) -> tuple[list[PageWords], dict[str, Any]]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:
        raise _classify(exc, "opening") from exc
    try:
        return _pages_of(pdf, started, time_limit_s, max_pages)
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:  # closing, or anything else pdfplumber raises late
        raise _classify(exc, "reading") from exc


def _pages_of(
    pdf: Any, started: float, time_limit_s: float, max_pages: int
) -> tuple[list[PageWords], dict[str, Any]]:
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
            raise EmptyPdf(f"{NO_PAGES} (or none a reader can find)")
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
