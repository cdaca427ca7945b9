"""Strings from PDFs are text, never markup: in the HTML and inside the plot's SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.recist_sums import lesion_sums
from report.records import LesionRow
from report.svg import UnsafeSvgError, check_svg, inline_svg
from tests.report.builder import DOC_ID
from tests.report.conftest import IMG_PAYLOAD, SCRIPT_PAYLOAD
from tests.report.html_parse import parse, svg_groups, svg_root, svg_text

RAW_MARKUP = ("<script>window.__xss", "<img src=x")
OWN_SCRIPT = "cohort.js"


def _pages(report: Path) -> list[Path]:
    return [report, *sorted((report.parent / "cases").glob("*.html"))]


def test_payloads_are_escaped_in_every_page(xss_report: Path) -> None:
    pages = _pages(xss_report)
    assert len(pages) == 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for raw in RAW_MARKUP:
            assert raw not in html, f"{raw!r} unescaped in {page.name}"
        assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in html
    tags = [(tag, attrs) for page in pages for tag, attrs in parse(page).tags]
    assert not [t for t, _ in tags if t == "img"]
    scripts = [attrs.get("src") for tag, attrs in tags if tag == "script"]
    assert scripts == [OWN_SCRIPT], "the index's own script file is the only script"
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]


def test_payload_in_plot_labels_is_svg_text(xss_report: Path) -> None:
    case1 = xss_report.parent / f"cases/{DOC_ID[:12]}-case-1.html"
    root = svg_root(case1)
    (label,) = svg_groups(root, "c1-label-1")
    assert svg_text(label).startswith("L1  TH <img src=x onerror=")
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in {"script", "img"}]


def test_payload_in_evidence_is_quoted_text(xss_report: Path) -> None:
    doc = parse(xss_report.parent / f"cases/{DOC_ID[:12]}-case-1.html")
    sentences = set(doc.evidence.values())
    assert sentences == {
        f"p. {page} She received {SCRIPT_PAYLOAD} and {IMG_PAYLOAD}." for page in (3, 7)
    }


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="https://example.org/x.svg#a"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    ],
)
def test_unsafe_svg_is_refused(svg: str) -> None:
    with pytest.raises(UnsafeSvgError):
        check_svg(svg)


def test_inline_svg_drops_the_prolog() -> None:
    doc = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    assert inline_svg(doc).startswith("<svg")


def _lesion(on: str, dims: tuple[float, float], node: bool = False) -> LesionRow:
    from datetime import date

    return LesionRow("d", 1, date.fromisoformat(on), "x", dims[0], dims[1], node, "3", "A", 1, "e")


def test_lesion_sums_per_date_with_nadir() -> None:
    sums = lesion_sums([
        _lesion("2020-01-01", (4.0, 3.0)), _lesion("2020-01-01", (2.0, 1.5), node=True),
        _lesion("2020-03-01", (2.0, 1.0)), _lesion("2020-03-01", (1.0, 0.5), node=True),
        _lesion("2020-06-01", (3.0, 1.0)), _lesion("2020-06-01", (1.0, 0.5), node=True),
    ])  # fmt: skip
    assert [s.recist_cm for s in sums] == [5.5, 2.5, 3.5]
    assert [s.sld_cm for s in sums] == [6.0, 3.0, 4.0]
    assert sums[1].change_from_baseline_pct == pytest.approx(-54.545, abs=1e-3)
    assert sums[2].change_from_nadir_pct == pytest.approx(40.0)
