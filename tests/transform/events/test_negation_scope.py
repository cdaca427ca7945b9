"""A refusal governs what was refused, up to the clause (negation.py), on made-up sentences.

The `negated` flags are what a sentence-window negation (the mention layer's ConText) gives:
the events layer frees a drug that a later clause starts on its own."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, drug
from transform.events.negation import negation_released, released_by_clause


def _started(sentence: str, *drugs: tuple[str, str, bool]) -> set[str]:
    s = Story()
    s.say(sentence, *(("drug", text, drug(name), negated) for text, name, negated in drugs))
    (case,) = s.cases()
    return {e.drug for e in case.exposures}


@pytest.mark.parametrize(
    ("sentence", "drugs", "started"),
    [
        (
            "Because she declined intravenous chemotherapy, oral capecitabine was started.",
            [("capecitabine", "capecitabine", True)],
            {"capecitabine"},
        ),
        (
            "He refused further docetaxel, so weekly paclitaxel was given.",
            [("docetaxel", "docetaxel", True), ("paclitaxel", "paclitaxel", True)],
            {"paclitaxel"},
        ),
        (
            "She was not a candidate for cisplatin, so pembrolizumab was started.",
            [("cisplatin", "cisplatin", True), ("pembrolizumab", "pembrolizumab", True)],
            {"pembrolizumab"},
        ),
        (
            "Gemcitabine was given rather than cisplatin because of renal failure.",
            [("Gemcitabine", "gemcitabine", False), ("cisplatin", "cisplatin", True)],
            {"gemcitabine"},
        ),
        (
            "Instead of oxaliplatin, irinotecan was administered with fluorouracil.",
            [
                ("oxaliplatin", "oxaliplatin", True),
                ("irinotecan", "irinotecan", True),
                ("fluorouracil", "fluorouracil", False),
            ],
            {"irinotecan", "fluorouracil"},
        ),
        (
            "She declined capecitabine and oxaliplatin after counselling.",
            [("capecitabine", "capecitabine", True), ("oxaliplatin", "oxaliplatin", True)],
            set(),
        ),
    ],
)
def test_refusal_scope_ends_at_the_clause(
    sentence: str, drugs: list[tuple[str, str, bool]], started: set[str]
) -> None:
    assert _started(sentence, *drugs) == started


def test_the_clause_rule_as_a_pure_function() -> None:
    text = "As he refused radiotherapy, temozolomide was commenced."
    drug_at = text.index("temozolomide")
    assert released_by_clause(text, text.index("radiotherapy"), drug_at, len(text))
    assert negation_released(text, drug_at, len(text))
    plain = "He refused radiotherapy and temozolomide."
    assert not negation_released(plain, plain.index("temozolomide"), len(plain))
