"""Symptoms told at presentation, before any treatment, are not adverse events (CTCAE v5:
an adverse event is temporally associated with a treatment); on made-up stories."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, drug
from tests.transform.mentions.test_mentions_families import mentions
from transform.events.clinical import Treated, is_presenting
from transform.events.story import Sentence
from transform.records import AdverseEvent, AdverseEventValue, Provenance, TextValue


def _ae(name: str) -> tuple[str, str, AdverseEventValue]:
    return ("adverse_event", name, AdverseEventValue(name))


def _events(s: Story) -> list[str]:
    (case,) = s.cases()
    return [a.event for a in case.adverse_events]


def test_symptoms_before_the_first_drug_are_presenting() -> None:
    s = Story()
    s.say("A 58-year-old woman came with fatigue and night sweats.", _ae("fatigue"))
    s.say("She was treated with docetaxel.", ("drug", "docetaxel", drug("docetaxel")))
    s.say("After two cycles she developed peripheral neuropathy.", _ae("peripheral neuropathy"))
    assert _events(s) == ["peripheral neuropathy"]


def test_a_symptom_told_before_the_drug_in_the_same_sentence_is_presenting() -> None:
    s = Story()
    s.say(
        "He presented with jaundice and pruritus and was started on gemcitabine.",
        _ae("jaundice"),
        _ae("pruritus"),
        ("drug", "gemcitabine", drug("gemcitabine")),
    )
    assert _events(s) == []


def test_an_event_tied_to_a_treatment_is_kept_even_as_the_first_telling() -> None:
    s = Story()
    s.say(
        "She developed a rash after starting lapatinib.",
        _ae("rash"),
        ("drug", "lapatinib", drug("lapatinib")),
    )
    assert _events(s) == ["rash"]


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("Three years later she presented with haemoptysis.", False),
        ("Ten days after the lobectomy she presented with haemoptysis.", True),
        ("On the second postoperative day she was admitted with haemoptysis.", True),
    ],
)
def test_a_presentation_after_an_operation_names_the_operation_to_be_an_event(
    sentence: str, kept: bool
) -> None:
    s = Story()
    s.say(
        "A right upper lobectomy was performed in 2015.",
        ("procedure", "lobectomy", TextValue("lobectomy")),
    )
    s.say(sentence, _ae("haemoptysis"))
    assert _events(s) == (["haemoptysis"] if kept else [])


def test_a_presentation_once_a_drug_was_given_is_an_event() -> None:
    s = Story()
    s.say("Capecitabine was given for 4 months.", ("drug", "Capecitabine", drug("capecitabine")))
    s.say("Two weeks later she presented with diarrhoea.", _ae("diarrhoea"))
    assert _events(s) == ["diarrhoea"]


def _sentence(text: str, order: int) -> Sentence:
    return Sentence(order, text, 1, 1, "case_presentation", ())


def _event_at(text: str, word: str, order: int) -> AdverseEvent:
    start = text.index(word)
    return AdverseEvent(1, word, Provenance(1, text, start, start + len(word), order))


def test_is_presenting_as_a_pure_function() -> None:
    text = "He complained of dizziness at the clinic."
    event = _event_at(text, "dizziness", 3)
    assert is_presenting(event, _sentence(text, 3), ())
    assert is_presenting(event, _sentence(text, 3), (Treated(1, 0, False),))
    assert not is_presenting(event, _sentence(text, 3), (Treated(2, 5, True),))
    later = "Dizziness worsened over the weeks."
    assert not is_presenting(
        _event_at(later, "Dizziness", 3), _sentence(later, 3), (Treated(1, 0, False),)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She had grade 2 dyspnoea, oesophagitis and haemorrhagic cystitis.",
            [("dyspnoea", 2), ("oesophagitis", None), ("haemorrhagic cystitis", None)],
        ),
        (
            "Palmar-plantar erythrodysaesthesia, hypokalaemia and grade 3 ILD followed.",
            [("palmar-plantar erythrodysaesthesia", None), ("hypokalaemia", None), ("ild", 3)],
        ),
    ],
)
def test_british_spellings_and_ctcae_terms(
    text: str, expected: list[tuple[str, int | None]]
) -> None:
    found = [m.value for m in mentions(text) if isinstance(m.value, AdverseEventValue)]
    assert [(v.event, v.grade) for v in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He had febrile neutropenia, grade 4 thrombocytopenia and fatigue.",
            [("febrile neutropenia", None), ("thrombocytopenia", 4), ("fatigue", None)],
        ),
        (
            "Mucositis grade 2 and vomiting were recorded.",
            [("mucositis", 2), ("vomiting", None)],
        ),
    ],
)
def test_a_grade_belongs_to_the_event_it_touches(
    text: str, expected: list[tuple[str, int | None]]
) -> None:
    found = [m.value for m in mentions(text) if isinstance(m.value, AdverseEventValue)]
    assert [(v.event, v.grade) for v in found] == expected


# --- a presenting condition named again is the baseline, not an event ---------------------------


def test_a_presenting_condition_named_again_as_what_a_drug_controls_is_no_event() -> None:
    s = Story()
    s.say("A 71-year-old man came with chronic cough and weight loss.", _ae("cough"))
    s.say("He was treated with carboplatin.", ("drug", "carboplatin", drug("carboplatin")))
    s.say("Codeine was prescribed to ease the cough during treatment.", _ae("cough"))
    assert _events(s) == []


def test_a_presenting_condition_told_as_worse_or_back_after_treatment_is_an_event() -> None:
    s = Story()
    s.say("A 64-year-old woman came with fatigue and anaemia.", _ae("fatigue"))
    s.say("She was treated with lenalidomide.", ("drug", "lenalidomide", drug("lenalidomide")))
    s.say("After the second cycle, her fatigue worsened markedly.", _ae("fatigue"))
    assert _events(s) == ["fatigue"]
    s = Story()
    s.say("A 64-year-old woman came with fatigue and anaemia.", _ae("fatigue"))
    s.say("She was treated with lenalidomide.", ("drug", "lenalidomide", drug("lenalidomide")))
    s.say(
        "Grade 2 fatigue was recorded in cycle 3.",
        ("adverse_event", "fatigue", AdverseEventValue("fatigue", grade=2)),
    )
    assert _events(s) == ["fatigue"]


def test_a_condition_never_presented_is_an_event_when_first_named_as_treated() -> None:
    s = Story()
    s.say("A 52-year-old woman had metastatic colon cancer.")
    s.say("She was treated with irinotecan.", ("drug", "irinotecan", drug("irinotecan")))
    s.say("Loperamide was given to control the diarrhea.", _ae("diarrhea"))
    assert _events(s) == ["diarrhea"]
