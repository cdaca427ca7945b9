"""PDFium's per-character calls in one compiled loop (numba), for processes that read many PDFs.

Why: the pdfium words backend asks PDFium three things of every character (its text object,
origin and loose box) and whether each blank is one PDFium made up. Through ctypes each call
costs about 0.35 us of Python, about a quarter of the whole extract + transform stage; PDFium's
own work per call is a few nanoseconds. numba compiles the loop over a page's characters to
machine code that calls PDFium directly, about fifty times faster, and the values are PDFium's
own either way (tests/extract/test_pdfium_jit.py compares them with the ctypes path's).

Why not always: importing numba and loading the compiled loop costs about a second (a
first compile, cached on disk after it, a few). That pays in a worker that reads many PDFs,
not in `caselines text` on one. So the loop is used only after `warm()`, which the flow's
workers call at start-up (flows.stages.WARM) and the benchmark calls as a worker would; a
process that never warms reads through ctypes, with the same values.

numba caches the compiled loop on disk: in this package's __pycache__, or in numba's user
cache where that folder is read-only; NUMBA_CACHE_DIR moves it.

Set CASELINES_JIT=0 to keep every process on the ctypes path. Without numba (a platform with
no wheel) `warm()` says why and everything stays on ctypes: only speed is lost.

PDFium handles and output pointers are passed as their addresses (C size_t): a pointer and a
size_t have the same width and are passed alike on every platform pypdfium2 ships for.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2.raw as pdfium_c

log = logging.getLogger(__name__)

ENV_SWITCH = "CASELINES_JIT"
"""'0' (or 'off', 'false', 'no') keeps this process on the ctypes path."""
OFF_VALUES = frozenset({"0", "off", "false", "no"})
ORIGIN_COLUMNS = 2
"""x, y of FPDFText_GetCharOrigin (doubles)."""
BOX_COLUMNS = 4
"""left, top, right, bottom of FPDFText_GetLooseCharBox (an FS_RECTF of floats)."""
RIGHT = 2
"""The loose box's column holding its right edge."""

_ADDRESS = ctypes.c_size_t


def function_address(binding: Any) -> int:
    """The address of the PDFium function behind a pypdfium2 binding."""
    address = ctypes.cast(binding, ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium has no {binding.__name__}")
    return address


def c_function(binding: Any, restype: Any, *argtypes: Any) -> Any:
    """The PDFium function behind a pypdfium2 binding, called with plain addresses and the
    types given (which numba also reads, to call it from compiled code).

    pypdfium2's bindings build a pointer object for every pointer they return or take; with
    thousands of characters per page that costs more than PDFium's own work.
    """
    return ctypes.CFUNCTYPE(restype, *argtypes)(function_address(binding))


TEXT_OBJECT = c_function(pdfium_c.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, ctypes.c_int)
CHAR_ORIGIN = c_function(
    pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, _ADDRESS, ctypes.c_int, _ADDRESS, _ADDRESS
)
LOOSE_BOX = c_function(
    pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, _ADDRESS, ctypes.c_int, _ADDRESS
)
IS_GENERATED = c_function(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, _ADDRESS, ctypes.c_int)

Columns = tuple[
    npt.NDArray[np.uint64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]
"""Per character: its text object's address, its origin's x and y, its loose box's right edge."""


class _Kernels:
    """The compiled loops, once `warm()` has built them (None: the ctypes path)."""

    columns: Callable[..., int] | None = None
    generated: Callable[..., int] | None = None
    why_not: str = "not warmed"


_KERNELS = _Kernels()


def _compile() -> tuple[Callable[..., int], Callable[..., int]]:
    """The two loops, compiled (or read from numba's cache on disk)."""
    import numba  # a second's import: only in processes that warm

    @numba.njit(cache=True)
    def columns(
        text_object: Any,
        char_origin: Any,
        loose_box: Any,
        textpage: int,
        keep: Any,
        keys: Any,
        origins: Any,
        boxes: Any,
    ) -> int:
        origin_at, origin_step = origins.ctypes.data, origins.strides[0]
        y_offset = origins.strides[1]
        box_at, box_step = boxes.ctypes.data, boxes.strides[0]
        for k in range(keep.shape[0]):
            i = keep[k]
            keys[k] = text_object(textpage, i)
            at = origin_at + k * origin_step
            char_origin(textpage, i, at, at + y_offset)
            loose_box(textpage, i, box_at + k * box_step)
        return keep.shape[0]

    @numba.njit(cache=True)
    def generated(is_generated: Any, textpage: int, indexes: Any, out: Any) -> int:
        for k in range(indexes.shape[0]):
            out[k] = is_generated(textpage, indexes[k])
        return indexes.shape[0]

    return columns, generated


def warm() -> bool:
    """Build the compiled loops for this process (and the forkserver's children); True when
    they are in use. Safe to call again; never raises for want of numba."""
    if _KERNELS.columns is not None:
        return True
    if os.environ.get(ENV_SWITCH, "").strip().lower() in OFF_VALUES:
        _KERNELS.why_not = f"{ENV_SWITCH} is off"
        return False
    try:
        columns, generated = _compile()
        # the first call compiles (or loads) the machine code: here, not at a worker's first page
        keep = np.zeros(0, dtype=np.int64)
        columns(
            TEXT_OBJECT,
            CHAR_ORIGIN,
            LOOSE_BOX,
            0,
            keep,
            np.zeros(0, dtype=np.uint64),
            np.zeros((0, ORIGIN_COLUMNS)),
            np.zeros((0, BOX_COLUMNS), dtype=np.float32),
        )
        generated(IS_GENERATED, 0, keep, np.zeros(0, dtype=np.intc))
    except Exception as exc:  # no numba, or no compiler for this platform: ctypes it is
        _KERNELS.why_not = f"{type(exc).__name__}: {exc}"
        log.info("pdfium characters read through ctypes (%s)", _KERNELS.why_not)
        return False
    _KERNELS.columns, _KERNELS.generated = columns, generated
    return True


def active() -> bool:
    """Whether this process reads characters through the compiled loops."""
    return _KERNELS.columns is not None


def why_not() -> str:
    """Why the loops are not in use ('' when they are): not warmed, switched off, or the
    error that kept them from compiling."""
    return "" if active() else _KERNELS.why_not


def forget() -> None:
    """Back to the ctypes path (tests compare the two in one process)."""
    _KERNELS.columns = _KERNELS.generated = None
    _KERNELS.why_not = "forgotten"


def char_columns(textpage: int | None, keep: npt.NDArray[np.intp]) -> Columns | None:
    """The text object, origin and loose right edge of each character in `keep` (indexes in
    the text page at address `textpage`), or None when the loops are not in use (the caller
    reads through ctypes)."""
    kernel = _KERNELS.columns
    if kernel is None or not textpage:
        return None
    m = len(keep)
    keys = np.empty(m, dtype=np.uint64)
    origins = np.empty((m, ORIGIN_COLUMNS), dtype=np.float64)
    boxes = np.empty((m, BOX_COLUMNS), dtype=np.float32)
    kernel(TEXT_OBJECT, CHAR_ORIGIN, LOOSE_BOX, textpage, keep, keys, origins, boxes)
    return keys, origins[:, 0].copy(), origins[:, 1].copy(), boxes[:, RIGHT].astype(np.float64)


def generated_flags(
    textpage: int | None, indexes: npt.NDArray[np.intp]
) -> npt.NDArray[np.intc] | None:
    """FPDFText_IsGenerated of each character at `indexes` (1: PDFium made it up), or None
    when the loops are not in use."""
    kernel = _KERNELS.generated
    if kernel is None or not textpage:
        return None
    out = np.empty(len(indexes), dtype=np.intc)
    kernel(IS_GENERATED, textpage, indexes, out)
    return out
