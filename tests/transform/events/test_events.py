"""build_case_events on hand-built mentions of stories that are not the seed article."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from extract.records import Block, CaseSegment, Document, DocumentMeta
from extract.types import BlockKind
from transform.events.events import build_case_events, has_oncology_content
from transform.records import (
    AdverseEventValue,
    CaseEvents,
    DateValue,
    DoseValue,
    DrugValue,
    LesionValue,
    Mention,
    MentionValue,
    PfsValue,
    Provenance,
    RegimenValue,
    ResponseValue,
    TextValue,
)

BBOX = (0.0, 0.0, 100.0, 10.0)
FOLFOX = ("fluorouracil", "leucovorin", "oxaliplatin")
FOLFIRI = ("fluorouracil", "irinotecan", "leucovorin")

Spec = tuple[str, str, MentionValue] | tuple[str, str, MentionValue, bool]


def day(y: int, m: int, d: int) -> DateValue:
    return DateValue(date(y, m, d), "day")


def period(a: date, b: date) -> DateValue:
    return DateValue(a, "day", end=b, end_precision="day")


class Story:
    """Sentences of a case report with the mentions the mention layer would give."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self.blocks: list[Block] = []
        self.order = 0

    def say(
        self,
        sentence: str,
        *specs: Spec,
        case_id: int | None = 1,
        section: str = "case_presentation",
        caption: bool = False,
        join: bool = False,
    ) -> None:
        """`join` continues the previous block (a caption's next sentence)."""
        self.order += 1
        cursor = 0
        for spec in specs:
            kind, text, value = spec[0], spec[1], spec[2]
            negated = len(spec) > 3 and bool(spec[3])
            start = sentence.index(text, cursor if sentence.find(text, cursor) >= 0 else 0)
            cursor = start + 1
            prov = Provenance(1, sentence, start, start + len(text), self.order)
            self.mentions.append(
                Mention(kind, text, value, prov, case_id, section, negated=negated)  # type: ignore[arg-type]
            )
        block_kind: BlockKind = "caption" if caption else "body"
        last = self.blocks[-1] if self.blocks else None
        if join and last is not None:
            joined = f"{last.text} {sentence}"
            self.blocks[-1] = Block(joined, block_kind, 1, BBOX, section, case_id)
        else:
            self.blocks.append(Block(sentence, block_kind, 1, BBOX, section, case_id))

    def document(self, n_cases: int = 1) -> Document:
        cases = tuple(CaseSegment(i, f"Case {i}", 1) for i in range(1, n_cases + 1))
        return Document("d" * 64, "/tmp/story.pdf", DocumentMeta(), tuple(self.blocks), cases)

    def cases(self, n_cases: int = 1) -> tuple[CaseEvents, ...]:
        return build_case_events(self.document(n_cases), self.mentions)


def drug(name: str) -> DrugValue:
    return DrugValue(name)


def episodes(case: CaseEvents) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for e in case.exposures:
        out.setdefault(e.episode, set()).add(e.drug)
    return out


def colon_story() -> Story:
    s = Story()
    s.say(
        "A 61-year-old man was diagnosed with sigmoid colon adenocarcinoma on March 3, 2018.",
        ("date", "March 3, 2018", day(2018, 3, 3)),
    )
    s.say(
        "He underwent laparoscopic sigmoidectomy on March 20, 2018.",
        ("date", "March 20, 2018", day(2018, 3, 20)),
    )
    s.say(
        "Adjuvant chemotherapy with FOLFOX (oxaliplatin 85 mg/m2, leucovorin and fluorouracil) "
        "was given for six cycles from April 20, 2018, to August 10, 2018.",
        ("regimen", "FOLFOX", RegimenValue("FOLFOX", FOLFOX)),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
        ("dose", "85 mg/m2", DoseValue(85, "mg/m2")),
        ("drug", "leucovorin", drug("leucovorin")),
        ("drug", "fluorouracil", drug("fluorouracil")),
        ("cycles", "six cycles", TextValue("cycles", 6)),
        (
            "date",
            "April 20, 2018, to August 10, 2018",
            period(date(2018, 4, 20), date(2018, 8, 10)),
        ),
    )
    s.say(
        "On May 2, 2019, CT revealed multiple liver metastases.",
        ("date", "May 2, 2019", day(2019, 5, 2)),
    )
    s.say(
        "He was then treated with FOLFIRI plus bevacizumab 5 mg/kg from May 15, 2019.",
        ("regimen", "FOLFIRI", RegimenValue("FOLFIRI", FOLFIRI)),
        ("drug", "bevacizumab", drug("bevacizumab")),
        ("dose", "5 mg/kg", DoseValue(5, "mg/kg")),
        ("date", "May 15, 2019", day(2019, 5, 15)),
    )
    s.say(
        "A CT scan on August 1, 2019, showed a partial response.",
        ("date", "August 1, 2019", day(2019, 8, 1)),
        ("response", "partial response", ResponseValue("PR")),
    )
    s.say(
        "Unfortunately, the disease progressed on February 10, 2020, with a PFS of 8.9 months.",
        ("date", "February 10, 2020", day(2020, 2, 10)),
        ("pfs", "PFS of 8.9 months", PfsValue(8.9)),
    )
    s.say(
        "He refused regorafenib and died on June 1, 2020.",
        ("drug", "regorafenib", drug("regorafenib"), True),
        ("date", "June 1, 2020", day(2020, 6, 1)),
    )
    s.say(
        "Regorafenib and trifluridine/tipiracil are options after FOLFIRI failure.",
        ("drug", "Regorafenib", drug("regorafenib")),
        section="discussion",
        case_id=None,
    )
    return s


def test_colon_story_episodes_dates_and_doses() -> None:
    (case,) = colon_story().cases()
    assert episodes(case) == {1: set(FOLFOX), 2: {*FOLFIRI, "bevacizumab"}}
    first = [e for e in case.exposures if e.episode == 1]
    assert {e.start_date for e in first} == {date(2018, 4, 20)}
    assert {e.end_date for e in first} == {date(2018, 8, 10)}
    assert {e.cycles for e in first} == {6}
    assert {e.setting_hint for e in first} == {"adjuvant"}
    ox = next(e for e in first if e.drug == "oxaliplatin")
    assert (ox.dose_amount, ox.dose_unit) == (85, "mg/m2")
    second = [e for e in case.exposures if e.episode == 2]
    assert {e.start_date for e in second} == {date(2019, 5, 15)}
    assert {e.end_date for e in second} == {None}
    bev = next(e for e in second if e.drug == "bevacizumab")
    assert (bev.dose_amount, bev.dose_unit) == (5, "mg/kg")
    assert {e.regimen for e in second} == {"FOLFIRI + bevacizumab"}


def test_refused_and_discussion_drugs_are_not_exposures() -> None:
    (case,) = colon_story().cases()
    assert "regorafenib" not in {e.drug for e in case.exposures}


def test_colon_story_events_outcomes_and_patient() -> None:
    (case,) = colon_story().cases()
    kinds = {(e.kind, e.event_date) for e in case.events}
    assert ("surgery", date(2018, 3, 20)) in kinds
    assert ("metastasis", date(2019, 5, 2)) in kinds
    assert ("progression", date(2020, 2, 10)) in kinds
    assert ("death", date(2020, 6, 1)) in kinds
    assert ("imaging", date(2019, 8, 1)) in kinds
    (pr,) = case.assessments
    assert (pr.response, pr.assessed_on, pr.modality) == ("PR", date(2019, 8, 1), "CT")
    (pfs,) = case.reported_pfs
    assert (pfs.months, pfs.end_date) == (8.9, date(2020, 2, 10))
    info = case.info
    assert (info.age, info.sex) == (61, "male")
    assert info.histology == "adenocarcinoma"
    assert info.primary_site == "colon"
    assert info.diagnosis_date == date(2018, 3, 3)
    assert info.death_date == date(2020, 6, 1)
    assert has_oncology_content(case)


def lung_story() -> Story:
    s = Story()
    s.say(
        "A 58-year-old woman presented with stage IV lung adenocarcinoma in January 2020.",
        ("date", "January 2020", DateValue(date(2020, 1, 1), "month")),
    )
    s.say(
        "Her tumour was gefitinib-resistant, and she received osimertinib 80 mg daily "
        "from January 10, 2020.",
        ("drug", "gefitinib", drug("gefitinib")),
        ("drug", "osimertinib", drug("osimertinib")),
        ("dose", "80 mg daily", DoseValue(80, "mg", "qd")),
        ("date", "January 10, 2020", day(2020, 1, 10)),
    )
    s.say(
        "Grade 3 diarrhea related to osimertinib occurred on March 5, 2020, and osimertinib "
        "was interrupted for 2 weeks.",
        ("adverse_event", "Grade 3 diarrhea", AdverseEventValue("diarrhea", 3)),
        ("drug", "osimertinib", drug("osimertinib")),
        ("date", "March 5, 2020", day(2020, 3, 5)),
        ("drug", "osimertinib", drug("osimertinib")),
    )
    s.say(
        "The best response was partial response.",
        ("response", "partial response", ResponseValue("PR", best=True)),
    )
    s.say(
        "An MRI on May 4, 2021, showed new brain metastases.",
        ("date", "May 4, 2021", day(2021, 5, 4)),
    )
    s.say(
        "Figure 2 Case 1. On May 4, 2021, after osimertinib treatment.",
        ("date", "May 4, 2021", day(2021, 5, 4)),
        ("drug", "osimertinib", drug("osimertinib")),
        case_id=None,
        caption=True,
    )
    s.say(
        "(A) brain lesion (1.2 × 0.8 cm); (B) mediastinal lymph node (1.5 × 1.1 cm).",
        ("lesion", "brain lesion (1.2 × 0.8 cm)", LesionValue("brain", 1.2, 0.8)),
        (
            "lesion",
            "mediastinal lymph node (1.5 × 1.1 cm)",
            LesionValue("mediastinal lymph node", 1.5, 1.1),
        ),
        case_id=None,
        caption=True,
        join=True,
    )
    return s


def test_resistance_is_history_not_a_start() -> None:
    (case,) = lung_story().cases()
    assert episodes(case) == {1: {"osimertinib"}}
    (osi,) = case.exposures
    assert osi.start_date == date(2020, 1, 10)
    assert (osi.dose_amount, osi.schedule) == (80, "qd")


def test_adverse_event_drug_action_and_onset() -> None:
    (case,) = lung_story().cases()
    (ae,) = case.adverse_events
    assert (ae.event, ae.grade, ae.drug) == ("diarrhea", 3, "osimertinib")
    assert ae.onset_date == date(2020, 3, 5)
    assert ae.action is not None and "interrupted" in ae.action
    stops = [e for e in case.events if e.kind == "treatment_stop"]
    assert [(e.detail, e.event_date) for e in stops] == [("osimertinib", date(2020, 3, 5))]


def test_undated_best_response_after_a_point_date_borrows_it() -> None:
    (case,) = lung_story().cases()
    pr = next(a for a in case.assessments if a.response == "PR")
    assert pr.best
    assert pr.assessed_on == date(2020, 3, 5)


def test_caption_lesions_take_the_caption_date_case_and_panel() -> None:
    (case,) = lung_story().cases()
    got = {(m.site, m.measured_on, m.panel, m.figure, m.lymph_node) for m in case.lesions}
    assert got == {
        ("brain", date(2021, 5, 4), "A", "2", False),
        ("mediastinal lymph node", date(2021, 5, 4), "B", "2", True),
    }
    assert ("progression", date(2021, 5, 4)) in {(e.kind, e.event_date) for e in case.events}
    assert episodes(case) == {1: {"osimertinib"}}, "a caption's drug is not a new start"


def test_undated_telling_merges_with_the_dated_course_after_it() -> None:
    s = Story()
    s.say(
        "The patient was randomized to the vinorelbine + afatinib arm.",
        ("drug", "vinorelbine", drug("vinorelbine")),
        ("drug", "afatinib", drug("afatinib")),
    )
    s.say(
        "She received second-line chemotherapy from May 2, 2012, to March 7, 2013.",
        ("date", "May 2, 2012, to March 7, 2013", period(date(2012, 5, 2), date(2013, 3, 7))),
    )
    s.say(
        "A regimen of vinorelbine 25 mg/m2 d1,8 and afatinib 40 mg qd was used.",
        ("drug", "vinorelbine", drug("vinorelbine")),
        ("dose", "25 mg/m2 d1,8", DoseValue(25, "mg/m2", "d1,8")),
        ("drug", "afatinib", drug("afatinib")),
        ("dose", "40 mg qd", DoseValue(40, "mg", "qd")),
    )
    (case,) = s.cases()
    assert episodes(case) == {1: {"vinorelbine", "afatinib"}}
    assert {(e.start_date, e.end_date) for e in case.exposures} == {
        (date(2012, 5, 2), date(2013, 3, 7))
    }
    assert {e.setting_hint for e in case.exposures} == {"metastatic"}
    assert {e.drug: e.dose_amount for e in case.exposures} == {"vinorelbine": 25, "afatinib": 40}


def test_sequence_cue_splits_episodes_and_maintenance_is_flagged() -> None:
    s = Story()
    s.say(
        "She received four cycles of carboplatin and pemetrexed, followed by pemetrexed "
        "maintenance from June 1, 2019.",
        ("cycles", "four cycles", TextValue("cycles", 4)),
        ("drug", "carboplatin", drug("carboplatin")),
        ("drug", "pemetrexed", drug("pemetrexed")),
        ("drug", "pemetrexed", drug("pemetrexed")),
        ("date", "June 1, 2019", day(2019, 6, 1)),
    )
    (case,) = s.cases()
    assert episodes(case) == {1: {"carboplatin", "pemetrexed"}, 2: {"pemetrexed"}}
    by_ep = {e.episode: e for e in case.exposures if e.drug == "pemetrexed"}
    assert by_ep[2].maintenance and not by_ep[1].maintenance
    assert by_ep[1].cycles == 4 and by_ep[2].cycles is None
    assert by_ep[2].start_date == date(2019, 6, 1)


def test_switch_after_progression_and_stop_clause() -> None:
    s = Story()
    s.say(
        "Because CT showed progressive disease, sunitinib was discontinued, and the patient "
        "was switched to cabozantinib 60 mg on July 7, 2021.",
        ("drug", "sunitinib", drug("sunitinib")),
        ("drug", "cabozantinib", drug("cabozantinib")),
        ("dose", "60 mg", DoseValue(60, "mg")),
        ("date", "July 7, 2021", day(2021, 7, 7)),
    )
    (case,) = s.cases()
    (cabo,) = case.exposures
    assert cabo.drug == "cabozantinib" and cabo.after_progression
    assert cabo.start_date == date(2021, 7, 7)
    assert "treatment_stop" in {e.kind for e in case.events}


def test_two_cases_stay_apart_and_glossary_captions_say_nothing() -> None:
    s = Story()
    s.say(
        "A 70-year-old man with gastric cancer received apatinib from May 5, 2017.",
        ("drug", "apatinib", DrugValue("rivoceranib")),
        ("date", "May 5, 2017", day(2017, 5, 5)),
        case_id=1,
    )
    s.say(
        "A 45-year-old woman with breast cancer was given trastuzumab on June 6, 2018.",
        ("drug", "trastuzumab", drug("trastuzumab")),
        ("date", "June 6, 2018", day(2018, 6, 6)),
        case_id=2,
    )
    s.say(
        "PR, partial response; SD, stable disease; PD, progressive disease; CT, tomography.",
        ("response", "PR", ResponseValue("PR")),
        ("response", "PD", ResponseValue("PD")),
        case_id=2,
        caption=True,
    )
    one, two = s.cases(n_cases=2)
    assert [(e.drug, e.case_id) for e in one.exposures] == [("rivoceranib", 1)]
    assert [(e.drug, e.case_id) for e in two.exposures] == [("trastuzumab", 2)]
    assert (one.info.sex, two.info.sex) == ("male", "female")
    assert two.assessments == () and two.events == ()


def test_non_oncology_case_has_no_oncology_content() -> None:
    s = Story()
    s.say(
        "A 47-year-old man with cirrhosis was admitted with COVID-19 on February 2, 2020.",
        ("date", "February 2, 2020", day(2020, 2, 2)),
    )
    (case,) = s.cases()
    assert not has_oncology_content(case)


def specs_of(story: Story) -> Sequence[Mention]:
    return story.mentions
