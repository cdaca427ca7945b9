"""Events-layer rules on made-up stories (not the seed): several doses of one drug, figure-legend
glossaries, maintenance without a printed start, adverse events blamed on a class of therapy,
and the setting of treatment after a curative resection."""

from __future__ import annotations

from datetime import date

from tests.transform.events.test_events import Story, day, drug, period
from transform.events.story import abbreviates, is_definition_list
from transform.records import (
    AdverseEventValue,
    DateValue,
    DoseValue,
    DrugValue,
    Mention,
    Provenance,
    ResponseValue,
    TextValue,
)
from transform.timeline.lines import derive_lines

FU = "fluorouracil"


# --- several doses of one drug in one episode ---------------------------------------------


def test_each_dose_of_a_drug_is_its_own_exposure_in_the_same_episode() -> None:
    s = Story()
    sentence = (
        "From March 1, 2021, she received oxaliplatin 85 mg/m2 d1 and fluorouracil "
        "400 mg/m2 bolus d1 and 2400 mg/m2 CIV 46 h every 2 weeks."
    )
    s.say(
        sentence,
        ("date", "March 1, 2021", day(2021, 3, 1)),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
        ("dose", "85 mg/m2", DoseValue(85, "mg/m2", "d1", drug="oxaliplatin")),
        ("drug", "fluorouracil", drug(FU)),
        ("dose", "400 mg/m2", DoseValue(400, "mg/m2", "d1", drug=FU)),
        ("dose", "2400 mg/m2", DoseValue(2400, "mg/m2", "CIV 46 h", drug=FU)),
    )
    (case,) = s.cases()
    fu = [e for e in case.exposures if e.drug == FU]
    assert [(e.dose_amount, e.schedule) for e in fu] == [(400, "d1"), (2400, "CIV 46 h")]
    assert {e.episode for e in case.exposures} == {1}
    assert {e.start_date for e in fu} == {date(2021, 3, 1)}
    lines = derive_lines(case)
    (line,) = lines.lines
    assert line.drugs == ("fluorouracil", "oxaliplatin")
    assert {e.line_no for e in lines.exposures} == {1}


def test_untied_doses_after_one_drug_all_go_to_it_and_repeats_count_once() -> None:
    s = Story()
    s.say(
        "He was given irinotecan 180 mg/m2 d1/150 mg/m2 d15 (150 mg/m2 d15) on June 2, 2020.",
        ("drug", "irinotecan", drug("irinotecan")),
        ("dose", "180 mg/m2", DoseValue(180, "mg/m2", "d1")),
        ("dose", "150 mg/m2", DoseValue(150, "mg/m2", "d15")),
        ("dose", "150 mg/m2", DoseValue(150, "mg/m2", "d15")),
        ("date", "June 2, 2020", day(2020, 6, 2)),
    )
    (case,) = s.cases()
    assert [(e.drug, e.dose_amount) for e in case.exposures] == [
        ("irinotecan", 180),
        ("irinotecan", 150),
    ]


def test_a_dose_tied_to_a_drug_not_started_is_nobodys() -> None:
    s = Story()
    s.say(
        "She refused lapatinib 1250 mg and was given capecitabine on May 3, 2019.",
        ("drug", "lapatinib", drug("lapatinib"), True),
        ("dose", "1250 mg", DoseValue(1250, "mg", drug="lapatinib")),
        ("drug", "capecitabine", drug("capecitabine")),
        ("date", "May 3, 2019", day(2019, 5, 3)),
    )
    (case,) = s.cases()
    assert [(e.drug, e.dose_amount) for e in case.exposures] == [("capecitabine", None)]


# --- glossaries ----------------------------------------------------------------------------


def test_definition_lists_are_recognised_by_their_spelling_out() -> None:
    assert is_definition_list("SD, stable disease.")
    assert is_definition_list("PD, progressive disease")
    assert is_definition_list("CR, complete response; ORR, objective response rate.")
    assert not is_definition_list("PD, confirmed by CT.")
    assert not is_definition_list("SD, and the PFS was 5 months.")
    assert abbreviates("PFS", "progression-free survival")
    assert not abbreviates("PR", "stable disease")


def test_a_legend_glossary_entry_is_not_an_assessment() -> None:
    s = Story()
    s.say(
        "From January 4, 2020, he received sunitinib 50 mg.",
        ("date", "January 4, 2020", day(2020, 1, 4)),
        ("drug", "sunitinib", drug("sunitinib")),
        ("dose", "50 mg", DoseValue(50, "mg")),
    )
    s.say(
        "Figure 2 Case 1. On March 9, 2021, the kidney lesion grew (A).",
        ("date", "March 9, 2021", day(2021, 3, 9)),
        caption=True,
    )
    s.say(
        "PD, progressive disease.",
        ("response", "PD", ResponseValue("PD")),
        ("response", "progressive disease", ResponseValue("PD")),
        caption=True,
        join=True,
    )
    s.say(
        "SD, stable disease.",
        ("response", "SD", ResponseValue("SD")),
        ("response", "stable disease", ResponseValue("SD")),
    )
    (case,) = s.cases()
    assert case.assessments == ()
    assert "progression" not in {e.kind for e in case.events}


def test_a_response_statement_with_a_comma_is_still_an_assessment() -> None:
    s = Story()
    s.say(
        "On June 1, 2021, PD, confirmed by MRI.",
        ("date", "June 1, 2021", day(2021, 6, 1)),
        ("response", "PD", ResponseValue("PD")),
    )
    (case,) = s.cases()
    assert [(a.response, a.assessed_on) for a in case.assessments] == [("PD", date(2021, 6, 1))]


# --- maintenance without a printed start ------------------------------------------------------


def test_maintenance_without_start_begins_when_induction_ended() -> None:
    s = Story()
    s.say(
        "She received carboplatin and pemetrexed from January 5, 2019, to April 20, 2019, "
        "followed by pemetrexed maintenance until October 2, 2019.",
        ("drug", "carboplatin", drug("carboplatin")),
        ("drug", "pemetrexed", drug("pemetrexed")),
        ("date", "January 5, 2019, to April 20, 2019", period(date(2019, 1, 5), date(2019, 4, 20))),
        ("drug", "pemetrexed", drug("pemetrexed")),
        ("date", "October 2, 2019", day(2019, 10, 2)),
    )
    (case,) = s.cases()
    maint = [e for e in case.exposures if e.episode == 2]
    assert [(e.drug, e.start_date, e.start_precision, e.end_date) for e in maint] == [
        ("pemetrexed", date(2019, 4, 20), "day", date(2019, 10, 2))
    ]
    assert maint[0].maintenance


def test_maintenance_start_keeps_the_precision_of_the_induction_end() -> None:
    s = Story()
    s.say(
        "Six cycles of rituximab and bendamustine were given from May 2017 to October 2017.",
        ("cycles", "Six cycles", TextValue("cycles", 6)),
        ("drug", "rituximab", drug("rituximab")),
        ("drug", "bendamustine", drug("bendamustine")),
        (
            "date",
            "May 2017 to October 2017",
            DateValue(date(2017, 5, 1), "month", end=date(2017, 10, 1), end_precision="month"),
        ),
    )
    s.say(
        "She then received rituximab maintenance.",
        ("drug", "rituximab", drug("rituximab")),
    )
    (case,) = s.cases()
    maint = [e for e in case.exposures if e.maintenance]
    assert [(e.start_date, e.start_precision) for e in maint] == [(date(2017, 10, 1), "month")]


def test_maintenance_after_progression_gets_no_inferred_start() -> None:
    s = Story()
    s.say(
        "He received FOLFOX from February 1, 2018, to July 1, 2018.",
        ("drug", "FOLFOX", drug("oxaliplatin")),
        ("date", "February 1, 2018, to July 1, 2018", period(date(2018, 2, 1), date(2018, 7, 1))),
    )
    s.say(
        "After disease progression, capecitabine maintenance was given.",
        ("drug", "capecitabine", drug("capecitabine")),
    )
    (case,) = s.cases()
    cape = next(e for e in case.exposures if e.drug == "capecitabine")
    assert cape.start_date is None


# --- adverse events blamed on a class of therapy ---------------------------------------------


def _chemo_ae_story(*chemo: str) -> Story:
    s = Story()
    text = "On April 2, 2021, she started " + " and ".join(chemo) + " with pembrolizumab."
    s.say(text, ("date", "April 2, 2021", day(2021, 4, 2)))
    for name in (*chemo, "pembrolizumab"):
        cls = "immune checkpoint inhibitor" if name == "pembrolizumab" else "platinum"
        start = text.index(name)
        s.mentions.append(
            Mention(
                "drug",
                name,
                DrugValue(name, drug_class=cls),
                Provenance(1, text, start, start + len(name), s.order),
                1,
                "case_presentation",
            )
        )
    s.say(
        "Grade 3 neutropenia occurred after chemotherapy, and treatment was delayed.",
        ("adverse_event", "Grade 3 neutropenia", AdverseEventValue("neutropenia", 3)),
    )
    return s


def test_after_chemotherapy_names_the_lines_one_chemotherapy_drug() -> None:
    (case,) = _chemo_ae_story("carboplatin").cases()
    (ae,) = derive_lines(case).adverse_events
    assert (ae.event, ae.line_no, ae.drug) == ("neutropenia", 1, "carboplatin")


def test_after_chemotherapy_with_two_chemotherapy_drugs_stays_unknown() -> None:
    (case,) = _chemo_ae_story("carboplatin", "pemetrexed").cases()
    (ae,) = derive_lines(case).adverse_events
    assert ae.drug is None


def test_during_a_drugs_treatment_names_that_drug() -> None:
    s = Story()
    s.say(
        "Grade 2 acneiform rash developed during cetuximab treatment, while irinotecan was "
        "continued.",
        ("adverse_event", "Grade 2 acneiform rash", AdverseEventValue("acneiform rash", 2)),
        ("drug", "cetuximab", drug("cetuximab")),
        ("drug", "irinotecan", drug("irinotecan")),
    )
    (case,) = s.cases()
    (ae,) = case.adverse_events
    assert ae.drug == "cetuximab"


# --- setting after a curative resection -------------------------------------------------------


def test_treatment_after_resection_without_metastasis_is_adjuvant() -> None:
    s = Story()
    s.say(
        "A 47-year-old man underwent a Whipple resection for a pancreatic neuroendocrine tumour.",
        ("procedure", "Whipple resection", TextValue("Whipple resection")),
    )
    s.say(
        "He was treated with everolimus.",
        ("drug", "everolimus", drug("everolimus")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert lines.lines == ()
    assert [(e.drug, e.setting, e.line_no) for e in lines.exposures] == [
        ("everolimus", "adjuvant", None)
    ]


def test_stage_iv_at_diagnosis_with_surgery_stays_line_one() -> None:
    s = Story()
    s.say(
        "A 70-year-old woman with stage IV melanoma underwent excision of the primary lesion.",
        ("procedure", "excision", TextValue("excision")),
    )
    s.say(
        "She was treated with nivolumab.",
        ("drug", "nivolumab", drug("nivolumab")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("nivolumab",)]
    assert lines.exposures[0].setting == "metastatic"


def test_metastatic_disease_without_surgery_is_line_one() -> None:
    s = Story()
    s.say(
        "A 66-year-old man presented with metastatic renal cell carcinoma.",
        ("age_sex", "66-year-old man", TextValue("male", 66)),
    )
    s.say("He was treated with sunitinib.", ("drug", "sunitinib", drug("sunitinib")))
    (case,) = s.cases()
    assert [line.drugs for line in derive_lines(case).lines] == [("sunitinib",)]
