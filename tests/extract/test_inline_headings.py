"""Section headings printed inline in running text are cut out as heading blocks."""

from __future__ import annotations

from dataclasses import replace

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


def test_heading_followed_by_a_sub_heading() -> None:
    b = _block("often. Case presentation Initial presentation A 49-year-old man with a long")
    heads = [t for k, t in _texts(split_inline_headings([b])) if k == "heading"]
    assert heads == ["Case presentation", "Initial presentation"]
    sectioned = assign_sections(split_inline_headings([b]))
    assert [c.heading for c in sectioned.cases] == ["Case presentation"]
    assert sectioned.sections[-1] == "case_presentation"


def test_heading_hyphenated_across_lines() -> None:
    b = _block("population [ 4 , 6 , 7 ]. Case presenta\u2010", "tion The patient was a man")
    out = split_inline_headings([b])
    assert [k for k, _ in _texts(out)] == ["body", "heading", "body"]
    assert [c.heading for c in assign_sections(out).cases] == ["Case presentation"]


def test_heading_left_at_the_end_of_the_previous_block() -> None:
    out = split_inline_headings(
        [_block("in an African woman. Case"), _block("presentation A 53-year-old woman with a")]
    )
    assert _texts(out) == [
        ("body", "in an African woman."),
        ("heading", "Case presentation"),
        ("body", "A 53-year-old woman with a"),
    ]
    out = split_inline_headings(
        [_block("aggressiveness of this tumour. Case presentation"), _block("A 56-year-old man")]
    )
    assert [k for k, _ in _texts(out)] == ["body", "heading", "body"]


def test_case_label_in_a_caption_without_full_stop() -> None:
    cap = RawBlock(
        (Part((_line("Figure 2: CT of the neck Click here to view Case 2 The second patient"),)),),
        "caption",
    )
    assert ("heading", "Case 2") in _texts(split_inline_headings([cap]))
    cap = RawBlock((Part((_line("Figure 2: CT of Case 2 The arrow shows it"),)),), "caption")
    assert ("heading", "Case 2") not in _texts(split_inline_headings([cap]))


def test_case_report_numbered_labels() -> None:
    b = _block("two cases. Case presentation Case report 1 A 29 year old man reported fever")
    heads = [t for k, t in _texts(split_inline_headings([b])) if k == "heading"]
    assert heads == ["Case presentation", "Case report 1"]


def test_journal_label_after_a_table_of_contents_is_not_a_heading() -> None:
    b = _block(
        "Abstract Introduction Case presentation Discussion References Case Report Open",
        "Access Brachial neuropathy after radiation therapy for fibrosarcoma",
    )
    assert [k for k, _ in _texts(split_inline_headings([b]))] == ["body"]


def test_abstract_heading_after_an_e_mail_address() -> None:
    b = _block("Respiratory Department. kazu@example.jp Abstract We report a case of pleurisy")
    assert ("heading", "Abstract") in _texts(split_inline_headings([b]))


def test_abstract_only_case_report_is_its_own_case() -> None:
    blocks = [
        _block("[Post-polio syndrome]. - PubMed - NCBI"),
        RawBlock((Part((_line("Abstract"),)),), "heading"),
        _block("Survivors of poliomyelitis complain of fatigue and weakness many years later."),
        _block("We report a case of the syndrome in a 49-year-old woman seen in our clinic."),
        _block("Publication types Case Reports MeSH Terms Female Humans Middle Aged Poliomyelitis"),
    ]
    sectioned = assign_sections(blocks, title="[Post-polio syndrome]")
    assert len(sectioned.cases) == 1
    assert sectioned.case_ids == (None, None, 1, 1, None)
    review = [*blocks[:3], _block("Treatment options are reviewed and discussed in detail here.")]
    assert assign_sections(review, title="Hypothermia").cases == ()
    with_body = [*blocks, RawBlock((Part((_line("Introduction"),)),), "heading"), blocks[2]]
    assert assign_sections(with_body, title="[Post-polio syndrome]").cases == ()


def test_section_heading_after_a_caption_without_full_stop() -> None:
    cap = RawBlock(
        (Part((_line("Figure 6: Specimen of the neck Click here to view Discussion MTC was"),)),),
        "caption",
    )
    assert ("heading", "Discussion") in _texts(split_inline_headings([cap]))
    body = _block("was well. Figure 6: Specimen of the neck Click here to view Discussion MTC was")
    assert ("heading", "Discussion") in _texts(split_inline_headings([body]))
    body = _block("as shown in the neck Discussion of the findings was held")
    assert ("heading", "Discussion") not in _texts(split_inline_headings([body]))


def test_abstract_only_case_keeps_a_short_paragraph_piece() -> None:
    blocks = [
        RawBlock((Part((_line("Abstract"),)),), "heading"),
        _block("Survivors of poliomyelitis complain of fatigue and weakness many years later in"),
        _block("impairment of daily living."),
        _block("We report a case of the syndrome in a 49-year-old woman seen in our clinic."),
        _block("Publication types Case Reports MeSH Terms Female Humans Middle Aged Poliomyelitis"),
    ]
    assert assign_sections(blocks, title="x").case_ids == (None, 1, 1, 1, None)


def test_tokens_are_the_regex_words_with_their_offsets() -> None:
    """_tokens cuts with str.split and finds offsets with str.find: the same words and spans as
    the regex \\S+ on lines with odd whitespace (tab, no-break space, a word printed twice),
    and a lower-case word broken across lines joined into one token spanning both."""
    import re

    from extract.inline import _tokens

    lines = ("  dose\tdose\u00a0of  meta-", "stases  at\u2003day 3 ", "")
    toks = _tokens(_block(*lines))
    expected = [
        (m.group(0), 0, i, m.start(), m.end())
        for i, text in enumerate(lines)
        for m in re.finditer(r"\S+", text)
    ]
    joined = ("metastases", 0, 0, expected[3][3], expected[4][4])
    expected = [*expected[:3], joined, *expected[5:]]
    assert [(t.text, t.part, t.line, t.start, t.end) for t in toks] == expected
    assert (toks[3].end_part, toks[3].end_line) == (0, 1)
    assert toks[4].text == "at" and (toks[4].end_line, toks[4].start) == (1, 8)


def _inline_heading(text: str) -> RawBlock:
    return RawBlock((Part((_line(text),)),), "heading", inline=True)


def _clutter() -> RawBlock:
    """Page clutter that front.py takes for the first paragraph of a headless abstract."""
    b = _block("Printed from the journal's web site; cite as J Case Rep 2019; 4: 12 (open access).")
    return replace(b, opens_abstract=True)


_LONG_STORY = " ".join(
    f"On day {d} the man in his sixties still had a fever and a cough, and he was given fluids."
    for d in range(1, 40)
)


def test_headless_abstract_labels_running_on_are_the_articles_headings() -> None:
    """A headless abstract whose 'labels' run on past any journal's abstract limit: the labels
    were the article's own section headings (a web page printed to PDF)."""
    blocks = [
        _clutter(),
        _inline_heading("Case presentation"),
        _block(_LONG_STORY),
        _inline_heading("Discussion"),
        _block("Such fevers are seldom reported in adults of this age."),
    ]
    sectioned = assign_sections(blocks, title="A fever that would not go: a case report")
    assert sectioned.sections[1:] == (
        "case_presentation",
        "case_presentation",
        "discussion",
        "discussion",
    )
    assert [c.heading for c in sectioned.cases] == ["Case presentation"]


def test_short_headless_abstract_keeps_its_labels() -> None:
    """The same labels over a few sentences are the abstract's parts: the article's own
    headings come after it."""
    blocks = [
        _clutter(),
        _inline_heading("Case presentation"),
        _block("A man in his sixties had a fever for six weeks."),
        _inline_heading("Conclusion"),
        _block("Long fevers need a wide search."),
        RawBlock((Part((_line("Case report"),)),), "heading"),
        _block(_LONG_STORY),
    ]
    sectioned = assign_sections(blocks, title="A fever that would not go: a case report")
    assert sectioned.sections[1:5] == ("abstract",) * 4
    assert sectioned.sections[5:] == ("case_presentation", "case_presentation")
    assert [c.heading for c in sectioned.cases] == ["Case report"]


def test_a_label_out_of_order_ends_the_abstract() -> None:
    """'Introduction' after the abstract's 'Conclusion' is the article's introduction."""
    blocks = [
        _clutter(),
        _inline_heading("Case presentation"),
        _block("A woman of 40 had a rash on both arms."),
        _inline_heading("Conclusion"),
        _block("Rashes can be the first sign."),
        _inline_heading("Introduction"),
        _block("Rashes of this kind are described in children."),
        _inline_heading("Case presentation"),
        _block("The woman first noticed the rash in the spring."),
    ]
    sectioned = assign_sections(blocks)
    assert sectioned.sections[1:5] == ("abstract",) * 4
    assert sectioned.sections[5:] == ("introduction",) * 2 + ("case_presentation",) * 2
    assert [c.heading for c in sectioned.cases] == ["Case presentation"]


@pytest.mark.parametrize(
    ("lines", "may"),
    [
        (("the patient was given the drug in case of pain",), False),
        (("we saw the patient again. Case 2 was a man",), True),
        (("results were good. DISCUSSION: the",), True),
        (("the first part of a presenta-", "tion"), True),  # a word broken at a line end
    ],
)
def test_blocks_without_a_capitalised_phrase_word_are_not_tokenised(
    lines: tuple[str, ...], may: bool
) -> None:
    """The prefilter (_may_hold_heading) passes every block a heading can be found in."""
    from extract.inline import _may_hold_heading, _tokens, find_inline_headings

    b = _block(*lines)
    assert _may_hold_heading(b) is may
    if not may:  # the full search over all its tokens finds nothing either
        assert find_inline_headings(b, _tokens(b)) == []


def test_last_tokens_are_the_end_of_the_blocks_tokens() -> None:
    """_carry_tails reads only a block's last words: the same as the end of all its tokens,
    also when a word is broken across the lines it starts from."""
    from extract.inline import _last_tokens, _tokens

    b = _block("the first line of text", "then a tumour was found in the meta-", "stases", "ok")
    for n in (1, 2, 3, 4, 9):
        toks = _last_tokens(b, n)
        everything = _tokens(b)
        assert toks == everything[len(everything) - len(toks) :]
        assert len(toks) >= min(n, len(everything))
    assert any(t.text == "metastases" for t in _last_tokens(b, 2))
