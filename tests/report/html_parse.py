"""Just enough HTML parsing for the report tests (stdlib only, no extra dependency)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class DataCell:
    table: str
    links: list[dict[str, str]] = field(default_factory=list)
    spans: list[dict[str, str]] = field(default_factory=list)
    text: str = ""

    @property
    def value(self) -> str:
        """The printed value without the [n] links to further evidence sentences."""
        return re.sub(r"\[\d+\]", "", self.text).strip()


class _ReportParser(HTMLParser):
    """Collects the cells of every table.data, the evidence list and the element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[DataCell] = []
        self.evidence: dict[str, str] = {}
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._table: str | None = None
        self._cell: DataCell | None = None
        self._li: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table" and "data" in a.get("class", "").split():
            self._table = a.get("data-table", "")
        elif tag == "td" and self._table is not None:
            self._cell = DataCell(self._table)
            self.cells.append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.links.append(a)
        elif tag == "span" and self._cell is not None:
            self._cell.spans.append(a)
        elif tag == "li" and a.get("id", "").startswith("ev-"):
            self._li = a["id"]
            self.evidence[self._li] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "td":
            self._cell = None
        elif tag == "li":
            self._li = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._li is not None:
            self.evidence[self._li] += data


def parse(path: Path) -> _ReportParser:
    parser = _ReportParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def svg_root(path: Path) -> ET.Element:
    """The inline <svg> of a case page, parsed as XML (it must be well-formed)."""
    html = path.read_text(encoding="utf-8")
    match = re.search(r"<svg\b.*?</svg>", html, flags=re.S)
    assert match, f"no inline <svg> in {path.name}"
    return ET.fromstring(match.group(0))


def svg_groups(root: ET.Element, pattern: str) -> list[ET.Element]:
    regex = re.compile(pattern)
    return [g for g in root.iter(f"{SVG_NS}g") if regex.fullmatch(g.get("id", ""))]


def svg_text(group: ET.Element) -> str:
    return "".join(t.text or "" for t in group.iter(f"{SVG_NS}text"))
