"""Make matplotlib's SVG safe to inline in an HTML page.

Regimen labels and drug names come from PDFs. matplotlib escapes XML text and attributes,
so a label such as ``<script>`` arrives as character data; this module strips the XML
prolog (an inline <svg> needs none) and then checks the tree, so that a future change in
matplotlib cannot slip active content into the report unnoticed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_START = "<svg"
FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "object", "embed", "a", "animate", "set", "handler"}
)
HREF_ATTRIBUTES = frozenset({"href", "{http://www.w3.org/1999/xlink}href"})
EVENT_ATTRIBUTE_PREFIX = "on"
LOCAL_REF_PREFIX = "#"


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


def inline_svg(document: str) -> str:
    """The <svg> element of an SVG document, checked, ready to sit inside HTML."""
    start = document.find(SVG_START)
    if start < 0:
        raise UnsafeSvgError("no <svg> element in plot output")
    svg = document[start:].strip()
    check_svg(svg)
    return svg
