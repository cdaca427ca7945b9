"""The cohort page (index.html) on a hand-built cohort: one table row per line linking to its
case page and evidence, filters, the combined swimmer plot, the Kaplan-Meier curves with
their numbers, the sequence diagram, and documents without a timeline collapsed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report import write_report
from report.km import GroupBy, km_svg
from report.read import read_survival
from report.sequence import OTHER, sequence_graph
from report.svg import prefix_ids
from tests.cohort_warehouse import CASES, NO_TIMELINE_DOC, TITLES, build, expected_lines
from tests.report.html_parse import parse


@pytest.fixture(scope="module")
def cohort_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cohort") / "cohort.duckdb")


@pytest.fixture(scope="module")
def index(cohort_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(cohort_db, tmp_path_factory.mktemp("cohort-report"))


def _html(index: Path) -> str:
    return index.read_text(encoding="utf-8")


def test_one_row_per_line_linking_to_its_case_page_and_evidence(index: Path) -> None:
    doc = parse(index)
    cells = [c for c in doc.cells if c.table == "cohort"]
    per_row = len(re.findall(r'<th scope="col" class="\w+" data-csv=', _html(index)))
    assert len(cells) == expected_lines() * per_row
    case_links = [a["href"] for c in cells for a in c.links if "cohort-case" in a.get("class", "")]
    assert len(case_links) == expected_lines()
    for href in case_links:
        assert (index.parent / href).is_file()
    valued = [c for c in cells if c.links and "cohort-case" not in c.links[0].get("class", "")]
    assert valued
    for cell in valued:
        assert cell.links[0]["href"].removeprefix("#") in doc.evidence
    assert len(set(doc.ids)) == len(doc.ids), "duplicate element ids across the figures"


def test_filters_offer_every_value(index: Path) -> None:
    html = _html(index)
    drugs = {d for c in CASES for line in c.lines for d in line.drugs}
    select = re.search(r'<select data-filter="drug".*?</select>', html, re.S)
    assert select is not None
    assert set(re.findall(r'<option value="([^"]+)"', select.group(0))) == drugs
    assert '<script src="cohort.js" defer></script>' in html
    assert "script-src 'self'" in html
    assert (index.parent / "cohort.js").is_file()


def test_documents_without_a_timeline_are_collapsed_at_the_end(index: Path) -> None:
    html = _html(index)
    details = html[html.index('<details id="no-timeline">') :]
    assert TITLES[NO_TIMELINE_DOC] in details
    assert "1 document(s) without an oncology timeline" in details
    documents = html[html.index('<section id="documents">') : html.index("<details")]
    assert TITLES[NO_TIMELINE_DOC] not in documents
    assert all(TITLES[c.doc] in documents for c in CASES)


def test_swimmer_has_a_bar_per_patient_and_a_segment_per_dated_line(index: Path) -> None:
    html = _html(index)
    swimmer = html[html.index('<section id="cohort-swimmer">') : html.index('<section id="km">')]
    segments = set(re.findall(r'id="sw-(pt-\d+-line-\d+)"', swimmer))
    dated = sum(1 for c in CASES for line in c.lines if line.start)
    assert len(segments) == dated
    assert len({s.split("-line-")[0] for s in segments}) == len(CASES)
    assert len(re.findall(r'id="sw-pt-\d+-death"', swimmer)) == sum(1 for c in CASES if c.death)


def test_km_figures_and_their_numbers(index: Path, cohort_db: Path) -> None:
    html = _html(index)
    for by in GroupBy:
        figure = km_svg(read_survival(cohort_db), by)
        section = html[html.index(f'id="km-{by.value}-summary"') :]
        section = section[: section.index("</table>")]
        for s in figure.summaries:
            median = "not reached" if s.median is None else f"{s.median:.1f}"
            assert f'<td>{s.label}</td><td class="num">{s.n}</td>' in section
            assert f'<td class="num">{median}</td>' in section
    assert html.count("At risk") == len(GroupBy)
    assert 'id="km-caveat"' in html and "selected cohort" in html


def test_sequence_diagram_weights_flows_by_patients(index: Path) -> None:
    html = _html(index)
    assert 'id="sequence-diagram"' in html
    assert "anti-HER2 antibody + taxane (2)" in html  # both breast patients' line 1


def test_sequence_graph_counts_patients_and_lumps_rare_classes() -> None:
    graph = sequence_graph(
        [("a", "b", "c", "d"), ("a", "b"), ("a", "x"), ("y",)], depth=3, max_nodes=1
    )
    assert [(n.line, n.label, n.patients) for n in graph.nodes] == [
        (1, "a", 3), (1, OTHER, 1), (2, "b", 2), (2, OTHER, 1), (3, "c", 1),
    ]  # fmt: skip
    assert [(f.line, f.source, f.target, f.patients) for f in graph.flows] == [
        (1, "a", "b", 2), (1, "a", OTHER, 1), (2, "b", "c", 1),
    ]  # fmt: skip
    assert graph.patients == 4


def test_prefix_ids_renames_ids_and_their_references() -> None:
    svg = (
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><defs><clipPath id="p1"/>'
        '<path id="m2"/></defs><g id="patch_1" clip-path="url(#p1)"><use xlink:href="#m2"/>'
        '<a href="#elsewhere"/></g></svg>'
    )
    out = prefix_ids(svg, "km-")
    assert 'id="km-p1"' in out and "url(#km-p1)" in out and 'xlink:href="#km-m2"' in out
    assert 'id="km-patch_1"' in out
    assert 'href="#elsewhere"' in out  # not an id of this figure
