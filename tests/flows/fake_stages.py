"""Stand-in stages for testing the flow's orchestration without pdfplumber or spaCy.

Worker processes import this module by name (flows.stages holds 'module:function'), so the
behaviour is chosen by the file's content: the marker on the first line.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

from extract.errors import CorruptPdf
from extract.records import Document, DocumentMeta
from tests.factories import extraction
from transform.records import Extraction

HANG = b"HANG"
"""Spins without any cooperative check, like pdfminer stuck on one page."""
BOMB = b"BOMB"
"""Allocates far more memory than any worker limit."""
BAD = b"BAD"
"""Raises the extract stage's own typed error."""
SLOW_TRANSFORM = b"SLOWT"
"""Extracts fine, then hangs in transform."""
CRASH = b"CRASH"
"""Kills its own process, like a segfault in a C extension."""
NAP = b"NAP"
"""Takes NAP_S of wall time, and first leaves '<path>.started': a test can act mid-run."""
NAP_S = 1.5
REFUSED = b"REFUSED"
"""Transforms to an extraction the warehouse refuses (a value outside a column's accepted set)."""
BOMB_BYTES = 64 << 30


def _spin() -> None:
    while True:
        pass


def read_document(
    path: str, *, time_limit_s: float, max_pages: int, backend: str = "pdfplumber"
) -> Document:
    data = Path(path).read_bytes()
    if data.startswith(HANG):
        _spin()
    if data.startswith(BOMB):
        hog = bytearray(BOMB_BYTES)
        return Document(str(len(hog)), path, DocumentMeta(), ())
    if data.startswith(BAD):
        raise CorruptPdf("the file ends before its cross-reference table")
    if data.startswith(CRASH):
        os.kill(os.getpid(), signal.SIGKILL)
    if data.startswith(NAP):
        Path(f"{path}.started").touch()
        time.sleep(NAP_S)
    return Document(hashlib.sha256(data).hexdigest(), path, DocumentMeta(n_pages=1), ())


def transform_document(doc: Document) -> Extraction:
    if Path(doc.path).read_bytes().startswith(SLOW_TRANSFORM):
        _spin()
    if Path(doc.path).read_bytes().startswith(REFUSED):
        return extraction(doc.doc_id, path=doc.path, finding_kind="bogus")
    return extraction(doc.doc_id, path=doc.path)


def sleepy_read_document(
    path: str, *, time_limit_s: float, max_pages: int, backend: str = "pdfplumber"
) -> Document:
    """A fixed-cost extract, for measuring parallelism."""
    deadline = time.process_time() + 0.5
    while time.process_time() < deadline:
        pass
    return read_document(path, time_limit_s=time_limit_s, max_pages=max_pages)
