"""Embedded CMap encodings for CID fonts, which pdfminer does not read.

A Type0 font's /Encoding is either the name of a predefined CMap ('Identity-H') or a CMap
stream embedded in the PDF (ISO 32000-1, 9.7.5.3; WeasyPrint and other HTML-to-PDF tools
write one per subset font). pdfminer.six looks the stream's /CMapName up among the
predefined CMaps, finds nothing, and decodes every string shown in that font to no glyphs,
so whole pages of text vanish without a warning. `install()` wraps pdfminer's lookup so that
an embedded stream's cidchar and cidrange sections are read; everything else is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pdfminer.cmapdb import CMap, CMapBase
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import PDFStream, resolve1

_ORIGINAL = PDFCIDFont.get_cmap_from_spec


_SECTION = re.compile(rb"begincid(char|range)(.*?)endcid\1", re.DOTALL)
_CHAR = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*(\d+)")
_RANGE = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]+)>\s*(\d+)")
MAX_CODES = 1 << 17
"""More codes than a two-byte code space holds (twice over) is not an encoding but a bomb."""


def _code(hex_digits: bytes) -> bytes:
    digits = b"".join(hex_digits.split())
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _add(code2cid: dict[int, object], code: bytes, cid: int) -> None:
    node = code2cid
    for byte in code[:-1]:
        child = node.setdefault(byte, {})
        if not isinstance(child, dict):
            return
        node = child
    node[code[-1]] = cid


def parse_encoding_cmap(data: bytes) -> CMap:
    """The code -> CID map of an embedded CMap stream (its cidchar and cidrange sections)."""
    cmap = CMap()
    n = 0
    for kind, body in _SECTION.findall(data):
        if kind == b"char":
            for code, cid in _CHAR.findall(body):
                if n < MAX_CODES and (c := _code(code)):
                    _add(cmap.code2cid, c, int(cid))
                    n += 1
            continue
        for lo_hex, hi_hex, cid in _RANGE.findall(body):
            lo, hi = _code(lo_hex), _code(hi_hex)
            if not lo or len(lo) != len(hi):
                continue
            start, stop = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            for i in range(start, min(stop, start + MAX_CODES - n) + 1):
                _add(cmap.code2cid, i.to_bytes(len(lo), "big"), int(cid) + i - start)
            n += max(0, stop - start + 1)
    return cmap


def embedded_cmap(encoding: object) -> CMap | None:
    """The CMap an /Encoding stream defines, or None when it is not a usable stream."""
    stream = resolve1(encoding)
    if not isinstance(stream, PDFStream):
        return None
    try:
        cmap = parse_encoding_cmap(stream.get_data())
    except (ValueError, TypeError):
        return None
    return cmap if cmap.code2cid else None


def _get_cmap_from_spec(self: PDFCIDFont, spec: Mapping[str, Any], strict: bool) -> CMapBase:
    cmap = embedded_cmap(spec.get("Encoding"))
    if cmap is not None:
        return cmap
    return _ORIGINAL(self, spec, strict)


def install() -> None:
    """Make pdfminer read embedded CMap encodings (idempotent)."""
    PDFCIDFont.get_cmap_from_spec = _get_cmap_from_spec  # type: ignore[method-assign]
