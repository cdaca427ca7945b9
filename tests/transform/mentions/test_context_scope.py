"""ConText scope on made-up sentences: intolerance asserts, negation ends at the clause,
a negated list is negated as a whole (transform/mentions/context.py)."""

from __future__ import annotations

import pytest

from tests.transform.mentions.test_mentions_families import mentions
from transform.mentions import context
from transform.mentions.patterns import PatternError, PatternRow, load_patterns


def _flags(text: str, kind: str) -> dict[str, bool]:
    return {m.text: m.negated for m in mentions(text) if m.kind == kind}


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("After the second cycle she could not tolerate the accompanying mucositis.", "mucositis"),
        ("He did not tolerate the severe nausea and the infusions were stopped.", "nausea"),
        ("Docetaxel was not well tolerated owing to grade 3 fatigue.", "grade 3 fatigue"),
        ("The fourth course could not be tolerated because of diarrhoea.", "diarrhoea"),
        ("She couldn't tolerate the rash, so the dose was lowered.", "rash"),
        ("He was unable to tolerate persistent vomiting on the weekly schedule.", "vomiting"),
    ],
)
def test_intolerance_asserts_the_event(sentence: str, event: str) -> None:
    found = [m for m in mentions(sentence) if m.kind == "adverse_event"]
    assert [(m.text, m.negated, m.uncertain) for m in found] == [(event, False, False)]


@pytest.mark.parametrize(
    ("sentence", "negated", "asserted"),
    [
        ("Because he declined intravenous cisplatin, oral vinorelbine was given.", "cisplatin",
         "vinorelbine"),
        ("As she refused further docetaxel, weekly paclitaxel was arranged.", "docetaxel",
         "paclitaxel"),
        ("Instead of cisplatin, carboplatin was added to pemetrexed.", "cisplatin", "carboplatin"),
        ("In place of oxaliplatin, irinotecan was combined with fluorouracil.", "oxaliplatin",
         "irinotecan"),
        ("He refused gemcitabine and was treated with capecitabine.", "gemcitabine",
         "capecitabine"),
        ("She was not a candidate for cisplatin, so carboplatin was chosen.", "cisplatin",
         "carboplatin"),
        ("Weekly paclitaxel was preferred rather than docetaxel in view of her age.",
         "docetaxel", "paclitaxel"),
    ],
)  # fmt: skip
def test_negation_ends_at_the_clause(sentence: str, negated: str, asserted: str) -> None:
    flags = _flags(sentence, "drug")
    assert flags[negated] is True
    assert flags[asserted] is False


def test_a_refusal_without_a_fronted_clause_still_reaches_past_a_comma() -> None:
    # no subordinator opens the clause: the comma joins a list, the refusal covers it
    flags = _flags("She refused docetaxel, carboplatin and trastuzumab.", "drug")
    assert flags == {"docetaxel": True, "carboplatin": True, "trastuzumab": True}


@pytest.mark.parametrize(
    ("sentence", "events"),
    [
        (
            "Neutropenia, anaemia, oral mucositis, hypertension and hand-foot skin reaction "
            "were not observed.",
            ["Neutropenia", "anaemia", "oral mucositis", "hypertension", "hand-foot skin reaction"],
        ),
        (
            "Thrombocytopenia, alopecia, peripheral neuropathy, rash or proteinuria did not "
            "occur during the six cycles.",
            ["Thrombocytopenia", "alopecia", "peripheral neuropathy", "rash", "proteinuria"],
        ),
    ],
)
def test_a_negated_list_is_negated_as_a_whole(sentence: str, events: list[str]) -> None:
    flags = _flags(sentence, "adverse_event")
    assert sorted(flags) == sorted(events)
    assert all(flags.values())


def test_a_list_stops_at_a_word_that_is_not_a_joiner() -> None:
    text = "Fatigue developed in May, and no neutropenia or anaemia was seen."
    flags = _flags(text, "adverse_event")
    assert flags == {"Fatigue": False, "neutropenia": True, "anaemia": True}


@pytest.mark.parametrize(
    "sentence",
    [
        "Fatigue, skin dryness, nail changes, and rash were not observed.",
        "Neutropenia, taste disturbance, or alopecia did not occur on the weekly schedule.",
    ],
)
def test_a_list_member_no_pattern_knows_keeps_the_list_whole(sentence: str) -> None:
    flags = _flags(sentence, "adverse_event")
    assert len(flags) == 2 and all(flags.values())


def test_a_clause_between_events_breaks_the_list() -> None:
    flags = _flags(
        "Rash, which was treated with creams, and fatigue were not observed.", "adverse_event"
    )
    assert flags == {"Rash": False, "fatigue": True}


def test_pseudo_trigger_holds_only_the_triggers_inside_it() -> None:
    t = context.Trigger
    triggers = [t(context.NEG_PRE, 2, 3), t(context.PSEUDO, 1, 4), t(context.NEG_PRE, 6, 7)]
    assert context.live_triggers(triggers) == (t(context.NEG_PRE, 6, 7),)
    assert context.flags(4, 5, triggers) == (False, False)
    assert context.flags(7, 8, triggers) == (True, False)


def test_subordinate_clause_rule_as_a_pure_function() -> None:
    t = context.Trigger
    # 0 because 1 she 2 declined 3 X 4 , 5 Y 6 was 7 given
    opened = [t(context.CLAUSE_OPEN, 0, 1), t(context.NEG_PRE, 2, 3), t(context.CLAUSE_END, 4, 5)]
    assert context.flags(3, 4, opened) == (True, False)
    assert context.flags(5, 6, opened) == (False, False)
    assert context.flags(5, 6, opened[1:]) == (True, False)  # no subordinator: the window


def test_context_labels_are_known_and_checked() -> None:
    context.check_labels(load_patterns("context"))
    with pytest.raises(PatternError):
        context.check_labels([PatternRow("NEG_PREE", "not", "typo")])


def test_a_trigger_word_inside_a_longer_trigger_is_that_trigger() -> None:
    """'X was withheld and Y was started': 'withheld' is part of the post-trigger 'was
    withheld' (negating X), not a pre-trigger reaching Y (ConText: longest match)."""
    from transform.mentions.context import NEG_POST, NEG_PRE, Trigger, flags

    # tokens: 0 X, 1 was, 2 withheld, 3 and, 4 Y, 5 was, 6 started
    triggers = [Trigger(NEG_POST, 1, 3), Trigger(NEG_PRE, 2, 3)]
    assert flags(0, 1, triggers) == (True, False)
    assert flags(4, 5, triggers) == (False, False)
    # a lone pre-trigger still reaches forward: 'withheld Y'
    assert flags(4, 5, [Trigger(NEG_PRE, 2, 3)]) == (True, False)


@pytest.mark.parametrize(
    ("sentence", "stopped", "started"),
    [
        ("Nivolumab was discontinued and methylprednisolone 2 mg/kg was begun.", False, False),
        ("Ipilimumab was withheld and prednisone 60 mg daily was started.", True, False),
    ],
)
def test_a_drug_stopped_and_a_steroid_started_through_the_mention_layer(
    sentence: str, stopped: bool, started: bool
) -> None:
    """The stop's word reaches neither forward to the drug started after 'and' nor, for
    'was discontinued' (a drug that ran), back to the drug stopped."""
    drugs = [m.negated for m in mentions(sentence) if m.kind == "drug"]
    assert drugs == [stopped, started]


def test_flags_with_the_live_triggers_worked_out_once_say_the_same() -> None:
    """_sentence_mentions works out a sentence's live triggers once and hands them to each
    span's flags: the same answers as letting flags work them out."""
    t = context.Trigger
    triggers = [
        t(context.NEG_PRE, 0, 1),  # 'declined'
        t(context.PSEUDO, 6, 9),  # 'could not tolerate'
        t(context.NEG_PRE, 7, 8),  # 'not', inside the pseudo-trigger
        t(context.TERMINATE, 12, 13),  # 'but'
        t(context.UNC_POST, 16, 18),  # 'was suspected'
    ]
    live = context.live_triggers(triggers)
    assert [x.start for x in live] == [0, 16]
    spans = [(1, 2), (3, 5), (10, 11), (13, 15), (14, 16)]  # (10, 11): past the window
    once = [context.flags(a, b, triggers, live) for a, b in spans]
    assert once == [context.flags(a, b, triggers) for a, b in spans]
    assert once == [(True, False), (True, False), (False, False), (False, True), (False, True)]
