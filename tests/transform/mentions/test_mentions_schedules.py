"""Dose schedules, several doses of one drug, joined drug names and the fast rule matcher.

Sentences written for these tests (not taken from the seed article).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extract.records import Block, Document, DocumentMeta
from transform.mentions.mentions import extract_mentions
from transform.mentions.nlp import RuleMatcher, expand_pattern, get_nlp, pattern_gates
from transform.mentions.patterns import PatternRow
from transform.mentions.values import normalize_schedule, parse_dose
from transform.records import BiomarkerValue, DoseValue, DrugValue, Mention

BOX = (0.0, 0.0, 0.0, 0.0)


def mentions(text: str) -> tuple[Mention, ...]:
    block = Block(text, "body", 1, BOX, "case_presentation", 1)
    return extract_mentions(Document("x", "x.pdf", DocumentMeta(), (block,)))


def doses(text: str) -> list[DoseValue]:
    return [m.value for m in mentions(text) if isinstance(m.value, DoseValue)]


def drugs(text: str) -> list[str]:
    return [m.value.drug for m in mentions(text) if isinstance(m.value, DrugValue)]


# --- schedules after the route or frequency words --------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "schedule", "drug"),
    [
        ("Then capecitabine 1.5 g bid d1–14 was given.", 1.5, "g", "bid d1-14", "capecitabine"),
        (
            "Capecitabine 1,250 mg/m2 orally twice daily on days 1-14 every 3 weeks.",
            1250.0,
            "mg/m2",
            "twice daily d1-14 every 3 weeks",
            "capecitabine",
        ),
        ("with 5-FU 2.2 g/m2 CIV 44 h", 2.2, "g/m2", "CIV 44 h", "fluorouracil"),
        ("5-FU 2.4 g/m2 civ over 46 h", 2.4, "g/m2", "CIV 46 h", "fluorouracil"),
        (
            "fluorouracil 2.5 g continuous intravenous infusion (CIV) 48 h",
            2.5,
            "g",
            "CIV 48 h",
            "fluorouracil",
        ),
        (
            "5-FU 2400 mg/m2 as a 46-hour continuous infusion every 2 weeks",
            2400.0,
            "mg/m2",
            "CIV 46 h every 2 weeks",
            "fluorouracil",
        ),
        (
            "leucovorin 400 mg/m2 iv over 2 h on day 1",
            400.0,
            "mg/m2",
            "over 2 h d1",
            "leucovorin",
        ),
        (
            "Paclitaxel 80 mg/m2 weekly on days 1, 8 and 15 of a 28-day cycle.",
            80.0,
            "mg/m2",
            "weekly d1,8,15",
            "paclitaxel",
        ),
        (
            "Temozolomide 150 mg/m2 for 5 days every 28 days.",
            150.0,
            "mg/m2",
            "for 5 days every 28 days",
            "temozolomide",
        ),
        (
            "oral capecitabine 825 mg/m2 twice a day, 5 days per week",
            825.0,
            "mg/m2",
            "twice a day 5 days per week",
            "capecitabine",
        ),
    ],
)
def test_schedule_after_route_and_frequency(
    text: str, amount: float, unit: str, schedule: str, drug: str
) -> None:
    found = doses(text)
    assert found, text
    d = found[0]
    assert (d.amount, d.unit, d.schedule, d.drug) == (amount, unit, schedule, drug)


@pytest.mark.parametrize(
    "text",
    [
        "The second course was DDP 30 mg d1–3/45 mg d4 with docetaxel.",
        "She was given cisplatin 30 mg on days 1-3 and 45 mg on day 4.",
    ],
)
def test_several_doses_of_one_drug(text: str) -> None:
    found = [(d.drug, d.amount, d.unit, d.schedule) for d in doses(text)]
    assert found[:2] == [("cisplatin", 30.0, "mg", "d1-3"), ("cisplatin", 45.0, "mg", "d4")]


def test_thousands_separator() -> None:
    assert parse_dose("1,000 mg/m2") == (1000.0, "mg/m2")
    assert parse_dose("12,500 IU") == (12500.0, "IU")
    assert parse_dose("1,5 mg") == (1.5, "mg")
    assert parse_dose("0,125 mg") == (0.125, "mg")
    assert parse_dose("2.5-5 mg") == (2.5, "mg")


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("He took a 450-mg dose of valproate.", 450.0, "mg"),
        ("filgrastim 5.0 microg/kg daily", 5.0, "ug/kg"),
    ],
)
def test_hyphenated_and_spelled_units(text: str, amount: float, unit: str) -> None:
    d = doses(text)[0]
    assert (d.amount, d.unit) == (amount, unit)


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("days 1, 8, and 15", "d1,8,15"),
        ("46 - hour continuous", "CIV 46 h"),
        ("CIV for 48 hours", "CIV 48 h"),
        ("over 90 min", "over 90 min"),
    ],
)
def test_normalize_schedule(printed: str, normal: str) -> None:
    assert normalize_schedule(printed) == normal


# --- drug names joined by a hyphen or slash, abbreviations -----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rash after trimethoprim-sulfamethoxazole.", ["trimethoprim", "sulfamethoxazole"]),
        ("on trimethoprim (TMP)-sulfamethoxazole (SMX)", None),
        ("He took TMP-SMX for a week.", ["co-trimoxazole"]),
        ("a carboplatin-paclitaxel doublet", ["carboplatin", "paclitaxel"]),
        ("methotrexate-associated lymphoproliferative disorder", ["methotrexate"]),
        ("HD-MTX was given", ["methotrexate"]),
        ("anti-HER2 therapy was continued", []),
        ("trastuzumab-resistant disease", []),
        ("paraffin-embedded tissue", []),
    ],
)
def test_joined_names(text: str, expected: list[str] | None) -> None:
    found = drugs(text)
    if expected is None:
        assert {"trimethoprim", "sulfamethoxazole"} <= set(found)
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("CBZ was stopped.", "carbamazepine"),
        ("PTU was started for thyrotoxicosis.", "propylthiouracil"),
        ("INH prophylaxis was given.", "isoniazid"),
        ("She was maintained on AZA and MMF.", "azathioprine"),
        ("IFN-alpha was discontinued.", "interferon-alpha"),
        ("after gold salts for arthritis", "aurothioglucose"),
        ("G-CSF support was required.", "filgrastim"),
        ("intravesical BCG instillations", "bcg vaccine"),
    ],
)
def test_common_abbreviations(text: str, drug: str) -> None:
    assert drug in drugs(text)


@pytest.mark.parametrize(
    ("text", "drug"),
    [("Ketoralac was given for pain.", "ketorolac"), ("doxetaxel 75 mg/m2", "docetaxel")],
)
def test_misprints_of_inn_names(text: str, drug: str) -> None:
    assert drugs(text) == [drug]


@pytest.mark.parametrize(
    "text", ["Reversing the drug effect.", "A creative approach to activate the pancreas."]
)
def test_english_words_are_not_misprints(text: str) -> None:
    assert drugs(text) == []


def test_gold_and_short_abbreviations_need_context() -> None:
    assert drugs("The gold standard is biopsy.") == []
    assert drugs("The aza group and the inh group.") == []


# --- the rule matcher ------------------------------------------------------------------


def test_expand_pattern() -> None:
    pat: list[dict[str, Any]] = [
        {"LOWER": {"IN": ["a", "b"]}},
        {"ORTH": "-", "OP": "?"},
        {"LOWER": "c"},
    ]
    assert expand_pattern(pat) == [
        (("LOWER", "a"), ("LOWER", "c")),
        (("LOWER", "a"), ("ORTH", "-"), ("LOWER", "c")),
        (("LOWER", "b"), ("LOWER", "c")),
        (("LOWER", "b"), ("ORTH", "-"), ("LOWER", "c")),
    ]
    assert expand_pattern([{"LIKE_NUM": True}]) is None


def test_pattern_gates_skip_optional_tokens() -> None:
    gates = pattern_gates([{"LOWER": "on", "OP": "?"}, {"LIKE_NUM": True}, {"ORTH": "mg"}])
    assert gates == frozenset({("NUM", None), ("T", frozenset({"mg"}))})


def _ruler_and_mine(rows: list[PatternRow]) -> tuple[Language, RuleMatcher]:
    """A blank pipeline with spaCy's SpanRuler over `rows` (the reference), and our
    RuleMatcher over the same rows."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("span_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([r.as_ruler_pattern() for r in rows])  # type: ignore[attr-defined]
    return nlp, RuleMatcher(nlp, rows, "mine")


def _spans(doc: Doc, key: str) -> set[tuple[str, int, int]]:
    return {(s.label_, s.start, s.end) for s in doc.spans[key]}


def test_rule_matcher_matches_like_a_span_ruler() -> None:
    """Phrases, case-sensitive words and gated token patterns give the SpanRuler's spans."""
    rows = [
        PatternRow("A", [{"ORTH": "CIV"}, {"LIKE_NUM": True}, {"LOWER": "h"}], "a"),
        PatternRow("B", [{"LOWER": {"IN": ["twice", "once"]}}, {"LOWER": "daily"}], "b"),
        PatternRow("C", [{"ORTH": "AUC"}], "c"),
        PatternRow("D", "complete response", "d"),
    ]
    text = "CIV 46 h twice daily. civ 46 h Once Daily, AUC 5, auc; Complete Response."
    nlp, mine = _ruler_and_mine(rows)
    expected = _spans(nlp(text), "ruler")
    got = _spans(mine(nlp(text)), "mine")
    assert got == expected and len(got) == 5


def test_regex_gated_patterns_match_like_a_span_ruler_document_after_document() -> None:
    """Regex gates on lower-case words and on texts: a sentence runs a pattern only when one
    of its words matches, and the words remembered from one document decide the next one's
    the same way (the matcher's memo lives as long as the pipeline)."""
    rows = [
        PatternRow("R", [{"LOWER": {"REGEX": r"^q\d+w$"}}, {"LOWER": "schedule"}], "r"),
        PatternRow("S", [{"TEXT": {"REGEX": r"^Gr\d$"}}, {"LOWER": "toxicity"}], "s"),
    ]
    texts = [
        "On a Q3W schedule. Then a schedule of q2w only. Gr3 toxicity was seen.",
        "No gr3 toxicity here. Gr2 toxicity on the q2w schedule, then q4w schedule.",
    ]
    nlp, mine = _ruler_and_mine(rows)
    for text in texts:
        expected, got = _spans(nlp(text), "ruler"), _spans(mine(nlp(text)), "mine")
        assert got == expected and len(got) >= 2


def test_neighbouring_tokens_gate_a_sentence_like_a_span_ruler() -> None:
    """A pattern of two single tokens side by side runs only on a sentence where two
    neighbouring tokens pass their gates: 'and' and a word in -ed apart in a sentence do
    not run it; the spans are the SpanRuler's all the same."""
    rows = [
        PatternRow("T", [{"LOWER": "and"}, {"TEXT": {"REGEX": r"^[a-z]+ed$"}}], "t"),
        PatternRow("U", [{"LOWER": "dose"}, {"LOWER": "was", "OP": "?"}, {"LOWER": "held"}], "u"),
    ]
    texts = [
        "She tired quickly and then rested. Fever and relapsed disease followed.",
        "The dose and the schedule changed; the dose held. The dose was held and stopped.",
    ]
    nlp, mine = _ruler_and_mine(rows)
    found = []
    for text in texts:
        doc = mine(nlp(text))
        assert _spans(doc, "mine") == _spans(nlp(text), "ruler")
        found.append(sorted(s.text for s in doc.spans["mine"]))
    assert found == [["and relapsed"], ["and stopped", "dose held", "dose was held"]]
    (t_group,) = [k for k, rows in enumerate(mine.group_rows) if rows[0][0] == "T"]
    doc = nlp("She tired quickly and then rested.")
    bits = mine._bits_of([t.text for t in doc])
    passing = reduce(or_, bits, 0)  # 'and' and 'rested' are both there ...
    assert t_group in [k for k, mask in enumerate(mine.group_masks) if not mask & ~passing]
    assert t_group not in mine._side_by_side(tuple(range(len(mine.group_rows))), bits)  # apart


def test_biomarker_status_read_after_name() -> None:
    found = [
        m.value
        for m in mentions("ER (ER) (80%), PR status was negative, HER2 IHC 2 + and Ki-67 -.")
        if isinstance(m.value, BiomarkerValue)
    ]
    got = {v.marker: v.status for v in found}
    assert got["ER"] == "positive 80%"
    assert got["PR"] == "negative"
    assert got["HER2"] == "2+"
    assert got["Ki-67"] == "negative"


def test_pipeline_is_cached() -> None:
    assert get_nlp() is get_nlp()
