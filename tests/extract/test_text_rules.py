"""Pure rules: character normalisation, hyphenation, captions, section names, case labels."""

from __future__ import annotations

from collections import Counter

import pytest

from extract.hyphenation import Vocabulary, build_vocabulary, join_lines, keep_hyphen
from extract.normalize import normalize_text
from extract.sections import _NARRATIVE, case_number, heading_key, says_case_report, section_of


def test_normalise_ligatures_dashes_superscripts_spaces() -> None:
    raw = (
        "\ufb01rst e\ufb03cacy 15\u201320% HER2\u2010positive "
        "175 mg/m\u00b2 5\u00a0cm 4.1 \u00d7 3.0"
    )
    assert normalize_text(raw) == "first efficacy 15-20% HER2-positive 175 mg/m2 5 cm 4.1 × 3.0"


def test_em_dash_and_quotes_are_kept() -> None:
    assert normalize_text("fever\u2014her \u201cAC\u201d") == "fever\u2014her \u201cAC\u201d"


def _vocab(*lines: str) -> Vocabulary:
    return build_vocabulary(lines)


def test_broken_word_is_joined_when_the_document_knows_it() -> None:
    vocab = _vocab("liver metastases were seen", "no lung metastases")
    assert join_lines(["suspected to be metas-", "tases. On July"], vocab) == (
        "suspected to be metastases. On July"
    )


def test_compound_seen_elsewhere_keeps_its_hyphen() -> None:
    vocab = _vocab("grade 2 hand-foot syndrome improved")
    assert join_lines(["developed grade 2 hand-", "foot syndrome"], vocab) == (
        "developed grade 2 hand-foot syndrome"
    )


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("anti-", "HER2 therapy", "anti-HER2 therapy"),
        ("a 52-", "year-old woman", "a 52-year-old woman"),
        ("HER2-", "positive", "HER2-positive"),
    ],
)
def test_capital_or_digit_beside_the_hyphen_keeps_it(left: str, right: str, joined: str) -> None:
    assert join_lines([left, right], _vocab("unrelated words only")) == joined


def test_a_break_mark_the_document_never_uses_in_words_is_removed() -> None:
    # U+2010 only ever ends lines here, while ASCII '-' is used inside words.
    vocab = _vocab("anti-HER2 and drug-resistant", "trastu\u2010", "zumab given")
    assert vocab.break_marks == frozenset("\u2010")
    assert not keep_hyphen("trastu\u2010", "zumab", vocab)
    assert keep_hyphen("drug-", "resistant", vocab)


def test_unknown_lowercase_break_without_evidence_is_joined() -> None:
    vocab = Vocabulary(Counter(), frozenset("-"))
    assert not keep_hyphen("treat-", "ment", vocab)


def test_url_broken_after_slash_has_no_space() -> None:
    assert join_lines(["see https://x.org/article/", "view/10.1/rc"], _vocab("a")) == (
        "see https://x.org/article/view/10.1/rc"
    )


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Introduction", "introduction"),
        ("1. INTRODUCTION", "introduction"),
        ("Case presentation", "case_presentation"),
        ("CASE REPORT", "case_presentation"),
        ("Case Description", "case_presentation"),
        ("2. Observation", "case_presentation"),
        ("Clinical observations", "case_presentation"),
        ("Clinical history", "case_presentation"),
        ("Patient and clinical course", "case_presentation"),
        ("The patient", "case_presentation"),
        ("Patients and methods", "methods"),
        ("Observational studies", None),
        ("Discussion", "discussion"),
        ("Conclusions", "conclusion"),
        ("References", "references"),
        ("Acknowledgments", "back"),
        ("Conflicts of Interest", "back"),
        ("Highlight box", None),
        ("Case 1", None),
    ],
)
def test_section_names(heading: str, section: str | None) -> None:
    assert section_of(heading) == section


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("Case 1", 1),
        ("Case 2:", 2),
        ("Patient II", 2),
        ("Case two", 2),
        ("Case report 2", 2),
        ("Case presentation", None),
        ("Case 1-year follow-up", None),
        ("Patient 3 years later", None),
    ],
)
def test_case_labels(label: str, number: int | None) -> None:
    assert case_number(label) == number


def test_heading_key_drops_numbering_and_colon() -> None:
    assert heading_key("2.1  Case  Report:") == "case report"


@pytest.mark.parametrize(
    ("title", "reported"),
    [
        ("Bilateral pneumothorax after biopsy: report of two cases", True),
        ("Cardiac tamponade in lymphoma: a report of 3 unusual cases", True),
        ("Late relapse of seminoma: a case series and review", True),
        ("Outcomes of 120 cases of rectal cancer treated with surgery", False),
        ("A report on the management of febrile neutropenia", False),
    ],
)
def test_says_case_report(title: str, reported: bool) -> None:
    assert says_case_report(title) is reported


@pytest.mark.parametrize(
    ("text", "narrative"),
    [
        ("A sixty-two-year-old man was referred for a painless neck mass.", True),
        ("The patient, a forty year old woman, presented with haemoptysis.", True),
        ("An eight-year-old girl was admitted with fever.", True),
        ("We report a case of a woman with a rare sarcoma.", True),
        ("Survival at five years was 40% in this registry.", False),
    ],
)
def test_narrative_in_an_abstract(text: str, narrative: bool) -> None:
    assert bool(_NARRATIVE.search(text)) is narrative
