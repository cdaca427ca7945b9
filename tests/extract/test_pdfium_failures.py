"""Bad input under the pdfium backend keeps the typed errors and limits of the pdfplumber one;
a crash inside PDFium takes down only its worker process, which the sandbox reports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

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
from extract.records import Document
from flows import stages
from flows.sandbox import (
    MB,
    MEMORY_LIMIT,
    WORKER_CRASHED,
    StageFailed,
    WorkerConfig,
    WorkerPool,
    worker_pids,
)

from .conftest import SEED

PDFIUM = "pdfium"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path, **kw: object) -> None:
    read_document(path, backend=PDFIUM, **kw)  # type: ignore[arg-type]


def _encrypted() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(str(SEED)), pages=(0, 1))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _image_only() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(buf, format="PDF")
    return buf.getvalue()


def _blank() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


CASES: list[tuple[str, bytes, type[ExtractError]]] = [
    ("empty", b"", EmptyPdf),
    ("html", b"<html><body>Case report</body></html>", NotAPdf),
    ("truncated", SEED.read_bytes()[: len(SEED.read_bytes()) // 3], CorruptPdf),
    ("garbage", b"%PDF-1.7\n" + bytes(range(256)) * 40, CorruptPdf),
    ("encrypted", _encrypted(), EncryptedPdf),
    ("scanned", _image_only(), NoTextLayer),
    ("blank", _blank(), EmptyPdf),
]


@pytest.mark.parametrize(("name", "data", "error"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_the_same_typed_error(
    tmp_path: Path, name: str, data: bytes, error: type[ExtractError]
) -> None:
    path = _write(tmp_path, f"{name}.pdf", data)
    with pytest.raises(error) as info:
        _read(path)
    assert info.value.reason and "\n" not in info.value.reason
    with pytest.raises(error):
        read_document(path, backend="pdfplumber")


def test_the_encrypted_reason_names_the_password(tmp_path: Path) -> None:
    with pytest.raises(EncryptedPdf) as info:
        _read(_write(tmp_path, "locked.pdf", _encrypted()))
    assert "password" in info.value.reason


def test_page_and_time_limits_hold() -> None:
    with pytest.raises(TooManyPages) as info:
        _read(SEED, max_pages=3)
    assert "8 pages" in info.value.reason
    with pytest.raises(TimeLimitExceeded):
        _read(SEED, time_limit_s=0.0)


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    config = WorkerConfig(memory_limit_mb=None, preload=stages.modules())
    with WorkerPool(1, config) as p:
        yield p


def _extract(pool: WorkerPool, path: Path) -> Document:
    kwargs = {"time_limit_s": 60.0, "max_pages": 500, "backend": PDFIUM}
    doc: Document = pool.run(stages.EXTRACT, (str(path),), kwargs, time_limit_s=65.0)
    return doc


def _crash_pdfium() -> None:
    """Dereference NULL inside a native call, as a PDFium bug on a hostile file would."""
    import ctypes

    ctypes.string_at(0)


def test_the_backend_reaches_the_worker_and_a_native_crash_kills_only_the_worker(
    pool: WorkerPool,
) -> None:
    doc = _extract(pool, SEED)
    assert doc.meta.n_pages == 8
    with pytest.raises(StageFailed) as info:
        pool.run(f"{__name__}:_crash_pdfium", (), time_limit_s=30.0)
    assert info.value.failure.code == WORKER_CRASHED
    assert _extract(pool, SEED).doc_id == doc.doc_id


def _peak_address_space_mb(pid: int) -> float:
    """The peak address space of that one worker (VmPeak), what RLIMIT_AS caps."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmPeak for process {pid}")


def test_a_worker_out_of_memory_under_pdfium_fails_alone(tmp_path: Path) -> None:
    """With an address space too small for PDFium's page buffers the stage fails with
    memory_limit (MemoryError) or, if PDFium aborts on the failed allocation, worker_crashed;
    either way a typed failure, and the next PDF is read by a fresh worker. The limit is what
    the seed took beyond the warm worker (flows.sandbox counts it so) and some slack."""
    config = WorkerConfig(memory_limit_mb=None, preload=stages.modules())
    with WorkerPool(1, config) as pool:
        warm = pool.run("flows.sandbox:address_space", (), time_limit_s=30.0) / MB
        doc = _extract(pool, SEED)
        (pid,) = worker_pids(pool)
        took = _peak_address_space_mb(pid) - warm
    tight = WorkerConfig(memory_limit_mb=int(took) + 64, preload=stages.modules())
    big = tmp_path / "big.pdf"
    writer = PdfWriter()
    for _ in range(40):
        writer.append(PdfReader(str(SEED)))
    writer.write(str(big))
    with WorkerPool(1, tight) as pool:
        with pytest.raises(StageFailed) as info:
            _extract(pool, big)
        assert info.value.failure.code in (MEMORY_LIMIT, WORKER_CRASHED)
        assert _extract(pool, SEED).doc_id == doc.doc_id
