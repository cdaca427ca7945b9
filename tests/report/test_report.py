"""The report built from the seed article's gold values: pages, plots, tables, evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report import write_report
from tests.report.builder import DOC_ID, gold
from tests.report.html_parse import parse, svg_groups, svg_root, svg_text

CASE_PAGE = "cases/{slug}-case-{case}.html"
SLUG = DOC_ID[:12]
EXPECTED_LINES = {1: 10, 2: 6}


def case_path(report: Path, case: int) -> Path:
    return report.parent / CASE_PAGE.format(slug=SLUG, case=case)


def test_index_links_every_case_page(gold_report: Path) -> None:
    assert gold_report.name == "index.html"
    index = parse(gold_report)
    links = [a["href"] for tag, a in index.tags if tag == "a" and "case-link" in a.get("class", "")]
    assert links == [CASE_PAGE.format(slug=SLUG, case=c) for c in (1, 2)]
    for case in (1, 2):
        assert case_path(gold_report, case).is_file()
    html = gold_report.read_text(encoding="utf-8")
    assert "The reversal of anti-HER2 resistance" in html
    assert "10.21037/tcr-22-2483" in html


@pytest.mark.parametrize("case", [1, 2])
def test_one_bar_and_label_per_line(gold_report: Path, case: int) -> None:
    root = svg_root(case_path(gold_report, case))
    bars = svg_groups(root, rf"c{case}-line-\d+")
    assert len(bars) == EXPECTED_LINES[case]
    labels = [svg_text(g) for g in svg_groups(root, rf"c{case}-label-\d+")]
    regimens = [line["regimen"] for line in gold()["cases"][case - 1]["lines"]]
    assert len(labels) == len(regimens)
    for n, (label, regimen) in enumerate(zip(labels, regimens, strict=True), start=1):
        assert label.startswith(f"L{n}  ")
        shown = label.removeprefix(f"L{n}  ").removesuffix("…")
        assert regimen.startswith(shown), (label, regimen)


@pytest.mark.parametrize("case", [1, 2])
def test_pfs_label_beside_each_bar(gold_report: Path, case: int) -> None:
    root = svg_root(case_path(gold_report, case))
    for line in gold()["cases"][case - 1]["lines"]:
        (group,) = svg_groups(root, rf"c{case}-pfs-{line['line']}")
        text = svg_text(group)
        days30 = line["pfs_months_days30"]
        if days30 is None:
            assert text.startswith("PFS n/a")
            continue
        assert text.startswith(f"PFS {days30:.1f} mo")
        reported = line["pfs_months_reported"]
        if reported is not None and f"{reported:.1f}" != f"{days30:.1f}":
            assert f"(reported {reported:.1f})" in text


def test_markers_for_responses_progression_death_and_adjuvant(gold_report: Path) -> None:
    root = svg_root(case_path(gold_report, 1))
    lines = gold()["cases"][0]["lines"]
    with_response = [x for x in lines if x["best_response"]]
    assert len(svg_groups(root, r"c1-assessment-\d+-(CR|PR|SD|PD)")) == len(with_response)
    assert len(svg_groups(root, r"c1-progression-line-\d+")) == sum(
        1 for x in lines if x["pfs_event"] == "progression" and x["pfs_event_date"]
    )
    assert [g.get("id") for g in svg_groups(root, r"c1-death-line-\d+")] == ["c1-death-line-10"]
    assert svg_groups(root, "c1-death-line")
    # Tamoxifen is the only dated adjuvant drug of case 1; AC and T carry no dates.
    assert len(svg_groups(root, r"c1-adjuvant-\d+")) == 1
    assert svg_groups(root, "c1-adjuvant-shade")
    html = case_path(gold_report, 1).read_text(encoding="utf-8")
    assert "Adjuvant treatment without dates (not drawn): AC, T." in html


def test_bars_striped_by_drug_class(gold_report: Path) -> None:
    root = svg_root(case_path(gold_report, 2))
    # Line 3: gemcitabine, pyrotinib, apatinib (rivoceranib), trastuzumab: four classes.
    assert len(svg_groups(root, r"c2-line-3-class-\d+")) == 4
    # Line 6 of case 2 has no after-stop part; line 10 of case 1 runs on to her death.
    assert not svg_groups(root, r"c2-line-6-after-\d+")
    assert svg_groups(svg_root(case_path(gold_report, 1)), r"c1-line-10-after-\d+")


@pytest.mark.parametrize(
    "page", ["index.html", "cases/{slug}-case-1.html", "cases/{slug}-case-2.html"]
)
def test_every_table_value_links_to_its_evidence(gold_report: Path, page: str) -> None:
    doc = parse(gold_report.parent / page.format(slug=SLUG))
    assert doc.cells, "no table cells"
    valued = 0
    for cell in doc.cells:
        if any(k in a.get("class", "") for a in cell.links for k in ("case-link", "cohort-case")):
            continue  # the link to a case page
        if cell.table == "cases" and cell.text.strip().isdigit() and not cell.links:
            continue  # the line count, computed by the report itself
        if any("na" in s.get("class", "").split() for s in cell.spans):
            continue
        valued += 1
        assert cell.links, f"{cell.table}: value {cell.text!r} has no evidence link"
        for link in cell.links:
            target = link["href"].removeprefix("#")
            assert target in doc.evidence, f"{link['href']} not in the evidence list"
        first = cell.links[0]
        assert re.match(r"p\. \d+: ", first["title"]), first["title"]
        assert doc.evidence[first["href"][1:]] in first["title"].replace(": ", " ", 1)
    assert valued > 0
    assert len(set(doc.ids)) == len(doc.ids), "duplicate element ids"


def test_pfs_value_links_to_the_line_sentence(gold_report: Path) -> None:
    doc = parse(case_path(gold_report, 1))
    rows = [c for c in doc.cells if c.table == "lines"]
    headers = 11
    line3 = rows[2 * headers : 3 * headers]
    reported = line3[8]
    assert reported.value == "24.5"
    sentence = doc.evidence[reported.links[0]["href"][1:]]
    assert (
        sentence
        == "p. 3 Line 3 (GP, then gemcitabine, then letrozole maintenance) started on 2013-04-12."
    )


def test_recist_sums_use_the_short_axis_of_lymph_nodes(gold_report: Path) -> None:
    doc = parse(case_path(gold_report, 1))
    cells = [c.value for c in doc.cells if c.table == "recist"]
    rows = [cells[i : i + 8] for i in range(0, len(cells), 8)]
    figure3 = [r for r in rows if r[0] == "3"]
    assert figure3 == [
        ["3", "2017-05-16", "3", "9.8", "8.9", "—", "—", "—"],
        ["3", "2017-07-18", "3", "6.6", "5.7", "-36.0%", "-36.0%", "PR"],
        ["3", "2018-01-24", "3", "8.0", "7.6", "-14.6%", "+33.3%", "PD"],
    ]
    recist_cells = [c for c in doc.cells if c.table == "recist" and c.value == "8.9"]
    assert len(recist_cells[0].links) == 3, "a sum cites each of its lesions"


def test_drug_table_shows_doses_and_classes(gold_report: Path) -> None:
    doc = parse(case_path(gold_report, 2))
    texts = [c.value for c in doc.cells if c.table == "drugs"]
    assert "400 mg" in texts and "pyrotinib" in texts
    assert "HER2/EGFR tyrosine kinase inhibitor" in texts
    assert "adjuvant" in texts and "CAF" in texts


def test_audit_and_adverse_events_are_listed(gold_report: Path) -> None:
    doc = parse(case_path(gold_report, 1))
    assert "pfs_mismatch" in [c.value for c in doc.cells if c.table == "audit"]
    assert "hand-foot syndrome" in [c.value for c in doc.cells if c.table == "adverse-events"]


def test_report_is_read_only_and_reproducible(
    gold_db: Path, gold_report: Path, tmp_path: Path
) -> None:
    before = gold_db.read_bytes()
    again = write_report(gold_db, tmp_path / "again")
    assert gold_db.read_bytes() == before
    for rel in ("index.html", f"cases/{SLUG}-case-1.html"):
        assert (again.parent / rel).read_bytes() == (gold_report.parent / rel).read_bytes()
