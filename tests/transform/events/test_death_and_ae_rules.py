"""Death from progression, adverse events told with their recovery, and supportive drugs
that treat an adverse event rather than cause it, on made-up stories."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, day, drug
from transform.records import AdverseEventValue, ResponseValue, TextValue
from transform.timeline.lines import derive_lines


def _line_then(death_sentence: str, *specs: tuple[str, str, object]) -> Story:
    s = Story()
    s.say("Metastatic melanoma of the skin was diagnosed in the clinic.")
    s.say("He was then treated with dacarbazine.", ("drug", "dacarbazine", drug("dacarbazine")))
    s.say(death_sentence, *specs)  # type: ignore[arg-type]
    return s


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Eventually he died of progressive disease six months later.", "progressive disease"),
        ("He succumbed to disease progression within a year.", "disease progression"),
    ],
)
def test_dying_of_progression_is_the_death_that_closes_the_line(sentence: str, cue: str) -> None:
    s = _line_then(
        sentence,
        ("death", sentence.split()[1] if "succumbed" in sentence else "died", TextValue("death")),
        ("response", cue, ResponseValue("PD")),
    )
    (case,) = s.cases()
    kinds = [e.kind for e in case.events if e.kind in ("progression", "death")]
    assert kinds == ["death"]
    (line,) = derive_lines(case).lines
    assert (line.pfs_event, line.pfs_event_date) == ("death", None)


def test_progression_found_before_an_unrelated_death_stays_progression() -> None:
    sentence = "A CT showed progressive disease, and he died of pneumonia in May."
    s = _line_then(
        sentence,
        ("response", "progressive disease", ResponseValue("PD")),
        ("death", "died", TextValue("death")),
    )
    (case,) = s.cases()
    assert {e.kind for e in case.events} >= {"progression", "death"}
    (line,) = derive_lines(case).lines
    assert line.pfs_event == "progression"


@pytest.mark.parametrize(
    ("sentence", "event", "kept"),
    [
        (
            "She developed mucositis after cisplatin, but it resolved within a week.",
            "mucositis",
            True,
        ),
        ("Her mucositis resolved within a week.", "mucositis", False),
        (
            "He experienced anaemia during the second course and recovered after transfusion.",
            "anaemia",
            True,
        ),
    ],
)
def test_an_event_told_with_its_recovery_is_still_an_event(
    sentence: str, event: str, kept: bool
) -> None:
    s = Story()  # on treatment: an event before any is a presenting symptom (is_presenting)
    s.say("She was treated with cisplatin.", ("drug", "cisplatin", drug("cisplatin")))
    s.say(sentence, ("adverse_event", event, AdverseEventValue(event)))
    (case,) = s.cases()
    assert [a.event for a in case.adverse_events] == ([event] if kept else [])


def test_supportive_drug_beside_an_adverse_event_is_not_blamed() -> None:
    s = Story()
    s.say(
        "From May 3, 2019, she received docetaxel 75 mg/m2.",
        ("date", "May 3, 2019", day(2019, 5, 3)),
        ("drug", "docetaxel", drug("docetaxel")),
    )
    sentence = "Febrile neutropenia occurred after filgrastim was given for a low count."
    s.say(
        sentence,
        ("adverse_event", "Febrile neutropenia", AdverseEventValue("febrile neutropenia")),
        ("drug", "filgrastim", drug("filgrastim")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    (ae,) = lines.adverse_events
    assert ae.drug != "filgrastim"
    assert ae.line_no == 1
