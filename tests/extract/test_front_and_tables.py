"""Front matter and tables on PDFs made here: a publisher-like first page (article-type label
above the title, authors, affiliations, journal line) and ruled tables, one of them running
over a page break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.meta import publisher_of
from extract.pdf import read_document
from extract.records import Document
from extract.text import render_json, render_text
from tests.pdfmaker import Rule, Text, layout_pdf, paragraph

LEFT = 56.0
RIGHT = 540.0
CASE_TEXT = (
    "A 58-year-old woman presented with fatigue and weight loss. Computed tomography showed "
    "a mass in the left kidney, and she was treated with sunitinib for four months before "
    "the disease progressed; the dose was reduced because of hand-foot syndrome."
)
INTRO = (
    "Renal cell carcinoma is the most common kidney cancer in adults, and targeted agents "
    "have changed its treatment over the last two decades of clinical research."
)


def _front_page() -> list[Text | Rule]:
    return [
        Text(LEFT, 40, "Hindawi Publishing Corporation", 8),
        Text(LEFT, 50, "Case Reports in Oncological Medicine", 8),
        Text(LEFT, 60, "Volume 2019, Article ID 1234567, 4 pages", 8),
        Text(LEFT, 70, "http://dx.doi.org/10.1155/2019/1234567", 8),
        Text(LEFT, 110, "Case Report", 18),
        Text(LEFT, 134, "Sunitinib for a Renal Cell Carcinoma with an", 18, bold=True),
        Text(LEFT, 156, "Unusual Pattern of Metastasis", 18, bold=True),
        Text(LEFT, 200, "Anna Berg,1 Carl Dahl,2 and Eva Fors1", 12, bold=True),
        Text(LEFT, 222, "1Department of Oncology, University Hospital, Uppsala, Sweden"),
        Text(LEFT, 234, "2Department of Pathology, University Hospital, Uppsala, Sweden"),
        Text(LEFT, 254, "Correspondence should be addressed to Anna Berg; anna.berg@example.org"),
        Text(LEFT, 274, "Received 2 March 2019; Accepted 9 May 2019"),
        Text(LEFT, 294, "Academic Editor: Per Holm"),
        Text(LEFT, 314, "Copyright © 2019 Anna Berg et al. This is an open access article."),
        *paragraph(LEFT, 340, "We report a woman with a renal cell carcinoma " + INTRO),
        Text(LEFT, 400, "1. Introduction", 11, bold=True),
        *paragraph(LEFT, 418, INTRO),
        Text(LEFT, 460, "2. Case Presentation", 11, bold=True),
        *paragraph(LEFT, 478, CASE_TEXT),
    ]


@pytest.fixture(scope="module")
def front_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("front") / "front.pdf"
    return read_document(layout_pdf(path, [_front_page()]))


def test_the_title_is_the_articles_not_its_label(front_doc: Document) -> None:
    assert front_doc.meta.title == (
        "Sunitinib for a Renal Cell Carcinoma with an Unusual Pattern of Metastasis"
    )


def test_the_journal_comes_from_the_first_page(front_doc: Document) -> None:
    assert front_doc.meta.journal == "Case Reports in Oncological Medicine"
    assert front_doc.meta.year == 2019


def test_label_and_author_block_are_front_matter_not_headings(front_doc: Document) -> None:
    headings = [b.text for b in front_doc.blocks if b.kind == "heading"]
    assert "Case Report" not in headings
    assert not any(h.startswith(("Anna Berg", "1Department", "Received")) for h in headings)
    for start in ("Case Report", "Anna Berg", "1Department", "Correspondence", "Received"):
        block = next(b for b in front_doc.blocks if b.text.startswith(start))
        assert block.section == "front", (start, block.section)


def test_the_case_starts_at_its_heading_not_at_the_label(front_doc: Document) -> None:
    assert [c.heading for c in front_doc.cases] == ["2. Case Presentation"]
    in_case = " ".join(b.text for b in front_doc.blocks if b.case_id == 1)
    assert "58-year-old" in in_case and "Uppsala" not in in_case


def test_journal_falls_back_to_the_doi_prefix_publisher() -> None:
    assert publisher_of("10.1155/2019/1234567") == "Hindawi"
    assert publisher_of("10.99999/x") is None


COLUMNS = (LEFT, 250.0, 340.0, 430.0)
HEADER = ("Test", "Admission", "Day 14", "Day 60")
LAB_ROWS = [
    ("Haemoglobin (g/dL)", "9.1", "10.4", "12.0"),
    ("Platelets (10^9/L)", "120", "180", "210"),
    ("Creatinine (umol/L)", "88", "95", "91"),
    ("Albumin (g/L)", "31", "35", "38"),
]


def _row(y: float, cells: tuple[str, ...]) -> list[Text | Rule]:
    return [Text(x, y, c) for x, c in zip(COLUMNS, cells, strict=True)]


def _table(top: float, rows: list[tuple[str, ...]], header: bool = True) -> list[Text | Rule]:
    items: list[Text | Rule] = [Rule(LEFT, RIGHT, top)]
    y = top + 6
    if header:
        items += _row(y, HEADER)
        y += 16
        items.append(Rule(LEFT, RIGHT, y - 3))
    for r in rows:
        items += _row(y, r)
        y += 14
    items.append(Rule(LEFT, RIGHT, y + 2))
    return items


def _cells_text(doc: Document) -> str:
    return " ".join(b.text for b in doc.blocks if b.kind in ("body", "heading"))


def test_a_ruled_table_is_a_table_block_with_rows(tmp_path: Path) -> None:
    page: list[Text | Rule] = [
        *paragraph(LEFT, 60, CASE_TEXT),
        Text(LEFT, 120, "Table 1: Laboratory values during treatment.", 8),
        *_table(136, LAB_ROWS),
        *paragraph(LEFT, 260, INTRO),
    ]
    doc = read_document(layout_pdf(tmp_path / "table.pdf", [page]))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0] == HEADER
    assert ("Platelets (10^9/L)", "120", "180", "210") in rows
    assert len(rows) == 1 + len(LAB_ROWS)
    body = _cells_text(doc)
    assert "Haemoglobin" not in body and "Creatinine" not in body
    assert "58-year-old" in body and "targeted agents" in body
    listed = [b for b in json.loads(render_json(doc)) if b["kind"] == "table"]
    assert listed[0]["rows"][0] == list(HEADER)
    assert "== tables ==" in render_text(doc)


def test_a_table_over_a_page_break_is_one_table(tmp_path: Path) -> None:
    first: list[Text | Rule] = [
        *paragraph(LEFT, 60, CASE_TEXT),
        Text(LEFT, 640, "Table 1: Laboratory values during treatment.", 8),
        *_table(656, LAB_ROWS[:2]),
    ]
    more = [("Sodium (mmol/L)", "131", "137", "139"), ("Potassium (mmol/L)", "5.1", "4.4", "4.2")]
    second: list[Text | Rule] = [
        Text(LEFT, 40, "Table 1: Continued.", 8),
        *_table(56, LAB_ROWS[2:] + more),
        *paragraph(LEFT, 200, INTRO),
    ]
    doc = read_document(layout_pdf(tmp_path / "two-page-table.pdf", [first, second]))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1, [t.rows for t in tables]
    table = tables[0]
    assert {p.page for p in table.pieces} == {1, 2}
    labels = [r[0] for r in table.rows]
    assert labels.count("Test") == 2  # the header is printed again on the second page
    for label in ("Haemoglobin (g/dL)", "Albumin (g/L)", "Potassium (mmol/L)"):
        assert label in labels
    assert "Sodium" not in _cells_text(doc)


def test_rules_framing_running_text_are_not_a_table(tmp_path: Path) -> None:
    page: list[Text | Rule] = [
        Rule(LEFT, RIGHT, 50),
        *paragraph(LEFT, 60, CASE_TEXT + " " + INTRO + " " + CASE_TEXT),
        Rule(LEFT, RIGHT, 200),
        *paragraph(LEFT, 210, INTRO + " " + CASE_TEXT),
        Rule(LEFT, RIGHT, 300),
    ]
    doc = read_document(layout_pdf(tmp_path / "framed.pdf", [page]))
    assert not [b for b in doc.blocks if b.kind == "table"]


def test_run_in_labels_of_an_abstract_without_heading_stay_in_the_abstract(
    tmp_path: Path,
) -> None:
    """'Case Presentation.' in an abstract printed with no 'Abstract' heading is a label of
    the abstract, not the case presentation (which starts at its numbered heading)."""
    page = _front_page()
    cut = next(i for i, t in enumerate(page) if isinstance(t, Text) and t.y >= 340)
    abstract: list[Text | Rule] = paragraph(
        LEFT,
        340,
        "Introduction. Renal cell carcinoma is common in adults and often spreads to the lungs. "
        "Case Presentation. A woman of 58 years was treated with sunitinib for four months. "
        "Conclusion. Sunitinib can control an unusual pattern of metastasis for some time.",
    )
    rest = [t for t in page[cut:] if isinstance(t, Text) and t.y >= 400]
    doc = read_document(layout_pdf(tmp_path / "runin.pdf", [page[:cut] + abstract + rest]))
    assert [c.heading for c in doc.cases] == ["2. Case Presentation"]
    first = next(b for b in doc.blocks if "woman of 58 years" in b.text)
    assert first.section == "abstract" and first.case_id is None
