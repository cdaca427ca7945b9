"""De novo advanced disease told in sentences the mention layer finds nothing in (silent.py),
and an onset told before the first dated metastasis (lines.py rule 1), on made-up stories."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, day, drug
from transform.events.silent import silent_sentences
from transform.events.story import group_sentences
from transform.timeline.lines import derive_lines


def _stage_iv_story(staging: str) -> Story:
    s = Story()
    s.say(
        "A 58-year-old woman was found to have a lung mass on May 4, 2019.",
        ("date", "May 4, 2019", day(2019, 5, 4)),
    )
    s.say(
        "On May 20, 2019, a palliative resection of the primary tumour was performed.",
        ("date", "May 20, 2019", day(2019, 5, 20)),
    )
    s.say(staging)  # no mention at all
    s.say(
        "She was given carboplatin and pemetrexed.",
        ("drug", "carboplatin", drug("carboplatin")),
        ("drug", "pemetrexed", drug("pemetrexed")),
    )
    s.say(
        "On January 10, 2020, a CT scan showed new metastases in the liver.",
        ("date", "January 10, 2020", day(2020, 1, 10)),
    )
    return s


def test_stage_iv_in_a_sentence_without_mentions_makes_treatment_line_one() -> None:
    s = _stage_iv_story("Staging showed stage IVB adenocarcinoma with adrenal involvement.")
    (case,) = s.cases()
    onsets = [e for e in case.events if e.kind == "metastasis"]
    assert [e.prov.sentence[:7] for e in onsets] == ["Staging", "On Janu"]
    assert onsets[0].event_date == day(2019, 5, 20).value  # carried from the resection
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("carboplatin", "pemetrexed")]
    assert {e.setting for e in lines.exposures} == {"metastatic"}


def test_metastatic_tumour_confirmed_by_histology_is_the_onset() -> None:
    s = _stage_iv_story("Metastatic chondrosarcoma was confirmed at histological review.")
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.line_no for line in lines.lines] == [1]
    assert {e.setting for e in lines.exposures} == {"metastatic"}


@pytest.mark.parametrize(
    "told",
    [
        "The postoperative course was uneventful for the patient.",
        "The tumour was confined to the regional hilar lymph node metastasis.",
    ],
)
def test_without_advanced_disease_the_resection_makes_it_adjuvant(told: str) -> None:
    s = _stage_iv_story(told)
    (case,) = s.cases()
    lines = derive_lines(case)
    assert lines.lines == ()
    assert {e.setting for e in lines.exposures} == {"adjuvant"}


def test_silent_sentences_sit_between_their_neighbours() -> None:
    s = Story()
    s.say("On June 2, 2021, a 44-year-old man had a CT.", ("date", "June 2, 2021", day(2021, 6, 2)))
    s.say("It showed numerous pulmonary nodules in both lungs.", join=True)
    s.say("He then received sunitinib.", ("drug", "sunitinib", drug("sunitinib")), join=True)
    doc = s.document()
    story = group_sentences(doc, s.mentions)
    (silent,) = silent_sentences(doc, 1, story)
    assert silent.text == "It showed numerous pulmonary nodules in both lungs."
    assert [x.order for x in story] == [1, 3]
    assert silent.order == 2
