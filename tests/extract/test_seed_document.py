"""The seed article and the Frontiers PDF against what a reader reads."""

from __future__ import annotations

import json
import re

from extract.records import Document
from extract.text import render_json, render_text

from .conftest import GOLDEN
from .golden import alignment, tokens

BODY_MIN = 0.99
CAPTION_MIN = 0.95


def _running_text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if b.kind in ("body", "heading", "reference"))


def test_seed_body_in_reading_order(seed_doc: Document) -> None:
    golden = (GOLDEN / "tcr-22-2483.body.txt").read_text(encoding="utf-8")
    score, first = alignment(golden, _running_text(seed_doc))
    assert score >= BODY_MIN, f"aligned {score:.4f}; first divergence: {first}"


def test_seed_captions_are_caption_blocks_out_of_the_body(seed_doc: Document) -> None:
    golden = (GOLDEN / "tcr-22-2483.captions.txt").read_text(encoding="utf-8")
    expected = [c for c in golden.split("\n\n") if c.strip()]
    captions = seed_doc.captions()
    assert len(captions) == len(expected) == 7
    body = " ".join(tokens(_running_text(seed_doc)))
    for want, got in zip(expected, captions, strict=True):
        score, first = alignment(want, got.text)
        assert score >= CAPTION_MIN, f"{want[:40]!r}: {score:.3f} {first}"
        assert " ".join(tokens(want)[:12]) not in body


def test_seed_running_heads_are_not_in_the_body(seed_doc: Document) -> None:
    heads = [b for b in seed_doc.blocks if b.kind in ("header", "footer")]
    assert len(heads) >= 2 * seed_doc.meta.n_pages - 1
    body = _running_text(seed_doc)
    assert "All rights reserved" not in body
    assert "He et al. Apatinib reverses" not in body
    assert not re.search(r"Translational Cancer Research, Vol 11", body)


def test_seed_has_two_patients_each_with_own_text(seed_doc: Document) -> None:
    assert [(c.case_id, c.heading) for c in seed_doc.cases] == [(1, "Case 1"), (2, "Case 2")]
    texts = {cid: " ".join(b.text for b in seed_doc.body() if b.case_id == cid) for cid in (1, 2)}
    assert "52-year-old" in texts[1] and "52-year-old" not in texts[2]
    assert "64-year-old" in texts[2] and "64-year-old" not in texts[1]
    assert all(b.section == "case_presentation" for b in seed_doc.blocks if b.case_id is not None)
    discussion = [b for b in seed_doc.body() if b.section == "discussion"]
    assert discussion and all(b.case_id is None for b in discussion)


def test_seed_captions_carry_their_case(seed_doc: Document) -> None:
    cases = [b.case_id for b in seed_doc.captions()]
    assert cases == [1, 1, 1, 1, 2, 2, 2]


def test_seed_sections_in_order(seed_doc: Document) -> None:
    order: list[str] = []
    for b in seed_doc.blocks:
        if b.section and (not order or order[-1] != b.section):
            order.append(b.section)
    assert order[:2] == ["front", "abstract"]
    for earlier, later in [
        ("introduction", "case_presentation"),
        ("case_presentation", "discussion"),
        ("discussion", "conclusion"),
        ("conclusion", "references"),
    ]:
        assert order.index(earlier) < order.index(later)


def test_seed_meta(seed_doc: Document) -> None:
    meta = seed_doc.meta
    assert meta.doi == "10.21037/tcr-22-2483"
    assert meta.title is not None and meta.title.endswith("two cases reports and literature review")
    assert meta.year == 2022 and meta.volume == "11" and meta.issue == "11"
    # The citation line the article prints ('Transl Cancer Res 2022;11(11):4206-4217').
    assert meta.journal == "Transl Cancer Res" and meta.pages == "4206-4217"
    assert meta.n_pages == 8
    assert len(seed_doc.doc_id) == 64


def test_rejoined_paragraph_keeps_pieces_on_their_pages(seed_doc: Document) -> None:
    multi = [b for b in seed_doc.blocks if len({p.page for p in b.pieces}) > 1]
    assert multi, "no paragraph continues over a page break"
    for b in multi:
        assert [p.start for p in b.pieces] == sorted(p.start for p in b.pieces)
        last = b.pieces[-1]
        assert b.page_at(last.start) == last.page != b.page


def test_render_text_markers_and_captions(seed_doc: Document) -> None:
    text = render_text(seed_doc)
    assert text.index("== introduction ==") < text.index("== case_presentation ==")
    assert text.index("-- case 1 --") < text.index("-- case 2 --") < text.index("== discussion ==")
    assert text.index("== captions ==") < text.index("Figure 7 Case 2.")
    assert "All rights reserved" not in text


def test_render_json_blocks(seed_doc: Document) -> None:
    rows = json.loads(render_json(seed_doc))
    assert len(rows) == len(seed_doc.blocks)
    assert {"text", "kind", "page", "bbox", "section", "case_id"} <= set(rows[0])
    assert {r["kind"] for r in rows} >= {"body", "heading", "caption", "header", "footer"}


def test_frontiers_headings_in_order_and_heads_removed(frontiers_doc: Document) -> None:
    headings = [b.text for b in frontiers_doc.blocks if b.kind == "heading"]
    wanted = ["INTRODUCTION", "CASE REPORT", "DISCUSSION", "CONCLUSION", "REFERENCES"]
    positions = [headings.index(h) for h in wanted]
    assert positions == sorted(positions)
    body = _running_text(frontiers_doc)
    assert "Zhou et al. A COVID-19 Patient With Cirrhosis" not in body
    assert "www.frontiersin.org" not in body
    heads = [b for b in frontiers_doc.blocks if b.kind == "header"]
    assert sum("Zhou et al." in b.text for b in heads) >= 4
    assert frontiers_doc.meta.doi == "10.3389/fmed.2021.678227"
    meta = frontiers_doc.meta
    assert (meta.journal, meta.year, meta.volume, meta.pages) == (
        "Front. Med.",
        2021,
        "8",
        "678227",
    )
    assert len(frontiers_doc.cases) == 1


def test_frontiers_two_columns_read_in_order(frontiers_doc: Document) -> None:
    body = " ".join(tokens(_running_text(frontiers_doc)))
    # A sentence running from the bottom of the left column into the right one.
    assert "the patient was administered lopinavir and ritonavir tablets" in body
    assert "On February 11, 2020, a 73-year-old woman came to the Fever Clinic" in body
