"""Section headings printed inline in running text are cut out as heading blocks."""

from __future__ import annotations

import pytest

from extract.blocks import Part, RawBlock
from extract.inline import split_inline_headings
from extract.layout import Line
from extract.sections import assign_sections


def _line(text: str, lead_bold: str = "") -> Line:
    return Line(text, 1, 0, 50.0, 100.0, 300.0, 110.0, 10.0, False, False, lead_bold, 1)


def _block(*lines: str) -> RawBlock:
    return RawBlock((Part(tuple(_line(t) for t in lines)),), "body")


def _texts(blocks: list[RawBlock]) -> list[tuple[str, str]]:
    return [(b.kind, " ".join(ln.text for ln in b.lines)) for b in blocks]


def test_caps_heading_in_mid_paragraph_is_cut_out() -> None:
    b = _block("as a literature review CASE REPORT A 52-year-old", "Saudi man presented on")
    assert _texts(split_inline_headings([b])) == [
        ("body", "as a literature review"),
        ("heading", "CASE REPORT"),
        ("body", "A 52-year-old Saudi man presented on"),
    ]


def test_caps_heading_after_a_caption_without_full_stop() -> None:
    b = _block("Figure 1 Chocolate agar showing colonies DISCUSSION Few bacteria other than")
    kinds = _texts(split_inline_headings([b]))
    assert kinds[1:] == [("heading", "DISCUSSION"), ("body", "Few bacteria other than")]


def test_title_case_heading_at_sentence_start() -> None:
    b = _block("reported before. Case presentation A 45-year-old woman came in")
    assert [k for k, _ in _texts(split_inline_headings([b]))] == ["body", "heading", "body"]


@pytest.mark.parametrize(
    "text",
    [
        "we present this case report of a rare disease in a child",  # lower case
        "Journal of Medical Case Reports 2010 4 :31 https://doi.org/x",  # a journal's name
        "(2021) Case Report: Clinical Features of a COVID-19 Patient With Cirrhosis",  # a title
        "Abstract Introduction Case presentation Discussion References Case report Open Access",
        "was seen in the Discussion The patient",  # mid-sentence
        "J Med Case Rep. 2017 Aug 26;11(1):237. doi: 10.1186/x",
    ],
)
def test_not_a_heading(text: str) -> None:
    assert [k for k, _ in _texts(split_inline_headings([_block(text)]))] == ["body"]


def test_table_of_contents_keeps_only_its_last_phrase() -> None:
    b = _block(
        "Abstract Introduction Case Presentation Discussion References Introduction Thyroid",
        "gland disorders are common in the elderly.",
    )
    out = _texts(split_inline_headings([b]))
    assert ("heading", "Introduction") in out and ("heading", "Discussion") not in out


def test_case_label_after_section_phrase() -> None:
    b = _block("two patients. CASE REPORT Case 1 A 40-year-old woman presented with")
    heads = [t for k, t in _texts(split_inline_headings([b])) if k == "heading"]
    assert heads == ["CASE REPORT", "Case 1"]


def test_inline_headings_give_sections_and_a_case_segment() -> None:
    blocks = split_inline_headings(
        [
            _block("Abstract We report a case of prostatitis in an elderly man."),
            _block("INTRODUCTION Chronic prostatitis is a common disease of men."),
            _block("is rare. CASE REPORT A 52-year-old man presented with dysuria."),
            _block("was well. DISCUSSION Few bacteria other than those are seen."),
        ]
    )
    sectioned = assign_sections(blocks)
    assert [c.heading for c in sectioned.cases] == ["CASE REPORT"]
    by_text = {
        " ".join(ln.text for ln in b.lines): s
        for b, s in zip(blocks, sectioned.sections, strict=True)
    }
    assert by_text["A 52-year-old man presented with dysuria."] == "case_presentation"
    assert by_text["Chronic prostatitis is a common disease of men."] == "introduction"
    assert by_text["Few bacteria other than those are seen."] == "discussion"


def test_fallback_segment_between_introduction_and_discussion() -> None:
    blocks = [
        RawBlock((Part((_line("Introduction"),)),), "heading"),
        _block("Some background on the disease in general terms."),
        RawBlock((Part((_line("Clinical findings"),)),), "heading"),
        _block("A 30-year-old man had a fever for two weeks."),
        RawBlock((Part((_line("Discussion"),)),), "heading"),
        _block("Fevers are common."),
    ]
    sectioned = assign_sections(blocks, title="Fever of unknown origin: a case report")
    assert len(sectioned.cases) == 1
    assert sectioned.case_ids == (None, None, 1, 1, None, None)
    assert assign_sections(blocks, title="Fever in general").cases == ()
