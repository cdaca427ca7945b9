"""Make matplotlib's SVG safe to inline in an HTML page.

Regimen labels and drug names come from PDFs. matplotlib escapes XML text and attributes,
so a label such as ``<script>`` arrives as character data; this module strips the XML
prolog (an inline <svg> needs none) and then checks the tree, so that a future change in
matplotlib cannot slip active content into the report unnoticed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_START = "<svg"
FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "object", "embed", "a", "animate", "set", "handler"}
)
HREF_ATTRIBUTES = frozenset({"href", "{http://www.w3.org/1999/xlink}href"})
EVENT_ATTRIBUTE_PREFIX = "on"
LOCAL_REF_PREFIX = "#"


_ID_ATTRIBUTE = re.compile(r'(\sid=")([^"]+)(")')
_LOCAL_URL = re.compile(r"(url\(#)([^)]+)(\))")
_LOCAL_HREF = re.compile(r'(href="#)([^"]+)(")')


class UnsafeSvgError(ValueError):
    """The SVG holds something that could run code or load from the network."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def check_svg(svg: str) -> None:
    """Raise UnsafeSvgError on scripts, event handlers, embedded HTML or non-local links."""
    root = ET.fromstring(svg)
    for element in root.iter():
        tag = _local(element.tag)
        if tag in FORBIDDEN_ELEMENTS:
            raise UnsafeSvgError(f"forbidden element <{tag}> in plot SVG")
        for name, value in element.attrib.items():
            if _local(name).startswith(EVENT_ATTRIBUTE_PREFIX):
                raise UnsafeSvgError(f"event attribute {name} in plot SVG")
            if name in HREF_ATTRIBUTES and not value.startswith(LOCAL_REF_PREFIX):
                raise UnsafeSvgError(f"non-local link {value!r} in plot SVG")


def prefix_ids(svg: str, prefix: str) -> str:
    """Every id of the SVG, and every local reference to one, with `prefix` in front.

    matplotlib numbers its ids per figure (patch_1, the clip paths, the marker
    definitions), so two figures on one page would share ids and one figure's clip path
    could cut another's drawing; a prefix per figure keeps them apart.
    """
    ids = {m.group(2) for m in _ID_ATTRIBUTE.finditer(svg)}

    def rename(match: re.Match[str]) -> str:
        head, name, tail = match.groups()
        return f"{head}{prefix}{name}{tail}" if name in ids else match.group(0)

    for pattern in (_ID_ATTRIBUTE, _LOCAL_URL, _LOCAL_HREF):
        svg = pattern.sub(rename, svg)
    return svg


def inline_svg(document: str, id_prefix: str = "") -> str:
    """The <svg> element of an SVG document, checked, ready to sit inside HTML; with
    `id_prefix`, its ids are made unique on a page holding several figures."""
    start = document.find(SVG_START)
    if start < 0:
        raise UnsafeSvgError("no <svg> element in plot output")
    svg = document[start:].strip()
    if id_prefix:
        svg = prefix_ids(svg, id_prefix)
    check_svg(svg)
    return svg
