"""The compiled character loop (extract.pdfium_jit) reads what the ctypes calls read.

It only changes how PDFium is called, so every value must be PDFium's own: the columns of a
page compared with one ctypes call per character, and the words of whole PDFs compared with
the ctypes path's. Without numba, or switched off, the ctypes path is taken and nothing else
changes.
"""

from __future__ import annotations

import ctypes
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extract import pdfium_jit
from extract.words_pdfium import read_pages
from flows.sandbox import resolve
from flows.stages import WARM

from .conftest import FIXTURES, FRONTIERS, ROOT, SEED

ROBUST = sorted((FIXTURES / "robust").glob("*.pdf"))
QUICK = [SEED, FRONTIERS, *ROBUST[:3]]
EVERY = sorted({*(ROOT / "corpus").glob("*.pdf"), *FIXTURES.glob("*.pdf"), *ROBUST})


@pytest.fixture
def restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test starts with the switch unset; the process's loops are as they were before it
    afterwards, whatever the test switched."""
    was = pdfium_jit.active()
    monkeypatch.delenv(pdfium_jit.ENV_SWITCH, raising=False)
    yield
    monkeypatch.delenv(pdfium_jit.ENV_SWITCH, raising=False)
    if was:
        assert pdfium_jit.warm()
    else:
        pdfium_jit.forget()


@pytest.fixture
def compiled(restored: None) -> None:
    """The loops in use for the test."""
    assert pdfium_jit.warm(), pdfium_jit.why_not()


def _words(path: Path) -> object:
    return read_pages(path.read_bytes(), time.monotonic(), 600.0, 500)


def _both(path: Path) -> tuple[object, object]:
    """The words read with the compiled loop, then through ctypes (the loop then re-warmed)."""
    fast = _words(path)
    pdfium_jit.forget()
    try:
        slow = _words(path)
    finally:
        assert pdfium_jit.warm()
    return fast, slow


def test_the_loop_answers_what_pdfium_answers_per_character(compiled: None) -> None:
    pdf = pdfium.PdfDocument(SEED)
    try:
        textpage = pdf[0].get_textpage()
        address = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        n = pdfium_c.FPDFText_CountChars(textpage.raw)
        keep = np.arange(0, n, 3, dtype=np.intp)  # every third: indexes need not be dense
        got = pdfium_jit.char_columns(address, keep)
        flags = pdfium_jit.generated_flags(address, keep)
        assert got is not None and flags is not None
        keys, xs, ys, rights = got
        x, y, box = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
        for k, i in enumerate(keep.tolist()):
            obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
            assert int(keys[k]) == (ctypes.cast(obj, ctypes.c_void_p).value or 0)
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            assert (xs[k], ys[k]) == (x.value, y.value)
            pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, box)
            assert rights[k] == box.right
            assert flags[k] == pdfium_c.FPDFText_IsGenerated(textpage.raw, i)
        assert len(keys) == len(keep) > 1000 and (flags == 1).any()  # the page has made-up blanks
        textpage.close()
    finally:
        pdf.close()


@pytest.mark.parametrize("path", QUICK, ids=lambda p: p.name)
def test_a_pdf_gives_the_same_words_either_way(compiled: None, path: Path) -> None:
    fast, slow = _both(path)
    assert fast == slow


@pytest.mark.slow
def test_every_fixture_gives_the_same_words_either_way(compiled: None) -> None:
    differ = []
    for path in EVERY:
        fast, slow = _both(path)
        if fast != slow:
            differ.append(path.name)
    assert differ == []


def test_a_worker_warms_the_loop(restored: None) -> None:
    pdfium_jit.forget()
    for target in WARM:
        resolve(target)()
    assert pdfium_jit.active()


@pytest.mark.parametrize("value", ["0", "off", "False"])
def test_the_switch_keeps_a_process_on_ctypes(
    restored: None, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    pdfium_jit.forget()
    monkeypatch.setenv(pdfium_jit.ENV_SWITCH, value)
    assert pdfium_jit.warm() is False
    assert not pdfium_jit.active()
    assert pdfium_jit.ENV_SWITCH in pdfium_jit.why_not()
    assert pdfium_jit.char_columns(1, np.zeros(1, dtype=np.intp)) is None
    assert pdfium_jit.generated_flags(1, np.zeros(1, dtype=np.intp)) is None


def test_without_numba_the_words_come_through_ctypes(
    compiled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _words(SEED)
    pdfium_jit.forget()
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "numba", None)  # `import numba` raises ModuleNotFoundError
        assert pdfium_jit.warm() is False
        assert "numba" in pdfium_jit.why_not()
        assert not pdfium_jit.active()
        assert _words(SEED) == reference
