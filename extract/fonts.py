"""What pdfminer reads of fonts: embedded CMap encodings (patched in), and each font's descent.

Embedded CMap encodings for CID fonts, which pdfminer does not read:

A Type0 font's /Encoding is either the name of a predefined CMap ('Identity-H') or a CMap
stream embedded in the PDF (ISO 32000-1, 9.7.5.3; WeasyPrint and other HTML-to-PDF tools
write one per subset font). pdfminer.six looks the stream's /CMapName up among the
predefined CMaps, finds nothing, and decodes every string shown in that font to no glyphs,
so whole pages of text vanish without a warning. `install()` wraps pdfminer's lookup so that
an embedded stream's cidchar and cidrange sections are read; everything else is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any

from pdfminer.cmapdb import CMap, CMapBase
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import FontMetricsDB, PDFCIDFont
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral, literal_name

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


_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
"""'ABCDEF+' before a subset font's name: PDFium names some fonts without it."""
GLYPH_UNITS = 0.001
"""Font descriptor metrics are in thousandths of the font size."""
MAX_XOBJECT_DEPTH = 8
"""Form XObjects nest; fonts deeper than this are not looked for."""


def _descriptor(font: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The descriptor pdfminer reads the metrics from (None: a Type3 font, boxed otherwise)."""
    subtype = resolve1(font.get("Subtype"))
    name = literal_name(subtype) if isinstance(subtype, PSLiteral) else str(subtype)
    if name == "Type3":
        return None
    if name == "Type0":
        kids = resolve1(font.get("DescendantFonts")) or []
        kid = resolve1(kids[0]) if kids else None
        font = kid if isinstance(kid, dict) else {}
    elif name in ("Type1", "MMType1"):
        base = resolve1(font.get("BaseFont"))
        try:
            return FontMetricsDB.get_metrics(literal_name(base))[0]
        except (KeyError, TypeError):
            pass
    descriptor = resolve1(font.get("FontDescriptor"))
    return descriptor if isinstance(descriptor, dict) else {}


def _page_fonts(resources: object, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for font in fonts.values():
            font = resolve1(font)
            if isinstance(font, dict):
                yield font
    xobjects = resolve1(resources.get("XObject"))
    if isinstance(xobjects, dict) and depth < MAX_XOBJECT_DEPTH:
        for xobject in xobjects.values():
            xobject = resolve1(xobject)
            if isinstance(xobject, PDFStream):
                yield from _page_fonts(xobject.get("Resources"), depth + 1)


def font_descents(data: bytes) -> dict[str, float]:
    """pdfminer's descent of each font, per unit of font size, by BaseFont name.

    pdfminer boxes a glyph from the font's descent: the descriptor's /Descent as written
    (0 when absent, made negative), or the standard 14 fonts' AFM metrics. PDFium fills in a
    descent of its own where the descriptor gives neither /Ascent nor /Descent (the bottom of
    the glyph coded 'g', or the font's bbox), so its boxes and line tops differ from
    pdfplumber's there. Each font is named by its /BaseFont with and without a subset tag
    (PDFium drops the tag of some); names bound to fonts of two different descents are left
    out, and a PDF pdfminer cannot parse gives none (PDFium's own metrics are used then).
    """
    seen: dict[str, float | None] = {}
    try:
        document = PDFDocument(PDFParser(BytesIO(data)))
        for page in PDFPage.create_pages(document):
            for font in _page_fonts(page.resources):
                descriptor = _descriptor(font)
                base = resolve1(font.get("BaseFont"))
                if descriptor is None or not isinstance(base, PSLiteral):
                    continue
                value = resolve1(descriptor.get("Descent", 0))
                descent = (
                    -abs(float(value)) * GLYPH_UNITS if isinstance(value, int | float) else 0.0
                )
                name = literal_name(base)
                for key in {name, _SUBSET_TAG.sub("", name)}:
                    if seen.setdefault(key, descent) != descent:
                        seen[key] = None
    except Exception:  # a PDF pdfminer cannot read keeps PDFium's metrics
        return {}
    return {name: d for name, d in seen.items() if d is not None}
