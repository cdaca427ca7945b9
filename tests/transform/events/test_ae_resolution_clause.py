"""An event told with its end in its own clause is that end, not a new event (clinical.py)."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, drug
from transform.records import AdverseEventValue


@pytest.mark.parametrize(
    ("sentence", "event", "kept"),
    [
        ("By the third month the anaemia and the other gastric complaints had resolved.",
         "anaemia", False),
        ("At the visit, the mucositis together with her poor appetite had clearly improved.",
         "mucositis", False),
        ("The mucositis worsened; her appetite and weight had improved.", "mucositis", True),
        ("Neutropenia appeared on day ten of the first course and recovered within a week.",
         "Neutropenia", True),
        ("Grade 2 rash occurred on the second cycle, and her other complaints resolved.",
         "rash", True),
    ],
)  # fmt: skip
def test_resolution_in_the_clause_of_the_event(sentence: str, event: str, kept: bool) -> None:
    s = Story()
    s.say("She was treated with docetaxel.", ("drug", "docetaxel", drug("docetaxel")))
    s.say(sentence, ("adverse_event", event, AdverseEventValue(event)))
    (case,) = s.cases()
    assert [a.event for a in case.adverse_events] == ([event] if kept else [])
