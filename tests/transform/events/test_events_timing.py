"""Date roles, periods, the carried date, and clause roles: the pure helpers of the events."""

from __future__ import annotations

from datetime import date

from transform.events.episodes import clauses
from transform.events.story import Sentence
from transform.events.timing import CARRY_WINDOW, carried_point, nearest, sentence_dates
from transform.records import DateValue, Mention, Provenance, TextValue


def sentence(text: str, *dates: tuple[str, date], order: int = 1) -> Sentence:
    mentions = []
    for piece, when in dates:
        start = text.index(piece)
        prov = Provenance(1, text, start, start + len(piece), order)
        mentions.append(Mention("date", piece, DateValue(when, "day"), prov, 1))
    return Sentence(order, text, 1, 1, "case_presentation", tuple(mentions))


def test_from_to_pair_joins_into_one_period() -> None:
    s = sentence(
        "From July 14, 2010, to August 19, 2010, radiotherapy was performed.",
        ("July 14, 2010", date(2010, 7, 14)),
        ("August 19, 2010", date(2010, 8, 19)),
    )
    (span,) = sentence_dates(s)
    assert (span.role, span.start, span.end) == ("range", date(2010, 7, 14), date(2010, 8, 19))


def test_until_closes_and_on_points() -> None:
    s = sentence(
        "On January 24, 2018, she was changed to lapatinib until May 29, 2019.",
        ("January 24, 2018", date(2018, 1, 24)),
        ("May 29, 2019", date(2019, 5, 29)),
    )
    point, until = sentence_dates(s)
    assert (point.role, point.when) == ("point", date(2018, 1, 24))
    assert (until.role, until.start, until.end) == ("until", None, date(2019, 5, 29))
    assert nearest((point, until), 60) == point, "an 'until' date never dates an instant event"


def test_carried_point_only_within_window_and_after_a_point() -> None:
    s = sentence("A CT on May 16, 2017, showed PD.", ("May 16, 2017", date(2017, 5, 16)))
    history = [(1, sentence_dates(s))]
    carried = carried_point(history, 1 + CARRY_WINDOW)
    assert carried is not None and carried.when == date(2017, 5, 16)
    assert carried_point(history, 2 + CARRY_WINDOW) is None
    period = sentence(
        "From May 2, 2012, to March 7, 2013, she received it.",
        ("May 2, 2012", date(2012, 5, 2)),
        ("March 7, 2013", date(2013, 3, 7)),
    )
    assert carried_point([(1, sentence_dates(period))], 2) is None


def test_clause_roles_stop_then_start_and_list_continuation() -> None:
    text = (
        "DDP was suspended from August 2, 2013, to May 13, 2014, and gemcitabine was resumed; "
        "pyrotinib 400 mg, apatinib 250 mg, and herceptin were added"
    )
    roles = [c.role for c in clauses(Sentence(1, text, 1, 1, None, ()))]
    assert roles == ["stop", "start", "start", "start"]


def test_clauses_depend_on_the_text_alone_and_are_worked_out_once() -> None:
    """The clauses of a sentence are remembered by its text (episodes.CLAUSE_MEMO): another
    record of the same words, in another case or order, gets the same clauses, and a
    different text its own."""
    text = "Tamoxifen was withdrawn in June, and letrozole 2.5 mg daily was begun."
    first = clauses(Sentence(3, text, 2, 1, "case_presentation", ()))
    again = clauses(Sentence(9, text, 5, 2, None, ()))
    other = clauses(Sentence(3, text.replace("begun", "considered"), 2, 1, None, ()))
    assert again is first
    assert [c.role for c in first] == ["stop", "start"]
    assert [c.role for c in other] == ["stop", "stop"]  # no start cue: the stop goes on


def test_a_time_counted_from_an_undated_anchor_inherits_no_date() -> None:
    """'died after eight months' / 'three weeks later': the story's last date is not the
    date of the sentence; only dates the article states are stored."""
    from tests.transform.events.test_events import Story, day

    s = Story()
    s.say(
        "In April 2016 a 58-year-old woman was found to have ovarian carcinoma.",
        ("date", "April 2016", DateValue(date(2016, 4, 1), "month")),
    )
    s.say(
        "She received several courses of chemotherapy and died of the disease after eight months.",
        ("death", "died", TextValue("death")),
    )
    s.say(
        "He was diagnosed with gastric cancer on May 2, 2013.",
        ("date", "May 2, 2013", day(2013, 5, 2)),
        case_id=2,
    )
    s.say(
        "Three weeks later he died of an intracranial haemorrhage.",
        ("death", "died", TextValue("death")),
        case_id=2,
    )
    s.say(
        "A man with lung cancer was seen on June 3, 2015.",
        ("date", "June 3, 2015", day(2015, 6, 3)),
        case_id=3,
    )
    s.say("He died of respiratory failure.", ("death", "died", TextValue("death")), case_id=3)
    first, second, third = s.cases(3)
    assert first.info.death_date is None
    assert second.info.death_date is None
    assert third.info.death_date == date(2015, 6, 3)


def test_an_event_takes_the_date_of_its_own_clause() -> None:
    """'stable until progression on A, and he died on B': the death is B, the nearer A
    belongs to the clause before."""
    from tests.transform.events.test_events import Story, day

    s = Story()
    s.say(
        "The lesions stayed stable until progression on 4 May 2016, and she died of "
        "liver failure on 9 June 2016.",
        ("date", "4 May 2016", day(2016, 5, 4)),
        ("death", "died", TextValue("death")),
        ("date", "9 June 2016", day(2016, 6, 9)),
    )
    s.say(
        "On 2 March 2014 a CT scan was clear; the patient died on 20 March 2014.",
        ("date", "2 March 2014", day(2014, 3, 2)),
        ("death", "died", TextValue("death")),
        ("date", "20 March 2014", day(2014, 3, 20)),
        case_id=2,
    )
    first, second = s.cases(2)
    assert first.info.death_date == date(2016, 6, 9)
    assert second.info.death_date == date(2014, 3, 20)
