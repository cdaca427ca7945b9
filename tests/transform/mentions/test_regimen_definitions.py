"""A regimen abbreviation the article defines after its drugs, naming itself as a regimen."""

from __future__ import annotations

from tests.textdoc import document_from_text
from transform.mentions.abbreviations import learn


def _learnt(body: str) -> dict[str, tuple[str, ...]]:
    return {a.short: a.drugs for a in learn(document_from_text("Case 1\n\n" + body))}


def test_drugs_then_a_bracketed_regimen_name_define_the_regimen() -> None:
    learnt = _learnt(
        "She was given gemcitabine, oxaliplatin and rituximab (R-GemOx regimen) every two "
        "weeks. Later carboplatin and etoposide (CE protocol) were used."
    )
    assert learnt["R-GemOx"] == ("gemcitabine", "oxaliplatin", "rituximab")
    assert learnt["CE"] == ("carboplatin", "etoposide")


def test_a_bracketed_word_that_is_no_regimen_name_defines_nothing() -> None:
    learnt = _learnt("She was given gemcitabine and cisplatin (day 1 regimen) every week.")
    assert learnt == {}
