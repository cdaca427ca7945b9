"""One adverse event told several times is one row, first evidence kept; the same event on
two printed dates is two (transform/events/events.py:dedupe_adverse_events). Made-up
sentences."""

from __future__ import annotations

from datetime import date

from transform.events.events import dedupe_adverse_events
from transform.records import AdverseEvent, Provenance


def ae(
    event: str, sentence: str, order: int, when: date | None = None, grade: int | None = None
) -> AdverseEvent:
    start = sentence.lower().index(event)
    prov = Provenance(1, sentence, start, start + len(event), order)
    return AdverseEvent(case_id=1, event=event, prov=prov, grade=grade, onset_date=when)


def test_one_colitis_told_three_times_is_one_row_with_its_first_evidence() -> None:
    rows = dedupe_adverse_events(
        [
            ae("colitis", "After the second dose she had watery stools from colitis.", 4),
            ae("colitis", "Endoscopy confirmed the colitis, grade 3 by CTCAE.", 5, grade=3),
            ae("colitis", "Budesonide settled her colitis within a week.", 6),
        ]
    )
    assert len(rows) == 1
    assert rows[0].prov.order == 4
    assert rows[0].grade == 3


def test_the_same_event_on_two_printed_dates_is_two_rows() -> None:
    rows = dedupe_adverse_events(
        [
            ae("rash", "On 3 March 2020 a rash spread over his trunk.", 2, date(2020, 3, 3)),
            ae("rash", "A new rash came on 9 July 2020 with the next course.", 7, date(2020, 7, 9)),
            ae("neutropenia", "Neutropenia followed in July.", 8),
        ]
    )
    assert [(r.event, r.onset_date) for r in rows] == [
        ("rash", date(2020, 3, 3)),
        ("rash", date(2020, 7, 9)),
        ("neutropenia", None),
    ]
