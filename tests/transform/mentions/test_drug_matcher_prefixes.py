"""The drug matcher skips tokens no name starts with and stops an n-gram no name continues
(transform/mentions/nlp.py, DrugMatcher): names of several tokens, names that extend a
shorter name, and names after a token that starts another name are all still found."""

from __future__ import annotations

import spacy

from transform.mentions.nlp import DRUG_KEY, DrugMatcher, customize_tokenizer

NAMES = (
    "paclitaxel",
    "nab-paclitaxel",
    "albumin-bound paclitaxel",
    "nanoparticle albumin-bound paclitaxel",
    "5-fluorouracil",
    "folinic acid",
    "capecitabine",
)


def _drugs(text: str) -> list[str]:
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    doc = DrugMatcher(NAMES)(nlp.make_doc(text))
    return [span.text for span in doc.spans[DRUG_KEY]]


def test_longest_name_of_several_tokens_wins() -> None:
    text = "She received nanoparticle albumin-bound paclitaxel and then capecitabine."
    assert _drugs(text) == ["nanoparticle albumin-bound paclitaxel", "capecitabine"]


def test_name_after_a_token_that_starts_another_name() -> None:
    # 'folinic' starts 'folinic acid' only; 'albumin' alone starts a name that does not follow
    assert _drugs("albumin levels fell; folinic acid with 5-fluorouracil was given") == [
        "folinic acid",
        "5-fluorouracil",
    ]


def test_matcher_remembers_words_across_documents() -> None:
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    matcher = DrugMatcher(NAMES)
    first = matcher(nlp.make_doc("Paclitaxel was stopped."))
    second = matcher(nlp.make_doc("Weekly PACLITAXEL, then nab-paclitaxel."))
    assert [s.text for s in first.spans[DRUG_KEY]] == ["Paclitaxel"]
    assert [s.text for s in second.spans[DRUG_KEY]] == ["PACLITAXEL", "nab-paclitaxel"]
    assert matcher.token_keys["PACLITAXEL"] == "paclitaxel"
    assert "PACLITAXEL" in matcher.openers and "was" not in matcher.openers
    assert "Paclitaxel" in matcher.unasked and "stopped" not in matcher.unasked  # 7 letters


def test_misprint_asked_once_per_text_and_only_where_no_name_is() -> None:
    asked: list[str] = []

    def misspelt(word: str) -> str | None:
        asked.append(word)
        return "capecitabine" if word.lower() == "capecitabin" else None

    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    matcher = DrugMatcher(NAMES, misspelt=misspelt)
    first = matcher(nlp.make_doc("Oral capecitabin with paclitaxel; capecitabin again."))
    second = matcher(nlp.make_doc("Then capecitabin alone. Capecitabin twice."))
    assert [(s.text, s.kb_id_) for s in first.spans[DRUG_KEY]] == [
        ("capecitabin", "capecitabine"),
        ("paclitaxel", ""),
        ("capecitabin", "capecitabine"),
    ]
    assert [s.text for s in second.spans[DRUG_KEY]] == ["capecitabin", "Capecitabin"]
    assert "paclitaxel" not in asked  # a name found is not searched for a misprint
    assert asked == ["capecitabin", "Capecitabin"]  # once per text, short words never


def test_before_a_space_only_names_and_first_words_of_names_start_a_search() -> None:
    """'pac' starts 'paclitaxel' glued to what follows, never a name of several words, so
    before a space it is not tried; 'folinic' starts 'folinic acid' and is."""
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    matcher = DrugMatcher(NAMES)
    doc = matcher(nlp.make_doc("pac and folinic acid, then albumin-bound paclitaxel; pac-"))
    assert [s.text for s in doc.spans[DRUG_KEY]] == ["folinic acid", "albumin-bound paclitaxel"]
    assert {"pac", "folinic", "albumin", "paclitaxel"} <= matcher.openers
    assert "folinic" in matcher.spaced_openers and "paclitaxel" in matcher.spaced_openers
    assert "pac" not in matcher.spaced_openers and "albumin" not in matcher.spaced_openers
