"""A sentence does not end at a comma or semicolon: a period inside brackets before one
('..., Ltd., Springfield, USA.),') is no sentence end (nlp.repair_sentences)."""

from __future__ import annotations

import pytest

from transform.mentions.nlp import get_nlp


@pytest.mark.parametrize(
    "text",
    [
        "The regimen was as follows: docetaxel on day 1 (75 mg/m2; Acme Co., Ltd., Boston, "
        "USA.), cisplatin on day 1 (60 mg/m2; Acme Co., Ltd., Boston, USA.), and fluorouracil.",
        "She took letrozole (Femara, Novartis Pharma Inc.); anastrozole (Arimidex, Astra Inc.); "
        "and exemestane.",
    ],
)
def test_a_period_in_brackets_before_a_comma_ends_no_sentence(text: str) -> None:
    sentences = list(get_nlp()(text).sents)
    assert [s.text for s in sentences] == [text]


def test_a_period_still_ends_a_sentence() -> None:
    text = "He received cisplatin (Acme Co.). Carboplatin followed in May."
    assert [s.text for s in get_nlp()(text).sents] == [
        "He received cisplatin (Acme Co.).",
        "Carboplatin followed in May.",
    ]
